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
    yield* ev.set()
    const tk = yield* asyncio.createTask(ticker(2))
    log("wait", yield* ev.wait())
    log("still first")
    yield* tk
  })
