import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const b = new asyncio.Barrier(2)

    const party = (name: string) =>
      Effect.gen(function* () {
        const i = yield* b.wait()
        log(name, "passes", i)
      }).pipe(Effect.catchTag("BrokenBarrierError", () => Effect.sync(() => log(name, "BrokenBarrierError"))))

    const t = yield* asyncio.createTask(party("a"))
    yield* asyncio.sleep(0)
    yield* b.reset()
    yield* t
    log("broken", b.broken)
    yield* asyncio.gather(party("b"), party("c"))
  })
