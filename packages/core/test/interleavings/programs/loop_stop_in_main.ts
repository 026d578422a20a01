import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const loop = yield* asyncio.getRunningLoop
    loop.callSoon(log, "queued before stop")
    yield* Effect.gen(function* () {
      loop.stop()
      log("stop() returned, running", loop.isRunning())
      yield* asyncio.sleep(0)
      log("never logged")
    }).pipe(Effect.ensuring(Effect.sync(() => log("main finally"))))
  })
