import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const loop = yield* asyncio.getRunningLoop
    const tg = new asyncio.TaskGroup()
    yield* tg.cancel()
    yield* tg.cancel()
    log("before", tg)
    yield* tg.run(() =>
      Effect.gen(function* () {
        log("entered", tg, (yield* asyncio.currentTask)?.cancelling())
        yield* asyncio.sleep(1).pipe(Effect.onInterrupt(() => Effect.sync(() => log("body cancelled"))))
      })
    )
    log("after", tg, Math.round(loop.time() * 1000))
    yield* tg.cancel()
    log("cancel after exit does nothing", (yield* asyncio.currentTask)?.cancelling())
  })
