import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const child = () =>
      Effect.gen(function* () {
        log("body runs")
        yield* asyncio.sleep(0)
        return "fine"
      })

    const t = yield* asyncio.createTask(child())
    yield* t.cancel()
    log("cancelling", t.cancelling())
    log("uncancel", t.uncancel())
    log("result", yield* t, "cancelled", t.cancelled())
  })
