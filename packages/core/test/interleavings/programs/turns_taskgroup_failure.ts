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

    const tk = yield* asyncio.createTask(ticker(8))
    yield* asyncio.TaskGroup.run((tg) =>
      Effect.gen(function* () {
        yield* tg.createTask(bad())
        yield* asyncio.sleep(10).pipe(Effect.ensuring(Effect.sync(() => log("body cancelled"))))
      })
    ).pipe(asyncio.exceptStar("ValueError", () => Effect.sync(() => log("group raised"))))
    yield* tk
  })
