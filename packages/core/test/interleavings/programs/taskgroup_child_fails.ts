import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const loop = yield* asyncio.getRunningLoop

    const sibling = () =>
      asyncio
        .sleep(5)
        .pipe(Effect.ensuring(Effect.sync(() => log("sibling cleanup at", Math.round(loop.time() * 1000)))))

    const bad = () =>
      Effect.gen(function* () {
        yield* asyncio.sleep(1)
        return yield* new asyncio.ValueError({ message: "boom" })
      })

    yield* asyncio.TaskGroup.run((tg) =>
      Effect.gen(function* () {
        yield* tg.createTask(sibling())
        yield* tg.createTask(bad())
        yield* asyncio
          .sleep(10)
          .pipe(Effect.ensuring(Effect.sync(() => log("body cleanup at", Math.round(loop.time() * 1000)))))
      })
    )
  })
