import * as asyncio from "@effect-asyncio/core"
import { Effect, Stream } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const work = (delay: number) =>
      Effect.gen(function* () {
        yield* asyncio.sleep(delay)
        return delay
      })

    const tasks: Array<asyncio.Task<number, never>> = []
    for (const d of [2, 3, 1]) tasks.push(yield* asyncio.createTask(work(d), { name: `w${d}` }))
    yield* Stream.runForEach((yield* asyncio.asCompleted(tasks)).stream, (t) =>
      Effect.gen(function* () {
        log("next", t.getName(), tasks.includes(t), yield* t.result())
      })
    )
  })
