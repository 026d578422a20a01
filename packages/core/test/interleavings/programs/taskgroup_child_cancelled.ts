import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const work = () =>
      Effect.gen(function* () {
        yield* asyncio.sleep(2)
        return "w"
      })

    const [victim, w] = yield* asyncio.TaskGroup.run((tg) =>
      Effect.gen(function* () {
        const victim = yield* tg.createTask(asyncio.sleep(5))
        const w = yield* tg.createTask(work())
        yield* asyncio.sleep(1)
        yield* victim.cancel()
        return [victim, w] as const
      })
    ).pipe(Effect.flatMap(Effect.fromNullishOr))
    log("group done, victim cancelled", victim.cancelled(), "w", yield* w.result())
  })
