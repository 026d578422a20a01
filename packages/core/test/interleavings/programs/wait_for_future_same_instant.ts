import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

/** Python's `type(e).__name__` */
const className = (e: unknown): string =>
  typeof e === "object" && e !== null && "_tag" in e ? String(e._tag) : e instanceof Error ? e.name : typeof e

export const main = (log: Log) =>
  Effect.gen(function* () {
    const loop = yield* asyncio.getRunningLoop

    // The message of a callback that raised names the callback by its qualified name and source
    // line in CPython ("Exception in callback Future.set_result()"), by the JavaScript function's
    // name and its arguments in effect-asyncio: both sides log the first three words and the class.
    const handler = (_loop: asyncio.EventLoopService, context: asyncio.ExceptionContext) => {
      log("!", ...context.message.split(/\s+/).slice(0, 3), className(context.exception))
    }

    loop.setExceptionHandler(handler)
    // the setter's timer first: the future gets its result, then the timeout cancels the waiting
    // task anyway (the future is done, so the request waits for the task's next step)
    const early = loop.createFuture<string>()
    loop.callLater(1, (result: string) => early.setResultUnsafe(result), "set first")
    yield* Effect.gen(function* () {
      log("early", yield* asyncio.waitFor(early, 1))
    }).pipe(
      Effect.catchTag("TimeoutError", () =>
        Effect.gen(function* () {
          log("early timed out, cancelled", early.cancelled(), "result", yield* early.result())
        })
      )
    )
    // the timeout's timer first: the future is cancelled, then the setter raises InvalidStateError
    const late = loop.createFuture<string>()
    const t = yield* asyncio.createTask(asyncio.waitFor(late, 1))
    yield* asyncio.sleep(0)
    loop.callLater(1, (result: string) => late.setResultUnsafe(result), "set second")
    yield* Effect.gen(function* () {
      log("late", yield* t)
    }).pipe(
      Effect.catchTag("TimeoutError", () =>
        Effect.sync(() => log("late timed out, cancelled", late.cancelled()))
      )
    )
    yield* asyncio.sleep(0)
    log("at", Math.round(loop.time() * 1000))
  })
