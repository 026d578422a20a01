import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const lock = new asyncio.Lock()

    const worker = (name: string) =>
      lock.use(
        Effect.gen(function* () {
          log(name, "acquired")
          yield* asyncio.sleep(0)
          yield* asyncio.sleep(0)
          log(name, "releases")
        })
      )

    const tasks = []
    for (const n of ["a", "b", "c"]) tasks.push(yield* asyncio.createTask(worker(n)))
    yield* asyncio.sleep(0)
    log("locked", lock.locked())
    yield* asyncio.gather(...tasks)
    log("locked", lock.locked())
  })
