import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const loop = yield* asyncio.getRunningLoop

    const work = () =>
      asyncio
        .sleep(5)
        .pipe(Effect.ensuring(Effect.sync(() => log("work cleanup at", Math.round(loop.time() * 1000)))))

    yield* asyncio
      .waitFor(work(), 1)
      .pipe(
        Effect.catchTag("TimeoutError", () =>
          Effect.sync(() => log("TimeoutError at", Math.round(loop.time() * 1000)))
        )
      )
  })
