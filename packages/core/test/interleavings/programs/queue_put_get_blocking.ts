import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const q = new asyncio.Queue<number>({ maxsize: 1 })

    const producer = () =>
      Effect.gen(function* () {
        for (let i = 0; i < 3; i++) {
          log("put", i)
          yield* q.put(i)
          log("put done", i, "qsize", q.qsize())
        }
      })

    const consumer = () =>
      Effect.gen(function* () {
        for (let k = 0; k < 3; k++) {
          yield* asyncio.sleep(0)
          const item = yield* q.get()
          log("got", item)
        }
      })

    yield* asyncio.gather(producer(), consumer())
    log("empty", q.empty(), "full", q.full())
  })
