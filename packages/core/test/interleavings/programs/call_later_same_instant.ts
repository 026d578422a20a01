import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const loop = yield* asyncio.getRunningLoop
    for (const name of ["a", "b", "c", "d"]) {
      loop.callLater(1, log, name)
    }
    yield* asyncio.sleep(0.5)
    loop.callLater(0.5, log, "e")
    yield* asyncio.sleep(0.5)
    log("main woke")
    yield* asyncio.sleep(0)
    log("main after sleep(0)")
  })
