import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const loop = yield* asyncio.getRunningLoop
    const fut = loop.createFuture<string>()
    loop.callLater(1, (msg: string) => fut.cancelUnsafe(msg), "inner gone")

    const outer = () =>
      asyncio.shield(fut).pipe(
        Effect.catchTag("CancelledError", (e) =>
          Effect.gen(function* () {
            log("outer caught", `[${e.message}]`, "cancelling", (yield* asyncio.currentTask)?.cancelling())
            return "recovered"
          })
        )
      )

    log("outer returned", yield* yield* asyncio.createTask(outer()))
  })
