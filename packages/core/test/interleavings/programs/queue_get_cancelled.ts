import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const q = new asyncio.Queue<string>()

    const getter = (name: string) =>
      Effect.gen(function* () {
        log(name, "got", yield* q.get())
      })

    const a = yield* asyncio.createTask(getter("a"))
    const b = yield* asyncio.createTask(getter("b"))
    yield* asyncio.sleep(0)
    yield* q.putNowait("item")
    yield* a.cancel()
    yield* a.pipe(Effect.catchTag("CancelledError", () => Effect.sync(() => log("a cancelled"))))
    yield* b
    log("qsize", q.qsize())
  })
