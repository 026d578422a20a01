import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const t = yield* asyncio.createTask(asyncio.sleep(10))
    yield* asyncio.sleep(0)
    yield* t.cancel("stop")
    for (let i = 0; i < 3; i++) {
      yield* t.pipe(
        Effect.catchTag("CancelledError", (e) => Effect.sync(() => log("await", i, `[${e.message}]`)))
      )
    }
    yield* t
      .result()
      .pipe(Effect.catchTag("CancelledError", (e) => Effect.sync(() => log("result()", `[${e.message}]`))))
  })
