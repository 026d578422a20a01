import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const options = { eagerTaskFactory: true }

export const main = (log: Log) =>
  Effect.gen(function* () {
    const fail = () =>
      Effect.gen(function* () {
        return yield* new asyncio.ValueError({ message: "eager" })
      })

    yield* asyncio.TaskGroup.run((tg) =>
      Effect.gen(function* () {
        yield* tg.createTask(fail())
        log("body after create_task")
        yield* asyncio.sleep(0)
        log("body after sleep, never")
      })
    ).pipe(
      asyncio.exceptStar("ValueError", (eg) =>
        Effect.sync(() =>
          log(
            "caught",
            eg.exceptions.map((e) => e.message)
          )
        )
      )
    )
  })
