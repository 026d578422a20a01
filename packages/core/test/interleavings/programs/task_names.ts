import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const child = () =>
      Effect.gen(function* () {
        log("running", (yield* asyncio.currentTask)?.getName())
      })

    log("main is", (yield* asyncio.currentTask)?.getName())
    const a = yield* asyncio.createTask(child())
    const b = yield* asyncio.createTask(child(), { name: "worker" })
    const c = yield* asyncio.createTask(child())
    log(a.getName(), b.getName(), c.getName())
    c.setName("renamed")
    yield* asyncio.gather(a, b, c)
    log("after", c.getName())
  })
