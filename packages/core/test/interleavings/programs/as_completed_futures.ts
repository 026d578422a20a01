import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const loop = yield* asyncio.getRunningLoop
    const fs = [0, 1, 2].map(() => loop.createFuture<string, asyncio.ValueError>())
    loop.callLater(2, (result: string) => fs[0]?.setResultUnsafe(result), "slow")
    loop.callLater(0.5, (result: string) => fs[1]?.setResultUnsafe(result), "fast")
    loop.callLater(
      1,
      (error: asyncio.ValueError) => fs[2]?.setExceptionUnsafe(error),
      new asyncio.ValueError({ message: "mid" })
    )
    for (const aw of yield* asyncio.asCompleted(fs)) {
      yield* Effect.gen(function* () {
        log("got", yield* aw, "at", Math.round(loop.time() * 1000))
      }).pipe(
        Effect.catchTag("ValueError", (e) =>
          Effect.sync(() => log("raised", e, "at", Math.round(loop.time() * 1000)))
        )
      )
    }
    const g = loop.createFuture<unknown>()
    yield* Effect.gen(function* () {
      for (const aw of yield* asyncio.asCompleted([g], { timeout: 1 })) {
        yield* aw
      }
    }).pipe(
      Effect.catchTag("TimeoutError", () =>
        Effect.sync(() => log("timed out at", Math.round(loop.time() * 1000), "g pending", !g.done()))
      )
    )
  })
