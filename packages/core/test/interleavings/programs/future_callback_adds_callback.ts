import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const loop = yield* asyncio.getRunningLoop
    const fut = loop.createFuture<undefined>()

    const first = (f: asyncio.Future<undefined>) => {
      log("first")
      f.addDoneCallback((_f) => log("added by first"))
      loop.callSoon(log, "call_soon from first")
    }

    fut.addDoneCallback(first)
    fut.addDoneCallback((_f) => log("second"))

    const waiter = () =>
      Effect.gen(function* () {
        yield* fut
        log("waiter woke")
      })

    const w = yield* asyncio.createTask(waiter())
    yield* asyncio.sleep(0)
    fut.addDoneCallback((_f) => log("third"))
    yield* fut.setResult(undefined)
    yield* w
    yield* asyncio.sleep(0)
    log("end")
  })
