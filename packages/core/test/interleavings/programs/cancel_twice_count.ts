import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const t = yield* asyncio.createTask(asyncio.sleep(10))
    yield* asyncio.sleep(0)
    log("first", yield* t.cancel(), t.cancelling())
    log("second", yield* t.cancel(), t.cancelling())
    yield* t.pipe(Effect.catchTag("CancelledError", () => Effect.sync(() => log("cancelled", t.cancelled()))))
    log("on done task", yield* t.cancel(), t.cancelling())
  })
