import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const loop = yield* asyncio.getRunningLoop
    const sem = new asyncio.Semaphore(2)

    const worker = (name: string) =>
      sem.use(
        Effect.gen(function* () {
          log(name, "in at", Math.round(loop.time() * 1000))
          yield* asyncio.sleep(1)
        })
      )

    const tasks = []
    for (const n of ["a", "b", "c", "d", "e"]) tasks.push(yield* asyncio.createTask(worker(n)))
    yield* asyncio.sleep(0)
    log("locked", sem.locked())
    yield* asyncio.gather(...tasks)
    log("locked", sem.locked())
  })
