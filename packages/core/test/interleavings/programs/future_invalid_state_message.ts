import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const loop = yield* asyncio.getRunningLoop
    const fut = loop.createFuture<number>()
    yield* fut.setResult(1)
    yield* fut
      .setResult(2)
      .pipe(
        Effect.catchTag("InvalidStateError", (e) => Effect.sync(() => log("set_result:", `[${e.message}]`)))
      )
    const cancelled = loop.createFuture<never, asyncio.ValueError>()
    yield* cancelled.cancel()
    yield* cancelled
      .setException(new asyncio.ValueError({ message: "late" }))
      .pipe(
        Effect.catchTag("InvalidStateError", (e) =>
          Effect.sync(() => log("set_exception:", `[${e.message}]`))
        )
      )
  })
