import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const bad = (msg: string) =>
      Effect.gen(function* () {
        yield* asyncio.sleep(1)
        return yield* new asyncio.ValueError({ message: msg })
      })

    yield* asyncio.TaskGroup.run((tg) =>
      Effect.gen(function* () {
        yield* tg.createTask(bad("first"))
        yield* tg.createTask(bad("second"))
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
