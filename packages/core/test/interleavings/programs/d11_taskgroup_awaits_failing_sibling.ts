import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const bad = () =>
      Effect.gen(function* () {
        yield* asyncio.sleep(0)
        return yield* new asyncio.ValueError({ message: "bad" })
      })

    const waiter = (t: asyncio.Task<never, asyncio.ValueError>) =>
      Effect.gen(function* () {
        yield* t
        log("waiter never gets here")
      })

    let w: asyncio.Task<void, asyncio.ValueError | asyncio.CancelledError> | undefined
    yield* asyncio.TaskGroup.run((tg) =>
      Effect.gen(function* () {
        const b = yield* tg.createTask(bad())
        w = yield* tg.createTask(waiter(b))
      })
    ).pipe(
      asyncio.exceptStar("ValueError", (eg) =>
        Effect.sync(() =>
          log(
            "caught",
            eg.exceptions.length,
            eg.exceptions.map((e) => e.message)
          )
        )
      )
    )
    log("waiter cancelled", w?.cancelled())
  })
