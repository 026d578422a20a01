import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const loop = yield* asyncio.getRunningLoop

    const work = (name: string, delay: number) =>
      Effect.gen(function* () {
        yield* asyncio.sleep(delay)
        return name
      })

    for (const aw of yield* asyncio.asCompleted([work("a", 3), work("b", 1), work("c", 2)])) {
      log("got", yield* aw, "at", Math.round(loop.time() * 1000))
    }
  })
