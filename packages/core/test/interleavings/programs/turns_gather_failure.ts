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

    const bad = () =>
      Effect.gen(function* () {
        yield* asyncio.sleep(0)
        log("bad raises")
        return yield* new asyncio.ValueError({ message: "bad" })
      })

    const slow = () =>
      Effect.gen(function* () {
        for (let i = 0; i < 3; i++) {
          yield* asyncio.sleep(0)
        }
        log("slow returns")
      })

    const tk = yield* asyncio.createTask(ticker(7))
    yield* asyncio
      .gather(bad(), slow())
      .pipe(Effect.catchTag("ValueError", () => Effect.sync(() => log("gather raised"))))
    yield* tk
  })
