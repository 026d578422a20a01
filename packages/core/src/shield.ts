/**
 * `asyncio.shield`: protect an awaitable from the cancellation of whoever awaits it.
 *
 * @since 0.1.0
 */
import { Effect, Fiber } from "effect"
import type { EventLoop } from "./events.js"
import type { CancelledError } from "./exceptions.js"
import { markRetrieved, notAwaitable } from "./internal/awaiting.js"
import { cancelledErrorUnsafe } from "./internal/outcome.js"
import { ensureFuture } from "./tasks.js"

/**
 * `asyncio.shield(aw)`: awaits `aw` (an effect is first wrapped in a task) without letting a
 * cancellation of the caller reach it. If the caller is cancelled, the caller is cancelled
 * (whoever awaits it sees `CancelledError`) but the inner task keeps running, and its result
 * stays retrievable by awaiting the task. If the inner task itself is cancelled, the caller
 * fails with `CancelledError`. A non-effect dies with `TypeError`.
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
 * @since 0.1.0
 */
export const shield = <A, E, R>(
  aw: Effect.Effect<A, E, R>
): Effect.Effect<A, E | CancelledError, R | EventLoop> =>
  Effect.suspend(() => {
    if (!Effect.isEffect(aw)) return Effect.die(notAwaitable(aw))
    return Effect.flatMap(ensureFuture(aw), (inner) => {
      if (inner.done()) return inner.outcome()
      return Fiber.await(inner.fiberUnsafe()).pipe(
        // asyncio's _inner_done_callback: once the outer is cancelled, a later failure of the
        // inner task counts as seen (nobody else was going to be told of it)
        Effect.onInterrupt(() => Effect.sync(() => inner.addDoneCallback(markRetrieved))),
        // asyncio's _inner_done_callback: a cancelled inner task only cancels the outer future
        // (a bare CancelledError), leaving the inner's own error to whoever awaits it
        Effect.andThen(
          Effect.suspend(() => (inner.cancelled() ? Effect.fail(cancelledErrorUnsafe("")) : inner.outcome()))
        )
      )
    })
  })
