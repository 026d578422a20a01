import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const options = { eagerTaskFactory: true }

export const main = (log: Log) =>
  Effect.gen(function* () {
    const loop = yield* asyncio.getRunningLoop
    const child = (tg: asyncio.TaskGroup) =>
      Effect.gen(function* () {
        log("child cancels")
        yield* tg.cancel()
        yield* asyncio.sleep(10).pipe(Effect.onInterrupt(() => Effect.sync(() => log("child cancelled"))))
      })

    let t: asyncio.Task<void> | undefined
    yield* asyncio.TaskGroup.run((tg) =>
      Effect.gen(function* () {
        t = yield* tg.createTask(child(tg))
        log("created", t.done())
      })
    )
    log("group exited", t?.cancelled(), Math.round(loop.time() * 1000))
  })
