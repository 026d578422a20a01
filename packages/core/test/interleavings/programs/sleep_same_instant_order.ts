import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const ticker = (n: number) =>
      Effect.gen(function* () {
        for (let i = 0; i < n; i++) {
          log("tick", i)
          yield* asyncio.sleep(0)
        }
      })

    const sleeper = (name: string) =>
      Effect.gen(function* () {
        yield* asyncio.sleep(1)
        log(name, "woke")
        yield* asyncio.sleep(0)
        log(name, "again")
      })

    const tasks = []
    for (const n of ["a", "b", "c"]) tasks.push(yield* asyncio.createTask(sleeper(n)))
    yield* asyncio.sleep(1)
    const t = yield* asyncio.createTask(ticker(3))
    log("main woke")
    yield* asyncio.gather(...tasks, t)
  })
