import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const inner = yield* asyncio.createTask(asyncio.sleep(5))

    const canceller = () =>
      Effect.gen(function* () {
        yield* asyncio.sleep(1)
        yield* inner.cancel()
      })

    const c = yield* asyncio.createTask(canceller())
    yield* asyncio.shield(inner).pipe(
      Effect.catchTag("CancelledError", () =>
        Effect.gen(function* () {
          const me = (yield* asyncio.currentTask) as asyncio.Task<unknown, unknown>
          log("shield raised CancelledError, main cancelling", me.cancelling())
        })
      )
    )
    yield* c
  })
