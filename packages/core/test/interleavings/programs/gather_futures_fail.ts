import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const loop = yield* asyncio.getRunningLoop
    const [f1, f2, f3] = [
      loop.createFuture<number, asyncio.ValueError>(),
      loop.createFuture<number, asyncio.ValueError>(),
      loop.createFuture<number, asyncio.ValueError>()
    ]
    loop.callLater(0.5, (result: number) => f1.setResultUnsafe(result), 1)
    loop.callLater(
      1,
      (error: asyncio.ValueError) => f2.setExceptionUnsafe(error),
      new asyncio.ValueError({ message: "f2 failed" })
    )
    yield* asyncio
      .gather(f1, f2, f3)
      .pipe(
        Effect.catchTag("ValueError", (e) =>
          Effect.sync(() => log("gather raised", e, "at", Math.round(loop.time() * 1000)))
        )
      )
    log("f1", f1.done(), "f3", f3.done(), f3.cancelled())
    yield* f3.setResult(3)
    log("f3 result", yield* f3)
  })
