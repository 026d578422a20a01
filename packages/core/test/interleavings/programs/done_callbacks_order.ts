import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const child = () =>
      Effect.gen(function* () {
        yield* asyncio.sleep(0)
        log("child returns")
        return 7
      })

    const waiter = (t: asyncio.Task<number, never>) =>
      Effect.gen(function* () {
        log("waiter got", yield* t)
      })

    const t = yield* asyncio.createTask(child())
    t.addDoneCallback((f) => log("cb1", f.done()))
    const w = yield* asyncio.createTask(waiter(t))
    yield* asyncio.sleep(0)
    t.addDoneCallback(() => log("cb2"))
    log("main awaits")
    yield* t
    log("main got it")
    yield* w
  })
