import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const ticker = (name: string, n: number) =>
      Effect.gen(function* () {
        for (let i = 0; i < n; i++) {
          log(name, "tick", i)
          yield* asyncio.sleep(0)
        }
        log(name, "end")
      })

    const a = yield* asyncio.createTask(ticker("a", 3))
    const b = yield* asyncio.createTask(ticker("b", 2))
    log("main created")
    yield* asyncio.sleep(0)
    log("main after sleep(0)")
    yield* a
    log("a awaited", a.done(), b.done())
    yield* b
    const loop = yield* asyncio.getRunningLoop
    log("time", Math.round(loop.time() * 1000))
  })
