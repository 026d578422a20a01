import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const b = new asyncio.Barrier(2)
    const t = yield* asyncio.createTask(b.wait())
    yield* asyncio.sleep(0)
    yield* t.cancel()
    const i = yield* asyncio.waitFor(b.wait(), 1)
    log("main passed, index", i, "n_waiting", b.nWaiting)
    yield* t.pipe(
      Effect.catchTag("CancelledError", () =>
        Effect.sync(() => log("t cancelled", t.cancelled(), "n_waiting", b.nWaiting))
      )
    )
  })
