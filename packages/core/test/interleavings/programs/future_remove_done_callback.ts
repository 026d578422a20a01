import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const loop = yield* asyncio.getRunningLoop
    const fut = loop.createFuture<undefined>()

    const cb = (_f: asyncio.Future<undefined>) => {
      log("cb")
    }

    const other = (_f: asyncio.Future<undefined>) => {
      log("other")
    }

    fut.addDoneCallback(cb)
    fut.addDoneCallback(other)
    fut.addDoneCallback(cb)
    log("removed", fut.removeDoneCallback(cb))
    yield* fut.setResult(undefined)
    yield* asyncio.sleep(0)
    log("end")
  })
