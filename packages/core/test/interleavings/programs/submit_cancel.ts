import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const loop = yield* asyncio.getRunningLoop
    const me = yield* asyncio.currentTask

    const job = (name: string) =>
      Effect.gen(function* () {
        log(name, "starts")
        yield* asyncio.sleep(10).pipe(Effect.onInterrupt(() => Effect.sync(() => log(name, "cancelled"))))
      })

    const others = Effect.map(asyncio.allTasks, (tasks) =>
      [...tasks]
        .filter((t) => t !== me)
        .map((t) => t.getName())
        .sort()
    )

    const early = loop.submit(job("early"))
    log("cancel early", early.cancel(), early.cancelled(), early.done())
    const late = loop.submit(job("late"))
    for (let i = 0; i < 4; i++) {
      yield* asyncio.sleep(0)
      log("turn", i, yield* others)
    }
    log("cancel late", late.cancel(), late.cancelled(), late.cancel())
    for (let i = 0; i < 3; i++) {
      yield* asyncio.sleep(0)
      log("after", i, yield* others)
    }
    const error = yield* Effect.flip(asyncio.fromPromise(() => early.promise))
    if (error._tag === "CancelledError") log("early result: CancelledError")
  })
