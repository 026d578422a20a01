import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const loop = yield* asyncio.getRunningLoop
    const t0 = loop.time()
    for (const [i, d] of [2, 1, 2, 3, 1, 2, 1, 3, 2].entries()) {
      loop.callAt(t0 + d, log, `#${i} d=${d}`)
    }
    yield* asyncio.sleep(0.5)
    for (const [i, d] of [1.5, 0.5, 2.5, 1.5].entries()) {
      loop.callLater(d, log, `late #${i} d=${d}`)
    }
    yield* asyncio.sleep(3)
  })
