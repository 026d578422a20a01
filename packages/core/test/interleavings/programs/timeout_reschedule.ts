import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const loop = yield* asyncio.getRunningLoop
    yield* asyncio
      .timeout(1, (cm) =>
        Effect.gen(function* () {
          yield* cm.reschedule(loop.time() + 3)
          log("when", Math.round((cm.when() ?? 0) * 1000))
          yield* asyncio.sleep(2)
          log("still inside at", Math.round(loop.time() * 1000))
          yield* asyncio.sleep(5)
        })
      )
      .pipe(
        Effect.catchTag("TimeoutError", () =>
          Effect.sync(() => log("TimeoutError at", Math.round(loop.time() * 1000)))
        )
      )
    let cm2: asyncio.Timeout | undefined
    yield* asyncio.timeout(1, (c) =>
      Effect.gen(function* () {
        cm2 = c
        yield* c.reschedule(null)
        yield* asyncio.sleep(2)
      })
    )
    log("disabled, when", cm2?.when(), "at", Math.round(loop.time() * 1000))
  })
