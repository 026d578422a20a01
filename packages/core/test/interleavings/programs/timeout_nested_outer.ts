import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const loop = yield* asyncio.getRunningLoop
    let outer: asyncio.Timeout | undefined
    yield* asyncio
      .timeout(1, (o) => {
        outer = o
        let inner: asyncio.Timeout | undefined
        return asyncio
          .timeout(5, (i) => {
            inner = i
            return asyncio.sleep(3)
          })
          .pipe(Effect.ensuring(Effect.sync(() => log("inner left, expired", inner?.expired()))))
      })
      .pipe(
        Effect.catchTag("TimeoutError", () =>
          Effect.sync(() => log("outer TimeoutError at", Math.round(loop.time() * 1000), outer?.expired()))
        )
      )
  })
