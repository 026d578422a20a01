import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const body = () =>
      Effect.gen(function* () {
        const me = (yield* asyncio.currentTask) as asyncio.Task<unknown, unknown>
        yield* me.cancel()
        log("uncancel", me.uncancel())
        yield* asyncio.sleep(0)
        log("coro goes on")
        return "r"
      })

    log("wait_for returned", yield* asyncio.waitFor(body(), 10))
  })
