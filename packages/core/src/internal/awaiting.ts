/**
 * What the combinators share: telling an effect from an options object, the cancel message an
 * awaiter passes on, and marking a task's exception as retrieved.
 *
 * @internal
 */
import { Cause, Effect, Exit } from "effect"
import { type CancelledError, TypeError } from "../exceptions.js"
import { CurrentTask, type Task } from "../tasks.js"
import { describe } from "./time.js"

/** Any effect or task: what gather, shield, waitFor and asCompleted accept. */
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
 * asyncio's `Task.cancel()` forwards the awaiting task's cancel message to the future it waits
 * on (`_fut_waiter.cancel(msg=self._cancel_message)`).
 */
export const awaiterCancelMessage: Effect.Effect<string | undefined> = Effect.map(CurrentTask, (task) =>
  task?.cancelMessageUnsafe()
)

/** asyncio's `fut.exception()` called only to mark the exception as seen. */
export const markRetrieved = <A, E>(task: Task<A, E>): void => {
  if (!task.cancelled()) task.outcome()
}

/** A task that ended with a typed error or a defect (not cancelled, not a result). */
export const hasException = <A, E>(task: Task<A, E>): boolean => {
  const exit = task.exitUnsafe()
  return exit !== undefined && Exit.isFailure(exit) && !task.cancelled()
}

/** A failed task whose cause holds no typed error: a defect, which stays a defect. */
export const isDefect = (task: Task<unknown, unknown>): boolean => {
  const exit = task.exitUnsafe()
  return (
    exit !== undefined &&
    Exit.isFailure(exit) &&
    !task.cancelled() &&
    !exit.cause.reasons.some(Cause.isFailReason)
  )
}

/** The typed error of a failed task (asyncio's `fut.exception()`), marking it retrieved. */
export const typedError = (task: Task<unknown, unknown>): unknown => {
  const exit = task.exitUnsafe()
  task.outcome()
  if (exit === undefined || Exit.isSuccess(exit)) return undefined
  return exit.cause.reasons.find(Cause.isFailReason)?.error
}
