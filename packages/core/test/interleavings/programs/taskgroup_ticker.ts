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
        log(name, "done")
      })

    const tk = yield* asyncio.createTask(ticker(8))
    yield* asyncio.TaskGroup.run((tg) =>
      Effect.gen(function* () {
        yield* tg.createTask(child("a", 2))
        yield* tg.createTask(child("b", 1))
        log("body done")
      })
    )
    log("group exited")
    yield* tk
  })
