import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const loop = yield* asyncio.getRunningLoop
    const fut = loop.createFuture<number>()

    const ticker = (n: number) =>
      Effect.gen(function* () {
        for (let i = 0; i < n; i++) {
          log("tick", i)
          yield* asyncio.sleep(0)
        }
      })

    const waiter = () =>
      Effect.gen(function* () {
        log("waiter got", yield* fut)
      })

    const w = yield* asyncio.createTask(waiter())
    const tk = yield* asyncio.createTask(ticker(4))
    yield* asyncio.sleep(0)

    const setter = (value: number) => {
      log("setter runs")
      fut.setResultUnsafe(value)
    }

    loop.callSoon(setter, 5)
    log("setter queued")
    yield* asyncio.gather(w, tk)
  })
