import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const work = () => {
      let cm: asyncio.Timeout | undefined
      return asyncio
        .timeout(5, (c) => {
          cm = c
          return asyncio.sleep(10)
        })
        .pipe(Effect.ensuring(Effect.sync(() => log("left block, expired", cm?.expired()))))
    }

    const t = yield* asyncio.createTask(work())
    yield* asyncio.sleep(1)
    yield* t.cancel()
    yield* t.pipe(
      Effect.catchTag("CancelledError", () => Effect.sync(() => log("task cancelled", t.cancelled())))
    )
  })
