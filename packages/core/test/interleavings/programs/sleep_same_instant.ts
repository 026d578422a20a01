import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const loop = yield* asyncio.getRunningLoop

    const sleeper = (name: string, delay: number) =>
      Effect.gen(function* () {
        yield* asyncio.sleep(delay)
        log(name, "woke", Math.round(loop.time() * 1000))
        yield* asyncio.sleep(0)
        log(name, "after sleep(0)")
      })

    const a = yield* asyncio.createTask(sleeper("a", 0.5))
    yield* asyncio.sleep(0.25)
    const b = yield* asyncio.createTask(sleeper("b", 0.25))
    const c = yield* asyncio.createTask(sleeper("c", 0.25))
    yield* asyncio.sleep(0.25)
    log("main woke", Math.round(loop.time() * 1000))
    yield* asyncio.gather(a, b, c)
  })
