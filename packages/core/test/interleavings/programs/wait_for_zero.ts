import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const work = () =>
      Effect.sync(() => {
        log("work ran")
        return 1
      })

    const t = yield* asyncio.createTask(work())
    yield* asyncio.sleep(0)
    log("done task", yield* asyncio.waitFor(t, 0))
    yield* asyncio
      .waitFor(work(), 0)
      .pipe(Effect.catchTag("TimeoutError", () => Effect.sync(() => log("coroutine: TimeoutError"))))
  })
