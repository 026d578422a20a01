import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const loop = yield* asyncio.getRunningLoop

    const sleeper = (name: string) =>
      Effect.gen(function* () {
        yield* asyncio.sleep(1)
        log(name, "woke")
      })

    loop.callLater(1, log, "timer 1")
    const a = yield* asyncio.createTask(sleeper("a"))
    yield* asyncio.sleep(0)
    loop.callLater(1, log, "timer 2")
    const b = yield* asyncio.createTask(sleeper("b"))
    yield* asyncio.sleep(0)
    loop.callLater(1, log, "timer 3")
    yield* asyncio.gather(a, b)
  })
