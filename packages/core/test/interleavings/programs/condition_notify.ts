import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const cond = new asyncio.Condition()

    const waiter = (name: string) =>
      cond.use(
        Effect.gen(function* () {
          log(name, "waits")
          yield* cond.wait()
          log(name, "notified")
        })
      )

    const tasks = []
    for (const n of ["a", "b", "c"]) tasks.push(yield* asyncio.createTask(waiter(n)))
    yield* asyncio.sleep(0)
    yield* cond.use(
      Effect.gen(function* () {
        yield* cond.notify(1)
        log("notified one")
      })
    )
    yield* asyncio.sleep(0)
    yield* cond.use(
      Effect.gen(function* () {
        yield* cond.notifyAll()
        log("notified all")
      })
    )
    yield* asyncio.gather(...tasks)
  })
