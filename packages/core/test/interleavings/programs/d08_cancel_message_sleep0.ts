import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const child = () =>
      Effect.gen(function* () {
        log("child at sleep(0)")
        yield* asyncio.sleep(0)
      })

    const t = yield* asyncio.createTask(child())
    yield* asyncio.sleep(0)
    yield* t.cancel("first")
    yield* t.cancel("second")
    yield* t.pipe(
      Effect.catchTag("CancelledError", (e) => Effect.sync(() => log("message", `[${e.message}]`)))
    )
  })
