import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const loop = yield* asyncio.getRunningLoop
    const handles: Array<asyncio.TimerHandle> = []

    const fire = (i: number) => {
      log("timer", i, "at", Math.round(loop.time() * 1000))
      if (i === 0) {
        handles[2]?.cancel()
        log("timer 0 cancelled timer 2")
      }
    }

    for (let i = 0; i < 4; i++) {
      handles.push(loop.callLater(1, fire, i))
    }
    handles[3]?.cancel()
    yield* asyncio.sleep(2)
    log(
      "cancelled",
      handles.map((h) => h.cancelled())
    )
  })
