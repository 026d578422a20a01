import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const loop = yield* asyncio.getRunningLoop

    const work = () =>
      asyncio.sleep(5).pipe(
        Effect.ensuring(
          Effect.gen(function* () {
            log("cleanup starts at", Math.round(loop.time() * 1000))
            yield* asyncio.sleep(0.5)
            log("cleanup ends at", Math.round(loop.time() * 1000))
          })
        )
      )

    const t = yield* asyncio.createTask(work())
    yield* asyncio
      .waitFor(t, 1)
      .pipe(
        Effect.catchTag("TimeoutError", () =>
          Effect.sync(() =>
            log("TimeoutError at", Math.round(loop.time() * 1000), "cancelled", t.cancelled())
          )
        )
      )
  })
