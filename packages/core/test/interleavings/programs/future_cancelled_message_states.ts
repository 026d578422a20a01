import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const loop = yield* asyncio.getRunningLoop
    const fut = loop.createFuture<number>()
    log("cancel", yield* fut.cancel("why"), "cancel again", yield* fut.cancel("other"))
    for (let i = 0; i < 2; i++) {
      yield* fut.pipe(
        Effect.catchTag("CancelledError", (e) => Effect.sync(() => log("await", i, `[${e.message}]`)))
      )
    }
    for (const name of ["result", "exception"] as const) {
      yield* (name === "result" ? fut.result() : fut.exception()).pipe(
        Effect.catchTag("CancelledError", (e) => Effect.sync(() => log(name, `[${e.message}]`)))
      )
    }
    const bare = loop.createFuture<unknown>()
    yield* bare.cancel()
    yield* bare.pipe(
      Effect.catchTag("CancelledError", (e) => Effect.sync(() => log("bare", `[${e.message}]`)))
    )
    yield* fut
      .setResult(1)
      .pipe(
        Effect.catchTag("InvalidStateError", (e) =>
          Effect.sync(() => log("set_result on a cancelled future:", e._tag))
        )
      )
  })
