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

    const child = (name: string, turns: number) =>
      Effect.gen(function* () {
        for (let i = 0; i < turns; i++) {
          yield* asyncio.sleep(0)
        }
        log(name, "returns")
        return name
      })

    const tk = yield* asyncio.createTask(ticker(9))
    const ts = [yield* asyncio.createTask(child("a", 2)), yield* asyncio.createTask(child("b", 1))]
    for (const aw of yield* asyncio.asCompleted(ts)) {
      log("got", yield* aw)
    }
    yield* tk
  })
