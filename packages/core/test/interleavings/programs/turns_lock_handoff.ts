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

    const lock = new asyncio.Lock()

    const waiter = () =>
      lock.use(
        Effect.sync(() => {
          log("waiter holds the lock")
        })
      )

    yield* lock.acquire()
    const w = yield* asyncio.createTask(waiter())
    const tk = yield* asyncio.createTask(ticker(5))
    yield* asyncio.sleep(0)
    yield* lock.release()
    log("released")
    yield* asyncio.gather(w, tk)
  })
