import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const loop = yield* asyncio.getRunningLoop
    loop.callLater(-1, log, "later(-1)")
    loop.callAt(loop.time() - 5, log, "at(now - 5)")
    loop.callLater(0, log, "later(0)")
    loop.callSoon(log, "soon")
    const h = loop.callLater(-2, log, "later(-2)")
    log("when", Math.round(h.when() * 1000))
    yield* asyncio.sleep(0)
    log("main 1")
    yield* asyncio.sleep(0)
    log("main 2")
  })
