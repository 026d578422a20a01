import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const loop = yield* asyncio.getRunningLoop
    yield* asyncio.sleep(1)
    yield* asyncio
      .timeoutAt(loop.time() + 2, asyncio.sleep(10))
      .pipe(
        Effect.catchTag("TimeoutError", () =>
          Effect.sync(() => log("TimeoutError at", Math.round(loop.time() * 1000)))
        )
      )
  })
