/**
 * `asyncio.shield`: protect an awaitable from the cancellation of whoever awaits it.
 *
 * @since 0.1.0
 */
import { type Cause, Context, Effect, type Exit } from "effect"
import { EventLoop, loopImpl } from "./events.js"
import type { CancelledError } from "./exceptions.js"
import { foreignFuture } from "./internal/awaiting.js"
import {
  addToAwaitedBy,
  awaitFuture,
  CurrentTask,
  discardFromAwaitedBy,
  type FutureImpl,
  LabelledFuture
} from "./internal/future.js"
import * as validate from "./internal/validate.js"
import { futureOf } from "./tasks.js"

/**
 * `asyncio.shield(aw)`: awaits `aw` (an effect is first wrapped in a task) without letting a
 * cancellation of the caller reach it: the caller waits on an outer future that follows the
 * inner one (CPython's `_inner_done_callback` / `_outer_done_callback`). If the caller is cancelled, the caller is cancelled
 * (whoever awaits it sees `CancelledError`) but the inner task keeps running, and its result
 * stays retrievable by awaiting the task. If the inner task itself is cancelled, the caller
 * fails with `CancelledError`. A Promise is awaited as a future of the loop (nothing could cancel
 * it anyway). Anything else dies with `TypeError`.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import * as asyncio from "@effect-asyncio/core"
 *
 * const program = Effect.gen(function* () {
 *   const inner = yield* asyncio.createTask(asyncio.sleep(2, "saved"))
 *   const caller = yield* asyncio.createTask(asyncio.shield(inner))
 *   yield* asyncio.sleep(1)
 *   yield* caller.cancel()
 *   const seen = yield* Effect.flip(caller) // CancelledError
 *   return [seen._tag, yield* inner]
 * })
 * asyncio.run(program).then(console.log) // ["CancelledError", "saved"]
 * ```
 * @category Combinators
 * @since 0.1.0
 */
export const shield: {
  <A, E, R>(aw: Effect.Effect<A, E, R>): Effect.Effect<A, E | CancelledError, R | EventLoop>
  <A>(promise: PromiseLike<A>): Effect.Effect<A, Cause.UnknownError | CancelledError, EventLoop>
} = <A, E, R>(
  aw: Effect.Effect<A, E, R> | PromiseLike<A>
): Effect.Effect<A, E | CancelledError, R | EventLoop> =>
  Effect.withFiber((parent) => {
    validate.awaitable(aw)
    const loop = loopImpl(Context.get(parent.context as Context.Context<EventLoop>, EventLoop))
    // CPython's outer future is of the inner's loop: awaiting it from this loop is a RuntimeError
    const foreign = foreignFuture([aw], loop, parent.getRef(CurrentTask), true)
    if (foreign !== undefined) return Effect.die(foreign)
    const inner = futureOf(aw, parent.context, loop) as FutureImpl<A, E>
    if (inner.done()) return awaitFuture(inner)
    const outer = new LabelledFuture<A, E>(loop, () => `shield(${inner.waitDescription()})`)
    const current = parent.getRef(CurrentTask)
    // asyncio 3.14: the task that awaits the shield is recorded as awaiting the inner future
    // (3.14 drops it from a done callback of its own on inner; here the two callbacks below drop
    // it, so that inner's callbacks, and its repr, stay 3.13's)
    if (current !== undefined) addToAwaitedBy(inner as FutureImpl<unknown, unknown>, current)
    const unlink = (): void => {
      if (current !== undefined) discardFromAwaitedBy(inner as FutureImpl<unknown, unknown>, current)
    }

    const innerDoneCallback = (done: FutureImpl<A, E>): void => {
      unlink()
      if (outer.cancelled()) {
        // Mark inner's result as retrieved.
        if (!done.cancelled()) done.markRetrieved()
        return
      }
      if (done.cancelled()) {
        outer.cancelNow()
      } else {
        done.markRetrieved()
        outer.finish(done.exit as Exit.Exit<A, E>)
      }
    }
    const outerDoneCallback = (): void => {
      if (!inner.done()) {
        inner.removeDoneCallback(innerDoneCallback)
        unlink()
      }
    }
    inner.addDoneCallback(innerDoneCallback)
    outer.addDoneCallback(outerDoneCallback)
    return awaitFuture(outer)
  })
