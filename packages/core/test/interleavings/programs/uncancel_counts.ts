import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const t = yield* asyncio.createTask(asyncio.sleep(10))
    yield* asyncio.sleep(0)
    log("uncancel on fresh task", t.uncancel())
    yield* t.cancel()
    yield* t.cancel()
    yield* t.cancel()
    log("cancelling", t.cancelling())
    log("uncancel", t.uncancel())
    yield* t.pipe(
      Effect.catchTag("CancelledError", () =>
        Effect.sync(() => log("cancelled anyway", t.cancelled(), t.cancelling()))
      )
    )
  })
