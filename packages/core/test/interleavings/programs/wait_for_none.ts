import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const loop = yield* asyncio.getRunningLoop
    log("got", yield* asyncio.waitFor(asyncio.sleep(100, "late"), null), "at", Math.round(loop.time() * 1000))
  })
