import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const loop = yield* asyncio.getRunningLoop
    const fut = loop.createFuture<number>()

    const waiter = () =>
      Effect.gen(function* () {
        yield* fut
      })

    const w = yield* asyncio.createTask(waiter())
    yield* asyncio.sleep(0)
    log("cancel", yield* w.cancel())
    yield* fut
      .setResult(1)
      .pipe(
        Effect.catchTag("InvalidStateError", () =>
          Effect.sync(() => log("set_result raised InvalidStateError, future cancelled", fut.cancelled()))
        )
      )
    yield* w.pipe(
      Effect.catchTag("CancelledError", (e) =>
        Effect.sync(() => log("waiter cancelled", `[${e.message}]`, w.cancelled()))
      )
    )
  })
