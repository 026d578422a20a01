import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const loop = yield* asyncio.getRunningLoop

    const atOne = () => {
      log("timer at", Math.round(loop.time() * 1000))
      loop.callLater(0, log, "later(0) from timer")
      loop.callSoon(log, "soon from timer")
    }

    const sleeper = () =>
      Effect.gen(function* () {
        yield* asyncio.sleep(1)
        log("sleeper woke")
        yield* asyncio.sleep(0)
        log("sleeper after sleep(0)")
      })

    loop.callLater(1, atOne)
    const s = yield* asyncio.createTask(sleeper())
    yield* s
    yield* asyncio.sleep(0)
    log("end")
  })
