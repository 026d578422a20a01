import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const loop = yield* asyncio.getRunningLoop
    const fut = loop.createFuture<never, asyncio.ValueError>()
    log("pending", fut.done(), fut.cancelled())
    yield* fut
      .exception()
      .pipe(Effect.catchTag("InvalidStateError", (e) => Effect.sync(() => log("exception() pending:", e))))
    yield* fut.setException(new asyncio.ValueError({ message: "v" }))
    log("failed", fut.done(), fut.cancelled())
    yield* fut
      .result()
      .pipe(Effect.catchTag("ValueError", (e) => Effect.sync(() => log("result() raised", e._tag, e))))
    log("exception()", (yield* fut.exception())?._tag, yield* fut.exception())
    log("cancel a done future", yield* fut.cancel(), fut.cancelled())
    const ok = loop.createFuture<Array<number>>()
    yield* ok.setResult([1, 2])
    log("ok", yield* ok.result(), yield* ok.exception())
  })
