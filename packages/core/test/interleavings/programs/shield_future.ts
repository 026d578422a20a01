import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const loop = yield* asyncio.getRunningLoop
    const fut = loop.createFuture<string>()

    const outer = () =>
      Effect.gen(function* () {
        return yield* asyncio.shield(fut)
      })

    const o = yield* asyncio.createTask(outer())
    yield* asyncio.sleep(0)
    yield* o.cancel()
    yield* o.pipe(
      Effect.catchTag("CancelledError", () =>
        Effect.sync(() => log("outer cancelled, future done", fut.done()))
      )
    )
    yield* fut.setResult("still")
    log("future", yield* fut)
  })
