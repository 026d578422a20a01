import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const loop = yield* asyncio.getRunningLoop
    const q = new asyncio.Queue<number>()

    const worker = () =>
      Effect.gen(function* () {
        while (true) {
          const item = yield* q.get()
          yield* asyncio.sleep(item)
          log("processed", item, "at", Math.round(loop.time() * 1000))
          yield* q.taskDone()
        }
      })

    for (const i of [1, 2]) {
      yield* q.putNowait(i)
    }
    const w = yield* asyncio.createTask(worker())
    yield* q.join()
    log("joined at", Math.round(loop.time() * 1000))
    yield* w.cancel()
  })
