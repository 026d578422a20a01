import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const q = new asyncio.Queue<number>()
    for (let i = 0; i < 3; i++) {
      yield* q.putNowait(i)
    }

    const joiner = () =>
      Effect.gen(function* () {
        yield* q.join()
        log("join returned, qsize", q.qsize())
      })

    const j = yield* asyncio.createTask(joiner())
    yield* asyncio.sleep(0)
    yield* q.shutdown(true)
    log("shut down, qsize", q.qsize())
    yield* q.get().pipe(Effect.catchTag("QueueShutDown", () => Effect.sync(() => log("get: QueueShutDown"))))
    yield* j
  })
