import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const loop = yield* asyncio.getRunningLoop

    const sleeper = (name: string, delay: number) =>
      Effect.gen(function* () {
        yield* asyncio.sleep(delay)
        log(name, "woke at", Math.round(loop.time() * 1000))
      })

    const tasks = [
      yield* asyncio.createTask(sleeper("c", 3)),
      yield* asyncio.createTask(sleeper("a", 1)),
      yield* asyncio.createTask(sleeper("b", 2)),
      yield* asyncio.createTask(sleeper("a2", 1))
    ]
    for (const t of tasks) {
      yield* t
    }
    log("end at", Math.round(loop.time() * 1000))
  })
