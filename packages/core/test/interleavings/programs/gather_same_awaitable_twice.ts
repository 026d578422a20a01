import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const work = (name: string) =>
      Effect.gen(function* () {
        log(name, "runs")
        yield* asyncio.sleep(0)
        return name
      })

    const t = yield* asyncio.createTask(work("task"))
    log("same task", yield* asyncio.gather(t, t))
    const c = work("coro")
    log("same coro", yield* asyncio.gather(c, c))
  })
