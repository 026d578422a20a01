import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const loop = yield* asyncio.getRunningLoop
    const day = 24 * 3600
    loop.callLater(1.5 * day, () => log("1.5 days at", Math.round(loop.time() / 3600), "h"))
    loop.callLater(0.25 * day, () => log("6 hours at", Math.round(loop.time() / 3600), "h"))
    const h = loop.callLater(2 * day, log, "cancelled")
    yield* asyncio.sleep(1.75 * day)
    h.cancel()
    log("main at", Math.round(loop.time() / 3600), "h")
    yield* asyncio.sleep(1.5 * day)
    log("end at", Math.round(loop.time() / 3600), "h")
  })
