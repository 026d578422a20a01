import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const loop = yield* asyncio.getRunningLoop
    const fut = loop.createFuture<unknown>()
    fut.addDoneCallback((f) => log("future callback, cancelled", f.cancelled()))

    const waiter = () => fut.pipe(Effect.ensuring(Effect.sync(() => log("waiter cleanup"))))

    const w = yield* asyncio.createTask(waiter())
    yield* asyncio.sleep(0)
    yield* w.cancel("stop")
    log("after cancel, future cancelled", fut.cancelled())
    yield* w.pipe(
      Effect.catchTag("CancelledError", (e) => Effect.sync(() => log("waiter cancelled", `[${e.message}]`)))
    )
  })
