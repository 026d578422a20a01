import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const loop = yield* asyncio.getRunningLoop
    const [f1, f2, f3] = [
      loop.createFuture<number>(),
      loop.createFuture<number>(),
      loop.createFuture<number>()
    ]
    f1.addDoneCallback((f) => {
      log("f1 done -> set f2")
      f2.setResultUnsafe(Effect.runSync(f.result()) + 1)
    })
    f2.addDoneCallback((f) => {
      log("f2 done -> set f3")
      f3.setResultUnsafe(Effect.runSync(f.result()) + 1)
    })

    const ticker = (n: number) =>
      Effect.gen(function* () {
        for (let i = 0; i < n; i++) {
          log("tick", i)
          yield* asyncio.sleep(0)
        }
      })

    const waiter = () =>
      Effect.gen(function* () {
        log("waiter got", yield* f3)
      })

    const w = yield* asyncio.createTask(waiter())
    const tk = yield* asyncio.createTask(ticker(6))
    yield* asyncio.sleep(0)
    yield* f1.setResult(1)
    log("f1 set")
    yield* asyncio.gather(w, tk)
  })
