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

    const tk = yield* asyncio.createTask(ticker(5))
    yield* asyncio.timeout(
      10,
      Effect.gen(function* () {
        log("in block")
        yield* asyncio.sleep(0)
        log("block ends")
      })
    )
    log("after block")
    yield* tk
  })
