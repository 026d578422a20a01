import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const loop = yield* asyncio.getRunningLoop
    const fut = loop.createFuture<unknown>()
    loop.callLater(1, (msg: string) => fut.cancelUnsafe(msg), "timer says no")
    fut.addDoneCallback((f) => log("callback: cancelled", f.cancelled()))
    yield* fut.pipe(
      Effect.catchTag("CancelledError", (e) =>
        Effect.sync(() => log("main caught", `[${e.message}]`, "at", Math.round(loop.time() * 1000)))
      )
    )
    const t = yield* asyncio.currentTask
    log("main cancelling()", t?.cancelling(), "cancelled future", fut.cancelled())
    yield* asyncio.sleep(0)
    log("main goes on")
  })
