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

    const never = () =>
      Effect.sync(() => {
        log("never runs")
      })

    let group: asyncio.TaskGroup | undefined
    yield* asyncio.TaskGroup.run((tg) =>
      Effect.gen(function* () {
        group = tg
        yield* tg.createTask(bad())
        yield* asyncio.sleep(1).pipe(
          Effect.ensuring(
            tg.createTask(never()).pipe(
              Effect.catchTag("RuntimeError", (e) => Effect.sync(() => log("RuntimeError:", e))),
              // what is left is ChildErrors' type-only marker: no such value exists
              Effect.orDie
            )
          )
        )
      })
    ).pipe(asyncio.exceptStar("ValueError", () => Effect.sync(() => log("group failed"))))
    if (group !== undefined) {
      yield* group
        .createTask(never())
        .pipe(Effect.catchTag("RuntimeError", (e) => Effect.sync(() => log("RuntimeError:", e))))
    }
  })
