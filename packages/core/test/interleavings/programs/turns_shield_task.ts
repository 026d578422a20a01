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
      Effect.gen(function* () {
        yield* asyncio.sleep(0)
        yield* asyncio.sleep(0)
        log("child returns")
        return "v"
      })

    const tk = yield* asyncio.createTask(ticker(7))
    const t = yield* asyncio.createTask(child())
    log("shield gave", yield* asyncio.shield(t))
    yield* tk
  })
