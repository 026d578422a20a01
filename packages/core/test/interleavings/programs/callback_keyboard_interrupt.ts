import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const loop = yield* asyncio.getRunningLoop

    const interrupt = () => {
      log("callback raises KeyboardInterrupt")
      throw new asyncio.KeyboardInterrupt({ message: "" })
    }

    loop.callLater(1, interrupt)
    loop.callLater(1, log, "same-instant timer")
    yield* Effect.gen(function* () {
      yield* asyncio.sleep(2)
      log("never")
    }).pipe(Effect.ensuring(Effect.sync(() => log("main finally at", Math.round(loop.time() * 1000)))))
  })
