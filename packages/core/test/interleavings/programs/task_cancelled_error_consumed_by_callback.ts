import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const t = yield* asyncio.createTask(asyncio.sleep(10))

    const cb = (task: asyncio.Task<void>) => {
      Effect.runSync(
        task
          .exception()
          .pipe(
            Effect.catchTag("CancelledError", (e) =>
              Effect.sync(() => log("callback exception()", `[${e.message}]`))
            )
          )
      )
    }

    t.addDoneCallback(cb)
    yield* asyncio.sleep(0)
    yield* t.cancel("m")
    yield* t.pipe(Effect.catchTag("CancelledError", (e) => Effect.sync(() => log("await", `[${e.message}]`))))
    yield* t
      .result()
      .pipe(Effect.catchTag("CancelledError", (e) => Effect.sync(() => log("result()", `[${e.message}]`))))
  })
