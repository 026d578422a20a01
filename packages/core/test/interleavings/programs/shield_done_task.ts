import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const ticker = (n: number) =>
      Effect.gen(function* () {
        for (let i = 0; i < n; i++) {
          log("tick", i)
          yield* asyncio.sleep(0)
        }
      })

    const t = yield* asyncio.createTask(asyncio.sleep(0, "v"))
    yield* t
    const tk = yield* asyncio.createTask(ticker(2))
    log("shield", yield* asyncio.shield(t))
    log("still first")
    yield* tk
  })
