import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const t = yield* asyncio.createTask(asyncio.sleep(1))
    log("cancel", yield* t.cancel())
    yield* asyncio.sleep(0)
    log("done", t.done())
    log("second cancel", yield* t.cancel())
  })
