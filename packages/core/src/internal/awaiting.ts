/**
 * What the combinators share: reading a done future as asyncio's `fut.exception()` does.
 */
import { Cause, type Effect, Exit } from "effect"
import { type CancelledError, RuntimeError, ValueError } from "../exceptions.js"
import { differentLoop, FutureImpl } from "./future.js"
import { isInstance, safeString } from "./validate.js"

/**
 * Any effect, task, future or Promise (any thenable): what gather, shield, waitFor and
 * asCompleted accept, as asyncio takes any awaitable.
 */
export type Awaitable = Effect.Effect<unknown, unknown, unknown> | PromiseLike<unknown>

/** What awaiting `T` gives: an effect's success, a Promise's value. */
export type AwaitedResult<T> =
  T extends Effect.Effect<infer A, infer _E, infer _R> ? A : T extends PromiseLike<infer A> ? A : never

/** How awaiting `T` fails: an effect's error; a Promise's rejection is Effect's `UnknownError`. */
export type AwaitedError<T> =
  T extends Effect.Effect<infer _A, infer E, infer _R>
    ? E
    : T extends PromiseLike<unknown>
      ? Cause.UnknownError
      : never

/** What awaiting `T` requires: an effect's services; a Promise none. */
export type AwaitedServices<T> = T extends Effect.Effect<infer _A, infer _E, infer R> ? R : never

/** `yield* task` fails with `E | CancelledError`; the task's own `E` without it. */
export type TaskError<T> = Exclude<AwaitedError<T>, CancelledError>

/** An argument a combinator can await: an effect (a task, a future) or a thenable. */
export { isAwaitable } from "./validate.js"

/**
 * asyncio's `fut.exception() is not None` for a done future that is not cancelled: it failed
 * (a typed error or a defect). Reading it marks the exception retrieved.
 */
export const hasException = (future: FutureImpl<unknown, unknown>): boolean => {
  if (future.state !== "finished") return false
  future.markRetrieved()
  return future.exit !== undefined && Exit.isFailure(future.exit)
}

/** A failed future whose cause holds no typed error: a defect, which stays a defect. */
export const isDefect = (future: FutureImpl<unknown, unknown>): boolean => {
  const exit = future.exit
  return (
    future.state === "finished" &&
    exit !== undefined &&
    Exit.isFailure(exit) &&
    !exit.cause.reasons.some(Cause.isFailReason)
  )
}

/** The typed error of a failed future (asyncio's `fut.exception()`), marking it retrieved. */
export const typedError = (future: FutureImpl<unknown, unknown>): unknown => {
  future.markRetrieved()
  const exit = future.exit
  if (exit === undefined || Exit.isSuccess(exit)) return undefined
  return exit.cause.reasons.find(Cause.isFailReason)?.error
}

/**
 * A future of another loop among the arguments of a combinator that awaits them on `loop`, as
 * CPython refuses it: awaiting one (the first argument of `gather`, `shield`, `wait_for`) is the
 * task's `RuntimeError` ("attached to a different loop"); one after a future of this loop (the
 * other arguments of `gather`, those of `as_completed`) is `ensure_future`'s `ValueError`.
 * `undefined` when every future is of `loop`.
 */
export const foreignFuture = (
  aws: Iterable<unknown>,
  loop: FutureImpl<unknown, unknown>["loop"],
  current: FutureImpl<unknown, unknown> | undefined,
  awaitsFirst: boolean
): RuntimeError | ValueError | undefined => {
  let first = true
  for (const aw of aws) {
    if (isInstance(aw, FutureImpl) && aw.loop !== loop) {
      if (!(first && awaitsFirst)) {
        return new ValueError({
          message: "The future belongs to a different loop than the one specified as the loop argument"
        })
      }
      return current !== undefined
        ? differentLoop(current, aw)
        : new RuntimeError({ message: `Future ${safeString(aw)} is attached to a different loop` })
    }
    first = false
  }
  return undefined
}
