import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const loop = yield* asyncio.getRunningLoop

    const inner = () =>
      Effect.gen(function* () {
        yield* asyncio.sleep(2)
        log("inner finished at", Math.round(loop.time() * 1000))
        return "r"
      })

    const outer = () =>
      Effect.gen(function* () {
        return yield* asyncio.shield(inner())
      })

    const o = yield* asyncio.createTask(outer())
    yield* asyncio.sleep(1)
    yield* o.cancel()
    yield* o.pipe(
      Effect.catchTag("CancelledError", () =>
        Effect.sync(() => log("outer cancelled at", Math.round(loop.time() * 1000)))
      )
    )
    yield* asyncio.sleep(2)
    log("end at", Math.round(loop.time() * 1000))
  })
