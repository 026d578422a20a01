import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const q = new asyncio.Queue<number>()

    const getter = (name: string) =>
      Effect.gen(function* () {
        log(name, "got", yield* q.get())
      })

    const tasks = []
    for (const n of ["a", "b", "c"]) tasks.push(yield* asyncio.createTask(getter(n)))
    yield* asyncio.sleep(0)
    for (let i = 0; i < 3; i++) {
      yield* q.putNowait(i)
    }
    log("put 3 items")
    yield* asyncio.gather(...tasks)
  })
