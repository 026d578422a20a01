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

    const child = () =>
      Effect.gen(function* () {
        yield* asyncio.sleep(0)
        log("child returns")
      })

    const waiter = (t: asyncio.Task<void, never>) =>
      Effect.gen(function* () {
        yield* t
        log("w woke")
        yield* asyncio.sleep(0)
        log("w one turn later")
      })

    const tk = yield* asyncio.createTask(ticker(6))
    const t = yield* asyncio.createTask(child())
    const w = yield* asyncio.createTask(waiter(t))
    const { done, pending } = yield* asyncio.wait([t])
    log("wait returned", done.size, pending.size)
    yield* w
    yield* tk
  })
