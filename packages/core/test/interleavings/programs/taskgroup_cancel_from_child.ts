import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const loop = yield* asyncio.getRunningLoop
    const canceller = (tg: asyncio.TaskGroup) =>
      Effect.gen(function* () {
        yield* asyncio.sleep(1)
        log("canceller cancels")
        yield* tg.cancel()
        log("canceller goes on")
      })

    const slowCleanup = asyncio.sleep(10).pipe(
      Effect.onInterrupt(() =>
        Effect.gen(function* () {
          log("cleanup starts")
          yield* asyncio.sleep(0.5)
          log("cleanup ends")
        })
      )
    )

    let c: asyncio.Task<void> | undefined
    let s: asyncio.Task<void> | undefined
    yield* asyncio.TaskGroup.run((tg) =>
      Effect.gen(function* () {
        c = yield* tg.createTask(canceller(tg))
        s = yield* tg.createTask(slowCleanup)
        yield* asyncio.sleep(5).pipe(Effect.onInterrupt(() => Effect.sync(() => log("body cancelled"))))
      })
    )
    log("after", c?.done(), c?.cancelled(), s?.cancelled(), Math.round(loop.time() * 1000))
  })
