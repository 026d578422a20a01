import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const loop = yield* asyncio.getRunningLoop

    const work = (name: string, delay: number) =>
      Effect.gen(function* () {
        yield* asyncio.sleep(delay)
        log(name, "done at", Math.round(loop.time() * 1000))
        return name
      })

    const [a, b] = yield* asyncio.TaskGroup.run((tg) =>
      Effect.gen(function* () {
        const a = yield* tg.createTask(work("a", 2))
        const b = yield* tg.createTask(work("b", 1))
        log("body ends")
        return [a, b] as const
      })
    ).pipe(Effect.flatMap(Effect.fromNullishOr))
    log("results", yield* a.result(), yield* b.result(), "at", Math.round(loop.time() * 1000))
  })
