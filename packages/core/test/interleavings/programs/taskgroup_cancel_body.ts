import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const loop = yield* asyncio.getRunningLoop
    const child = (name: string, delay: number) =>
      Effect.andThen(
        asyncio.sleep(delay),
        Effect.sync(() => log(name, "done"))
      ).pipe(
        Effect.onInterrupt(() => Effect.sync(() => log(name, "cancelled at", Math.round(loop.time() * 1000))))
      )

    yield* asyncio.TaskGroup.run((tg) =>
      Effect.gen(function* () {
        yield* tg.createTask(child("a", 1))
        yield* tg.createTask(child("b", 5))
        yield* asyncio.sleep(2)
        log("body cancels", tg)
        yield* tg.cancel()
        log("body goes on", tg, (yield* asyncio.currentTask)?.cancelling())
        yield* asyncio.sleep(1).pipe(Effect.onInterrupt(() => Effect.sync(() => log("body cancelled"))))
        log("never")
      })
    )
    log("after the group", (yield* asyncio.currentTask)?.cancelling())
    yield* asyncio.sleep(0)
    log("not cancelled again")
  })
