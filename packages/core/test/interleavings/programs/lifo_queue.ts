import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const q = new asyncio.LifoQueue<number>()

    const getter = () =>
      Effect.gen(function* () {
        log("waiting getter got", yield* q.get())
      })

    const t = yield* asyncio.createTask(getter())
    yield* asyncio.sleep(0)
    for (let i = 0; i < 4; i++) {
      yield* q.putNowait(i)
    }
    yield* t
    while (!q.empty()) {
      log("got", yield* q.getNowait())
    }
  })
