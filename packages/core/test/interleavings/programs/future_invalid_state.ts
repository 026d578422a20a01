import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const loop = yield* asyncio.getRunningLoop
    const fut = loop.createFuture<number>()
    yield* fut
      .result()
      .pipe(Effect.catchTag("InvalidStateError", (e) => Effect.sync(() => log("result():", e))))
    yield* fut.setResult(1)
    yield* fut
      .setResult(2)
      .pipe(Effect.catchTag("InvalidStateError", (e) => Effect.sync(() => log("set_result():", e._tag))))
    log("result", yield* fut.result())
  })
