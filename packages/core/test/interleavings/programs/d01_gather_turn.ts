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

    const child = () =>
      Effect.sync(() => {
        log("child runs")
        return 1
      })

    const tk = yield* asyncio.createTask(ticker(6))
    const r = yield* asyncio.gather(child())
    log("gather returned", r)
    yield* tk
  })
