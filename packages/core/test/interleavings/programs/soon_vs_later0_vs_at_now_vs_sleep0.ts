import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const loop = yield* asyncio.getRunningLoop

    const sleeper = () =>
      Effect.gen(function* () {
        log("sleeper before sleep(0)")
        yield* asyncio.sleep(0)
        log("sleeper after sleep(0)")
      })

    loop.callLater(0, log, "call_later(0)")
    loop.callAt(loop.time(), log, "call_at(now)")
    loop.callSoon(log, "call_soon 1")
    const s = yield* asyncio.createTask(sleeper())
    loop.callSoon(log, "call_soon 2")
    yield* asyncio.sleep(0)
    log("main after sleep(0)")
    yield* asyncio.sleep(0)
    log("main after second sleep(0)")
    yield* s
  })
