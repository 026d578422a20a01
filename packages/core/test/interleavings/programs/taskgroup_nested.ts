import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const bad = () =>
      Effect.gen(function* () {
        yield* asyncio.sleep(1)
        return yield* new asyncio.ValueError({ message: "deep" })
      })

    const other = () => asyncio.sleep(5).pipe(Effect.ensuring(Effect.sync(() => log("outer child cleanup"))))

    const innerGroup = () => asyncio.TaskGroup.run((inner) => inner.createTask(bad()))

    yield* asyncio.TaskGroup.run((outer) =>
      Effect.gen(function* () {
        yield* outer.createTask(other())
        yield* outer.createTask(innerGroup())
      })
    )
  })
