import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const loop = yield* asyncio.getRunningLoop
    const fut = loop.createFuture<unknown>()
    fut.addDoneCallback((f) => log("callback: cancelled", f.cancelled()))
    yield* asyncio
      .waitFor(fut, 1)
      .pipe(
        Effect.catchTag("TimeoutError", () =>
          Effect.sync(() =>
            log("TimeoutError at", Math.round(loop.time() * 1000), "future cancelled", fut.cancelled())
          )
        )
      )
    const g = loop.createFuture<string>()
    loop.callLater(0.5, (result: string) => g.setResultUnsafe(result), "in time")
    log("second", yield* asyncio.waitFor(g, 1), "at", Math.round(loop.time() * 1000))
  })
