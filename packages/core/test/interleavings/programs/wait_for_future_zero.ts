import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const loop = yield* asyncio.getRunningLoop
    const done = loop.createFuture<string>()
    yield* done.setResult("ready")
    log("done future", yield* asyncio.waitFor(done, 0))
    const pending = loop.createFuture<unknown>()
    pending.addDoneCallback((f) => log("callback: cancelled", f.cancelled()))
    yield* asyncio
      .waitFor(pending, 0)
      .pipe(
        Effect.catchTag("TimeoutError", () =>
          Effect.sync(() => log("TimeoutError, cancelled", pending.cancelled()))
        )
      )
    const failed = loop.createFuture<never, asyncio.ValueError>()
    yield* failed.setException(new asyncio.ValueError({ message: "v" }))
    yield* asyncio
      .waitFor(failed, -1)
      .pipe(Effect.catchTag("ValueError", (e) => Effect.sync(() => log("failed future raised", e))))
  })
