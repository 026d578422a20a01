import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const loop = yield* asyncio.getRunningLoop
    const fut = loop.createFuture<string>()

    const waiter = () =>
      Effect.gen(function* () {
        log("waiter got", yield* fut)
      })

    const w = yield* asyncio.createTask(waiter())
    w.addDoneCallback((t) => log("waiter done, cancelled", t.cancelled()))
    yield* asyncio.sleep(0)
    yield* fut.setResult("r")
    log("cancel waiter", yield* w.cancel("late"), "future cancelled", fut.cancelled())
    yield* w.pipe(
      Effect.catchTag("CancelledError", (e) =>
        Effect.sync(() => log("waiter raised CancelledError", `[${e.message}]`))
      )
    )
    log("future result", yield* fut.result())
  })
