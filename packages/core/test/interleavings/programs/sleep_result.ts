import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const loop = yield* asyncio.getRunningLoop

    const ticker = (n: number) =>
      Effect.gen(function* () {
        for (let i = 0; i < n; i++) {
          log("tick", i)
          yield* asyncio.sleep(0)
        }
      })

    const t = yield* asyncio.createTask(ticker(3))
    log("got", yield* asyncio.sleep(-1, "neg"))
    log("got", yield* asyncio.sleep(0, "zero"))
    log("got", yield* asyncio.sleep(2, "two"), Math.round(loop.time() * 1000))
    yield* t
  })
