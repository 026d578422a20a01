import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const loop = yield* asyncio.getRunningLoop
    const fut = loop.createFuture<never, asyncio.ValueError>()
    loop.callLater(
      1,
      (error: asyncio.ValueError) => fut.setExceptionUnsafe(error),
      new asyncio.ValueError({ message: "bad" })
    )
    yield* fut.pipe(
      Effect.catchTag("ValueError", (e) =>
        Effect.sync(() => log("await raised", e, "at", Math.round(loop.time() * 1000)))
      )
    )
    log("exception()", (yield* fut.exception())?._tag)
  })
