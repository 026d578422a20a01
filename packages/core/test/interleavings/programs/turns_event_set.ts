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

    const ev = new asyncio.Event()

    const waiter = (name: string) =>
      Effect.gen(function* () {
        yield* ev.wait()
        log(name, "woke")
      })

    const ws = []
    for (const n of ["a", "b"]) ws.push(yield* asyncio.createTask(waiter(n)))
    const tk = yield* asyncio.createTask(ticker(5))
    yield* asyncio.sleep(0)
    log("set")
    yield* ev.set()
    yield* asyncio.gather(...ws, tk)
  })
