/**
 * What the combinators share: telling an effect from an options object, and
 * reading a done future as asyncio's `fut.exception()` does.
 */
import { Cause, Effect, Exit } from "effect"
import { type CancelledError, TypeError } from "../exceptions.js"
import type { FutureImpl } from "./future.js"
import { describe } from "./time.js"

/** Any effect, task or future: what gather, shield, waitFor and asCompleted accept. */
export type Awaitable = Effect.Effect<unknown, unknown, unknown>

/** `yield* task` fails with `E | CancelledError`; the task's own `E` without it. */
export type TaskError<T> = Exclude<Effect.Error<T>, CancelledError>

/** A plain options object (not an effect, not an array) in last position. */
export const isOptionsObject = (value: unknown): value is object =>
  typeof value === "object" && value !== null && !Array.isArray(value) && !Effect.isEffect(value)

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
