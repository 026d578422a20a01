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

    const t = yield* asyncio.createTask(asyncio.sleep(0))
    yield* t
    const tk = yield* asyncio.createTask(ticker(5))
    const { done, pending } = yield* asyncio.wait([t])
    log("wait returned", done.size, pending.size)
    yield* tk
  })
