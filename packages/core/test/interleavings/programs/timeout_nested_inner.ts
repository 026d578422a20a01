import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const loop = yield* asyncio.getRunningLoop
    let outer: asyncio.Timeout | undefined
    yield* asyncio.timeout(5, (o) =>
      Effect.gen(function* () {
        outer = o
        let inner: asyncio.Timeout | undefined
        yield* asyncio
          .timeout(1, (i) => {
            inner = i
            return asyncio.sleep(3)
          })
          .pipe(
            Effect.catchTag("TimeoutError", () =>
              Effect.sync(() =>
                log("inner TimeoutError at", Math.round(loop.time() * 1000), inner?.expired())
              )
            )
          )
        yield* asyncio.sleep(1)
      })
    )
    log("outer expired", outer?.expired(), "at", Math.round(loop.time() * 1000))
  })
