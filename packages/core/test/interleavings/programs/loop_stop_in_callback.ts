import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const loop = yield* asyncio.getRunningLoop

    const stopper = () => {
      log("stopper at", Math.round(loop.time() * 1000))
      loop.stop()
      loop.callSoon(log, "queued after stop")
    }

    loop.callLater(1, stopper)
    loop.callLater(1, log, "same-instant timer")

    yield* asyncio
      .sleep(2)
      .pipe(Effect.ensuring(Effect.sync(() => log("main finally at", Math.round(loop.time() * 1000)))))
  })
