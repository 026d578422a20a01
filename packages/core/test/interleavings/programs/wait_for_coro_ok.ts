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

    const work = () =>
      Effect.gen(function* () {
        log("work in", (yield* asyncio.currentTask)?.getName())
        yield* asyncio.sleep(0)
        return "value"
      })

    const tk = yield* asyncio.createTask(ticker(4))
    log("got", yield* asyncio.waitFor(work(), 5))
    yield* tk
  })
