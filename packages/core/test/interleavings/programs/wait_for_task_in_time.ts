import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const loop = yield* asyncio.getRunningLoop
    const t = yield* asyncio.createTask(asyncio.sleep(1, "r"))
    log("got", yield* asyncio.waitFor(t, 5), "at", Math.round(loop.time() * 1000), t.cancelled())
  })
