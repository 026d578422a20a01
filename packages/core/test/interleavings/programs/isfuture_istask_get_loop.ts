import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const loop = yield* asyncio.getRunningLoop
    const fut = loop.createFuture<undefined>()
    const task = yield* asyncio.createTask(asyncio.sleep(0))
    log("isfuture", asyncio.isFuture(fut), asyncio.isFuture(task), asyncio.isFuture(42))
    log("is Task", asyncio.isTask(fut), asyncio.isTask(task))
    log("get_loop", fut.getLoop() === loop, task.getLoop() === loop)
    yield* task
      .setResult(undefined)
      .pipe(Effect.catchDefect((e) => Effect.sync(() => log("task.set_result:", e))))
    yield* task
    yield* fut.setResult(undefined)
    log("future done", fut.done(), "result", yield* fut.result())
  })
