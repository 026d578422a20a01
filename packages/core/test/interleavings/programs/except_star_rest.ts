import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const fail = <E>(exc: E) =>
      Effect.gen(function* () {
        yield* asyncio.sleep(0)
        return yield* Effect.fail(exc)
      })

    yield* asyncio.TaskGroup.run((tg) =>
      Effect.gen(function* () {
        yield* tg.createTask(fail(new asyncio.ValueError({ message: "v" })))
        yield* tg.createTask(fail(new asyncio.TypeError({ message: "t" })))
      })
    ).pipe(
      asyncio.exceptStar("ValueError", (eg) =>
        Effect.sync(() =>
          log(
            "handled",
            eg.exceptions.map((e) => e.message)
          )
        )
      )
    )
  })
