import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const loop = yield* asyncio.getRunningLoop

    const child = () =>
      asyncio.sleep(10).pipe(
        Effect.ensuring(
          Effect.gen(function* () {
            const me = (yield* asyncio.currentTask) as asyncio.Task<unknown, unknown>
            log("cleanup start", Math.round(loop.time() * 1000), me.cancelling())
            yield* asyncio.sleep(1)
            log("cleanup end", Math.round(loop.time() * 1000))
          })
        )
      )

    const t = yield* asyncio.createTask(child())
    yield* asyncio.sleep(0.5)
    yield* t.cancel()
    yield* t.pipe(
      Effect.catchTag("CancelledError", () =>
        Effect.sync(() => log("awaited at", Math.round(loop.time() * 1000)))
      )
    )
  })
