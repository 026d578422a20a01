import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const child = (name: string) =>
      asyncio.sleep(5).pipe(Effect.ensuring(Effect.sync(() => log(name, "cleanup"))))

    const runner = () =>
      Effect.gen(function* () {
        yield* asyncio.TaskGroup.run((tg) =>
          Effect.gen(function* () {
            yield* tg.createTask(child("a"))
            yield* tg.createTask(child("b"))
          })
        )
        log("never after group")
      })

    const t = yield* asyncio.createTask(runner())
    yield* asyncio.sleep(1)
    yield* t.cancel()
    yield* t.pipe(
      Effect.catchTag("CancelledError", () => Effect.sync(() => log("runner cancelled", t.cancelled())))
    )
  })
