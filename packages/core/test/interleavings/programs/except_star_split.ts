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
        yield* tg.createTask(fail(new asyncio.ValueError({ message: "v1" })))
        yield* tg.createTask(fail(new asyncio.TypeError({ message: "t1" })))
        yield* tg.createTask(fail(new asyncio.ValueError({ message: "v2" })))
      })
    ).pipe(
      asyncio.exceptStar("ValueError", (eg) =>
        Effect.sync(() =>
          log(
            "ValueError part",
            eg.exceptions.map((e) => e.message)
          )
        )
      ),
      asyncio.exceptStar("TypeError", (eg) =>
        Effect.sync(() =>
          log(
            "TypeError part",
            eg.exceptions.map((e) => e.message)
          )
        )
      )
    )
  })
