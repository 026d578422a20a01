import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const child = () =>
      Effect.gen(function* () {
        const me = (yield* asyncio.currentTask) as asyncio.Task<unknown, unknown>
        log("cancel self", yield* me.cancel())
        log("still running, cancelling", me.cancelling())
        yield* asyncio.sleep(0).pipe(Effect.ensuring(Effect.sync(() => log("finally"))))
      })

    const t = yield* asyncio.createTask(child())
    yield* t.pipe(
      Effect.catchTag("CancelledError", () => Effect.sync(() => log("child cancelled", t.cancelled())))
    )
  })
