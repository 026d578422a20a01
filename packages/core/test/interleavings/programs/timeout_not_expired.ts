import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const loop = yield* asyncio.getRunningLoop
    let cm: asyncio.Timeout | undefined
    yield* asyncio.timeout(2, (c) =>
      Effect.gen(function* () {
        cm = c
        yield* asyncio.sleep(1)
        log("when", Math.round((c.when() ?? 0) * 1000))
      })
    )
    log("expired", cm?.expired())
    yield* asyncio.sleep(2)
    log("end at", Math.round(loop.time() * 1000))
  })
