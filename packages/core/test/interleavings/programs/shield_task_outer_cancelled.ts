import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const loop = yield* asyncio.getRunningLoop
    const inner = yield* asyncio.createTask(asyncio.sleep(2, "kept"))

    const outer = () =>
      Effect.gen(function* () {
        return yield* asyncio.shield(inner)
      })

    const o = yield* asyncio.createTask(outer())
    yield* asyncio.sleep(1)
    yield* o.cancel()
    yield* o.pipe(
      Effect.catchTag("CancelledError", () =>
        Effect.sync(() => log("outer cancelled, inner cancelled", inner.cancelled()))
      )
    )
    log("inner result", yield* inner, "at", Math.round(loop.time() * 1000))
  })
