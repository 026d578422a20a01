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

    const sleeper = () =>
      Effect.gen(function* () {
        yield* asyncio.sleep(0)
        log("sleeper woke")
      })

    const t = yield* asyncio.createTask(ticker(4))
    const s = yield* asyncio.createTask(sleeper())
    yield* asyncio.sleep(0.001)
    log("main woke")
    yield* t
    yield* s
  })
