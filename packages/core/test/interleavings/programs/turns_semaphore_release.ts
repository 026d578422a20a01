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

    const sem = new asyncio.Semaphore(1)

    const worker = (name: string) =>
      sem.use(
        Effect.gen(function* () {
          log(name, "in")
          yield* asyncio.sleep(0)
          log(name, "out")
        })
      )

    const ws = []
    for (const n of ["a", "b"]) ws.push(yield* asyncio.createTask(worker(n)))
    const tk = yield* asyncio.createTask(ticker(6))
    yield* asyncio.gather(...ws, tk)
  })
