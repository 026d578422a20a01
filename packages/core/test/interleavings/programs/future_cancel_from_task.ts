import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const loop = yield* asyncio.getRunningLoop
    const fut = loop.createFuture<unknown>()

    const canceller = () =>
      Effect.gen(function* () {
        yield* asyncio.sleep(0.5)
        log("canceller: cancel", yield* fut.cancel("by canceller"))
      })

    const c = yield* asyncio.createTask(canceller())
    yield* fut.pipe(
      Effect.catchTag("CancelledError", (e) => Effect.sync(() => log("main caught", `[${e.message}]`)))
    )
    log("main cancelling()", (yield* asyncio.currentTask)?.cancelling(), "canceller done", c.done())
    yield* c
    log("end at", Math.round(loop.time() * 1000))
  })
