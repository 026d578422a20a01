import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const q = new asyncio.Queue<string>({ maxsize: 1 })
    yield* q.putNowait("a")

    const putter = () =>
      q.put("b").pipe(Effect.catchTag("QueueShutDown", () => Effect.sync(() => log("putter: QueueShutDown"))))

    const t = yield* asyncio.createTask(putter())
    yield* asyncio.sleep(0)
    yield* q.shutdown()
    yield* t
    log("left", yield* q.getNowait(), "qsize", q.qsize())
  })
