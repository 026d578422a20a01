import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const loop = yield* asyncio.getRunningLoop
    const first = loop.createFuture<unknown>()
    loop.callLater(1, (msg: string) => first.cancelUnsafe(msg), "timer first")
    let cm: asyncio.Timeout | undefined
    yield* asyncio
      .timeout(1, (timeout) =>
        Effect.gen(function* () {
          cm = timeout
          yield* first
        })
      )
      .pipe(
        Effect.catchTag("TimeoutError", () =>
          Effect.sync(() => log("timer first: TimeoutError, expired", cm?.expired()))
        ),
        Effect.catchTag("CancelledError", (e) =>
          Effect.sync(() => log("timer first: CancelledError", `[${e.message}]`))
        )
      )
    log("main cancelling", (yield* asyncio.currentTask)?.cancelling())
    const second = loop.createFuture<unknown>()
    yield* asyncio
      .timeout(1, (timeout) =>
        Effect.gen(function* () {
          cm = timeout
          loop.callLater(1, (msg: string) => second.cancelUnsafe(msg), "timer second")
          yield* second
        })
      )
      .pipe(
        Effect.catchTag("TimeoutError", () =>
          Effect.sync(() =>
            log("timeout first: TimeoutError, expired", cm?.expired(), "future cancelled", second.cancelled())
          )
        ),
        Effect.catchTag("CancelledError", (e) =>
          Effect.sync(() => log("timeout first: CancelledError", `[${e.message}]`))
        )
      )
    log("main cancelling", (yield* asyncio.currentTask)?.cancelling(), "at", Math.round(loop.time() * 1000))
  })
