import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const child = () =>
      Effect.sync(() => {
        log("body ran")
      })

    const t = yield* asyncio.createTask(child())
    log("cancel", yield* t.cancel())
    log("done", t.done(), "cancelled", t.cancelled(), "cancelling", t.cancelling())
    yield* asyncio.sleep(0)
    log("after one turn", t.done(), t.cancelled())
    yield* t.pipe(
      Effect.catchTag("CancelledError", () => Effect.sync(() => log("await raised CancelledError")))
    )
  })
