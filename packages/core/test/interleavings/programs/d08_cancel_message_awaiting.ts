import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const spin = () =>
      Effect.gen(function* () {
        for (let i = 0; i < 3; i++) {
          yield* asyncio.sleep(0)
        }
      })

    const inner = yield* asyncio.createTask(spin())

    const awaits = () =>
      Effect.gen(function* () {
        yield* inner
      })

    const gathers = () =>
      Effect.gen(function* () {
        yield* asyncio.gather(spin())
      })

    const a = yield* asyncio.createTask(awaits())
    const g = yield* asyncio.createTask(gathers())
    yield* asyncio.sleep(0)
    for (const [name, t] of [
      ["awaiting task", a],
      ["awaiting gather", g]
    ] as const) {
      yield* t.cancel()
      yield* t.cancel("second")
      yield* t.pipe(
        Effect.catchTag("CancelledError", (e) => Effect.sync(() => log(name, "message", `[${e.message}]`)))
      )
    }
  })
