import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const loop = yield* asyncio.getRunningLoop

    const job = (name: string, delay: number) =>
      Effect.gen(function* () {
        log(name, "starts", (yield* asyncio.currentTask)?.getName())
        yield* asyncio.sleep(delay)
        log(name, "ends")
        return name
      })

    const ticker = Effect.gen(function* () {
      for (let i = 0; i < 5; i++) {
        log("tick", i)
        yield* asyncio.sleep(0)
      }
    })

    const t = yield* asyncio.createTask(ticker)
    const fut = loop.submit(job("a", 0))
    log("submitted", fut.done())
    while (!fut.done()) {
      yield* asyncio.sleep(0)
      log("main turn", fut.done())
    }
    yield* t
    log("result", yield* asyncio.fromPromise(() => fut.promise))
  })
