import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const loop = yield* asyncio.getRunningLoop
    yield* asyncio.sleep(0.25)
    const t1 = loop.callLater(1.5, log, "t1 fires")
    const t2 = loop.callAt(3, log, "t2 fires")
    log("when", Math.round(t1.when() * 1000), Math.round(t2.when() * 1000))
    log("cancelled", t1.cancelled(), t2.cancelled())
    t2.cancel()
    t2.cancel()
    log("after cancel", t1.cancelled(), t2.cancelled(), Math.round(t2.when() * 1000))
    yield* asyncio.sleep(3)
    log("end at", Math.round(loop.time() * 1000))
  })
