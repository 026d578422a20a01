import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const loop = yield* asyncio.getRunningLoop
    let cm: asyncio.Timeout | undefined
    yield* asyncio
      .timeout(1, (c) => {
        cm = c
        return asyncio
          .sleep(5)
          .pipe(Effect.ensuring(Effect.sync(() => log("block cleanup at", Math.round(loop.time() * 1000)))))
      })
      .pipe(
        Effect.catchTag("TimeoutError", () => Effect.sync(() => log("TimeoutError, expired", cm?.expired())))
      )
    log("end at", Math.round(loop.time() * 1000))
  })
