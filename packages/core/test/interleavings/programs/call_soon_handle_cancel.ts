import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const loop = yield* asyncio.getRunningLoop
    const h1 = loop.callSoon(log, "h1 runs")
    const h2 = loop.callSoon(log, "h2 runs")
    h2.cancel()
    log("h1 cancelled", h1.cancelled(), "h2 cancelled", h2.cancelled())
    yield* asyncio.sleep(0)
    log("after one turn")
  })
