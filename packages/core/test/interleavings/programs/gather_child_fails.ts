import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const loop = yield* asyncio.getRunningLoop

    const slow = () =>
      Effect.gen(function* () {
        yield* asyncio.sleep(1)
        log("slow finished at", Math.round(loop.time() * 1000))
      })

    const bad = () =>
      Effect.gen(function* () {
        yield* asyncio.sleep(0.5)
        return yield* new asyncio.ValueError({ message: "bad" })
      })

    yield* asyncio
      .gather(slow(), bad())
      .pipe(
        Effect.catchTag("ValueError", (e) =>
          Effect.sync(() => log("gather raised", e, "at", Math.round(loop.time() * 1000)))
        )
      )
    yield* asyncio.sleep(1)
    log("end at", Math.round(loop.time() * 1000))
  })
