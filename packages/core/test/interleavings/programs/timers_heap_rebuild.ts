import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const loop = yield* asyncio.getRunningLoop
    const fired: Array<number> = []
    const handles = Array.from({ length: 120 }, (_, i) =>
      loop.callLater(1 + (i % 3), (x: number) => fired.push(x), i)
    )
    for (const [i, h] of handles.entries()) {
      if (i % 5 !== 0) h.cancel()
    }
    yield* asyncio.sleep(0)
    log("first wave")
    yield* asyncio.sleep(4)
    log("fired", fired)
  })
