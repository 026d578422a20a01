import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const b = new asyncio.Barrier(3)

    const party = (name: string, delay: number) =>
      Effect.gen(function* () {
        yield* asyncio.sleep(delay)
        log(name, "arrives, waiting", b.nWaiting)
        const i = yield* b.wait()
        log(name, "passes with index", i)
      })

    yield* asyncio.gather(party("a", 1), party("b", 3), party("c", 2))
    log("n_waiting", b.nWaiting, "broken", b.broken)
  })
