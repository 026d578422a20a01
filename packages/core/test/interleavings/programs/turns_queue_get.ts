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

    const q = new asyncio.Queue<string>()

    const getter = () =>
      Effect.gen(function* () {
        log("getter got", yield* q.get())
      })

    const g = yield* asyncio.createTask(getter())
    const tk = yield* asyncio.createTask(ticker(5))
    yield* asyncio.sleep(0)
    yield* q.putNowait("x")
    log("put x")
    yield* q.putNowait("y")
    log("main got", yield* q.get())
    yield* asyncio.gather(g, tk)
  })
