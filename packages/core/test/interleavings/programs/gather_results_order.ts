import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const loop = yield* asyncio.getRunningLoop

    const work = (name: string, delay: number) =>
      Effect.gen(function* () {
        yield* asyncio.sleep(delay)
        log(name, "done at", Math.round(loop.time() * 1000))
        return name
      })

    const r = yield* asyncio.gather(work("a", 2), work("b", 1), work("c", 0))
    log("results", r, "at", Math.round(loop.time() * 1000))
  })
