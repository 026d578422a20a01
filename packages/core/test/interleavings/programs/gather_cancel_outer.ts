import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const child = (name: string) =>
      asyncio.sleep(10).pipe(Effect.ensuring(Effect.sync(() => log(name, "cleanup"))))

    const runner = () =>
      Effect.gen(function* () {
        return yield* asyncio.gather(child("a"), child("b"))
      })

    const t = yield* asyncio.createTask(runner())
    yield* asyncio.sleep(1)
    log("cancel", yield* t.cancel())
    yield* t.pipe(
      Effect.catchTag("CancelledError", () => Effect.sync(() => log("runner cancelled", t.cancelled())))
    )
  })
