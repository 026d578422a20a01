import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const loop = yield* asyncio.getRunningLoop
    const fut = loop.createFuture<unknown>()

    const waiter = () =>
      fut.pipe(
        Effect.catchTag("CancelledError", (e) =>
          Effect.sync(() => log("waiter: CancelledError", `[${e.message}]`))
        )
      )

    const w = yield* asyncio.createTask(waiter())
    yield* asyncio.sleep(0)
    log("cancel", yield* fut.cancel("gone"), "again", yield* fut.cancel())
    log("cancelled", fut.cancelled(), "done", fut.done())
    yield* w
    yield* fut
      .exception()
      .pipe(
        Effect.catchTag("CancelledError", (e) =>
          Effect.sync(() => log("exception() raised CancelledError", `[${e.message}]`))
        )
      )
  })
