import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const loop = yield* asyncio.getRunningLoop
    const fut = loop.createFuture<number>()

    const waiter = (name: string) =>
      Effect.gen(function* () {
        log(name, "awaits")
        const r = yield* fut
        log(name, "got", r)
        return name
      })

    const ts = []
    for (const n of ["c", "a", "b"]) ts.push(yield* asyncio.createTask(waiter(n)))
    yield* asyncio.sleep(0)
    fut.addDoneCallback((_f) => log("late callback"))
    loop.callLater(1, (result: number) => fut.setResultUnsafe(result), 42)
    log("results", yield* asyncio.gather(...ts))
  })
