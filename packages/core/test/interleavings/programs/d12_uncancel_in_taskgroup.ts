import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    yield* asyncio.TaskGroup.run((tg) =>
      Effect.gen(function* () {
        yield* tg.createTask(asyncio.sleep(0))
        const me = (yield* asyncio.currentTask) as asyncio.Task<unknown, unknown>
        yield* me.cancel()
        log("uncancel", me.uncancel())
        yield* asyncio.sleep(0)
        log("body goes on")
      })
    )
    log("after group")
  })
