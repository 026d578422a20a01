import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const loop = yield* asyncio.getRunningLoop

    const work = (name: string, delay: number) =>
      Effect.gen(function* () {
        yield* asyncio.sleep(delay)
        log(name, "finished at", Math.round(loop.time() * 1000))
        return name
      })

    const slow = yield* asyncio.createTask(work("slow", 3))
    yield* Effect.gen(function* () {
      for (const aw of yield* asyncio.asCompleted([work("fast", 1), slow], { timeout: 2 })) {
        log("got", yield* aw)
      }
    }).pipe(
      Effect.catchTag("TimeoutError", () =>
        Effect.sync(() => log("TimeoutError at", Math.round(loop.time() * 1000), "slow done", slow.done()))
      )
    )
    log("slow result", yield* slow)
  })
