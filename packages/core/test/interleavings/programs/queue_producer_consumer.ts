import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const q = new asyncio.Queue<number | null>({ maxsize: 2 })

    const producer = () =>
      Effect.gen(function* () {
        for (let i = 0; i < 5; i++) {
          yield* q.put(i)
          log("produced", i)
        }
        for (let k = 0; k < 2; k++) {
          yield* q.put(null)
        }
      })

    const consumer = (name: string) =>
      Effect.gen(function* () {
        while (true) {
          const item = yield* q.get()
          if (item === null) {
            log(name, "stops")
            return
          }
          log(name, "consumed", item)
          yield* asyncio.sleep(0)
        }
      })

    yield* asyncio.gather(producer(), consumer("x"), consumer("y"))
  })
