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

    const loop = yield* asyncio.getRunningLoop
    const tk = yield* asyncio.createTask(ticker(3))
    loop.callSoon(log, "soon 1")
    loop.callSoon(log, "soon 2")
    yield* asyncio.sleep(0)
    log("main")
    loop.callSoon(() => loop.callSoon(log, "nested soon"))
    yield* asyncio.sleep(0)
    yield* asyncio.sleep(0)
    yield* tk
  })
