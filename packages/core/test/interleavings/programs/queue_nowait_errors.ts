import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const q = new asyncio.Queue<string>({ maxsize: 1 })
    yield* q.getNowait().pipe(Effect.catchTag("QueueEmpty", () => Effect.sync(() => log("QueueEmpty"))))
    yield* q.putNowait("x")
    yield* q.putNowait("y").pipe(Effect.catchTag("QueueFull", () => Effect.sync(() => log("QueueFull"))))
    log("got", yield* q.getNowait())
  })
