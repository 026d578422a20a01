import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const loop = yield* asyncio.getRunningLoop
    const fut = loop.createFuture<number>()

    const cb = (f: asyncio.Future<number>) => {
      log("cb runs, result", Effect.runSync(f.result()))
    }

    fut.addDoneCallback(cb)
    yield* fut.setResult(1)
    log("removed after done", fut.removeDoneCallback(cb))
    fut.addDoneCallback(cb)
    log("removed the one added to a done future", fut.removeDoneCallback(cb))
    yield* asyncio.sleep(0)
    log("end")
  })
