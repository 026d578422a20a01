import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const child = () =>
      Effect.gen(function* () {
        yield* asyncio.sleep(1)
        return 42
      })

    const t = yield* asyncio.createTask(child())
    log("first", yield* t)
    log("second", yield* t)
    log("result", yield* t.result())
    return "main-result"
  })
