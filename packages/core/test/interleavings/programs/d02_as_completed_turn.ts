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

    const child = (name: string) =>
      Effect.gen(function* () {
        yield* asyncio.sleep(0)
        log(name, "returns")
        return name
      })

    const tk = yield* asyncio.createTask(ticker(8))
    const tasks = [yield* asyncio.createTask(child("a")), yield* asyncio.createTask(child("b"))]
    for (const aw of yield* asyncio.asCompleted(tasks)) {
      log("got", yield* aw)
    }
    yield* tk
  })
