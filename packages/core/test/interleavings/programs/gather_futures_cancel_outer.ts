import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const loop = yield* asyncio.getRunningLoop
    const [f1, f2, f3] = [
      loop.createFuture<string>(),
      loop.createFuture<string>(),
      loop.createFuture<string>()
    ]
    for (const [i, f] of [f1, f2, f3].entries()) {
      f.addDoneCallback((f) => log("f", i, "done, cancelled", f.cancelled()))
    }

    const outer = () =>
      Effect.gen(function* () {
        return yield* asyncio.gather(f1, f2, f3)
      })

    const o = yield* asyncio.createTask(outer())
    yield* asyncio.sleep(0)
    yield* f1.setResult("one")
    yield* asyncio.sleep(0)
    yield* o.cancel("stop outer")
    log("after cancel", f1.cancelled(), f2.cancelled(), f3.cancelled())
    yield* o.pipe(
      Effect.catchTag("CancelledError", (e) => Effect.sync(() => log("outer cancelled", `[${e.message}]`)))
    )
  })
