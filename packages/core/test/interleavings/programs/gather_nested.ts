import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const work = (name: string, delay: number) =>
      Effect.gen(function* () {
        yield* asyncio.sleep(delay)
        log(name, "returns")
        return name
      })

    const a = yield* asyncio.createTask(work("a", 2))
    const b = yield* asyncio.createTask(work("b", 1))
    const c = yield* asyncio.createTask(work("c", 3))
    const r = yield* asyncio.gather(asyncio.gather(a, b), c)
    log("nested", r)
  })
