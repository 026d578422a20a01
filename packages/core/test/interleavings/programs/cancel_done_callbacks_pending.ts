import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const child = () =>
      Effect.sync(() => {
        return 1
      })

    const t = yield* asyncio.createTask(child())
    t.addDoneCallback((f) => log("cb, cancelled", f.cancelled()))
    yield* asyncio.sleep(0)
    log("done", t.done())
    log("cancel", yield* t.cancel())
    yield* asyncio.sleep(0)
    log("result", yield* t.result())
  })
