/**
 * What the combinators share: telling an effect from an options object, and
 * reading a done future as asyncio's `fut.exception()` does.
 */
import { Cause, Effect, Exit } from "effect"
import { type CancelledError, TypeError } from "../exceptions.js"
import type { FutureImpl } from "./future.js"
import { isThenable } from "./promise.js"
import { describe } from "./time.js"

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
export const isAwaitable = (value: unknown): boolean => Effect.isEffect(value) || isThenable(value)

/** A plain options object (not an effect, not a Promise, not an array) in last position. */
export const isOptionsObject = (value: unknown): value is object =>
  typeof value === "object" &&
  value !== null &&
  !Array.isArray(value) &&
  !Effect.isEffect(value) &&
  !isThenable(value)

/** The defect for a non-effect argument, as asyncio's `ensure_future` raises it. */
export const notAwaitable = (value: unknown): TypeError =>
  new TypeError({
    message: `An asyncio.Future, a coroutine or an awaitable is required, got ${describe(value)}`
  })

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
