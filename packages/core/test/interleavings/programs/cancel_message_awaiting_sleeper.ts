import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const inner = yield* asyncio.createTask(asyncio.sleep(10))

    const awaits = () =>
      Effect.gen(function* () {
        yield* inner
      })

    const a = yield* asyncio.createTask(awaits())
    yield* asyncio.sleep(0)
    yield* a.cancel()
    yield* a.cancel("second")
    for (const [name, t] of [
      ["a", a],
      ["inner", inner]
    ] as const) {
      yield* t.pipe(
        Effect.catchTag("CancelledError", (e) => Effect.sync(() => log(name, "message", `[${e.message}]`)))
      )
    }
  })
