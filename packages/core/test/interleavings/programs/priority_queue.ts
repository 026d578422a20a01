import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const q = new asyncio.PriorityQueue<[number, string]>()
    for (const item of [
      [3, "c"],
      [1, "a"],
      [2, "b"],
      [1, "aa"]
    ] as Array<[number, string]>) {
      yield* q.putNowait(item)
    }
    while (!q.empty()) {
      const [p, d] = yield* q.get()
      log("got", p, d)
    }
  })
