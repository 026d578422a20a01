import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const options = { eagerTaskFactory: true }

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
        log(name, "starts")
        yield* asyncio.sleep(0)
        log(name, "returns")
        return name
      })

    const tk = yield* asyncio.createTask(ticker(5))
    log("gathering")
    log("gathered", yield* asyncio.gather(child("a"), child("b")))
    yield* tk
  })
