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
    const fut = loop.createFuture<number>()

    const waiter = () =>
      Effect.gen(function* () {
        log("waiter got", yield* fut)
      })

    const w = yield* asyncio.createTask(waiter())
    const tk = yield* asyncio.createTask(ticker(5))
    yield* asyncio.sleep(0)
    yield* fut.setResult(7)
    log("set_result, done", fut.done())
    yield* asyncio.gather(w, tk)
  })
