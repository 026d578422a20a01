import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const q = new asyncio.Queue<number>()
    yield* q.putNowait(1)
    yield* q.putNowait(2)

    const blockedGetter = () =>
      Effect.gen(function* () {
        while (true) {
          log("getter got", yield* q.get())
        }
      }).pipe(Effect.catchTag("QueueShutDown", () => Effect.sync(() => log("getter: QueueShutDown"))))

    yield* q.shutdown()
    yield* q.put(3).pipe(Effect.catchTag("QueueShutDown", () => Effect.sync(() => log("put: QueueShutDown"))))
    yield* blockedGetter()
    const empty = new asyncio.Queue<number>()
    const t = yield* asyncio.createTask(empty.get())
    yield* asyncio.sleep(0)
    yield* empty.shutdown()
    yield* t.pipe(
      Effect.catchTag("QueueShutDown", () => Effect.sync(() => log("waiting getter: QueueShutDown")))
    )
  })
