/**
 * Promises and `AbortSignal`, both directions: Promise-based code calling into the loop, and the
 * loop awaiting Promise-based code.
 *
 * - Into the loop: `loop.submit(effect)` (asyncio's `run_coroutine_threadsafe`) from any callback
 *   (a `node:http` handler, a timer, a library's hook) runs the effect as a task of that loop and
 *   gives back a `Submission`: a Promise of its outcome that can cancel the task.
 * - Out of the loop: `task.toPromise()` (any future), `for await` over a `Queue` or an
 *   `asCompleted`, `await using` on a `Runner` and on `TaskGroup.open(loop)`.
 * - Promises awaited by the loop: every function that takes an awaitable (`createTask`,
 *   `ensureFuture`, `gather`, `wait`, `waitFor`, `shield`, `asCompleted`, `TaskGroup.createTask`)
 *   takes a Promise too, as a future of the loop completed at a turn of the loop once the Promise
 *   settles; a rejection fails with Effect's `UnknownError` (the reason is its `cause`). A
 *   Promise cannot be cancelled: cancelling what waits on it only stops the waiting, and the
 *   operation behind it runs on. `fromPromise((signal) => fetch(url, { signal }))` gives the
 *   operation an `AbortSignal`, which cancelling the task aborts.
 *
 * @since 0.2.0
 */
import { type Cause, Effect } from "effect"
import { type CancelledError, TypeError } from "./exceptions.js"
import { type Catch, fromPromiseUnknown, unknownRejection } from "./internal/promise.js"
import * as validate from "./internal/validate.js"
import { describe } from "./internal/validate.js"

/**
 * What `loop.submit(effect)` returns (asyncio's `run_coroutine_threadsafe` returns a
 * `concurrent.futures.Future`): a Promise of the task's outcome (`await submission`, or
 * `submission.promise`), which resolves with its result or rejects with its error (its typed
 * error, a defect, or `CancelledError`). `cancel()` cancels the task from the loop's ready queue
 * (before the task exists, it is cancelled as soon as it is created) and rejects the Promise with
 * `CancelledError` at once; it is a plain method, for Promise-based code.
 *
 * The Promise is made when it is first asked for, so a submission nobody awaits never makes an
 * unhandled rejection; its task's failure is then reported as any task's, "Task exception was
 * never retrieved".
 *
 * @example
 * ```ts
 * import * as asyncio from "@effect-asyncio/core"
 *
 * const runner = new asyncio.Runner()
 * const loop = runner.getLoop()
 * const served = runner.run(asyncio.sleep(1)) // the loop runs while main does
 * const job: asyncio.Submission<string> = loop.submit(asyncio.sleep(0.1, "from a callback"))
 * const slow = loop.submit(asyncio.sleep(10, "never"))
 * slow.cancel()
 * console.log(await job) // from a callback
 * console.log(await slow.promise.catch((error) => error._tag), slow.cancelled()) // CancelledError true
 * await served
 * await runner.close()
 * ```
 * @category Promises
 * @since 0.2.0
 */
export interface Submission<A> extends PromiseLike<A> {
  /** The Promise of the task's outcome (rejects with its typed error, a defect or `CancelledError`). */
  readonly promise: Promise<A>
  /**
   * `concurrent_future.cancel()`: false once done; otherwise the Promise rejects with
   * `CancelledError` now and the task is cancelled at a turn of the loop (with `message`).
   */
  cancel(message?: unknown): boolean
  /** Done: the task finished, or the submission was cancelled. */
  done(): boolean
  /** `concurrent_future.cancelled()` */
  cancelled(): boolean
}

/**
 * Options of `loop.submit`.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import * as asyncio from "@effect-asyncio/core"
 *
 * const options: asyncio.SubmitOptions = { name: "request-1" }
 * const program = Effect.gen(function* () {
 *   const loop = yield* asyncio.getRunningLoop
 *   return yield* asyncio.fromPromise(() => loop.submit(Effect.map(asyncio.currentTask, (t) => t?.getName()), options).promise)
 * })
 * asyncio.run(program).then(console.log) // request-1
 * ```
 * @category Promises
 * @since 0.2.0
 */
export interface SubmitOptions {
  /** The task's name; `Task-N` by default. */
  readonly name?: string | undefined
}

/**
 * Options of `fromPromise`.
 *
 * @example
 * ```ts
 * import { Effect, Schema } from "effect"
 * import * as asyncio from "@effect-asyncio/core"
 *
 * class FetchError extends Schema.TaggedError<FetchError>()("FetchError", { reason: Schema.String }) {}
 * const options: asyncio.FromPromiseOptions<FetchError> = { catch: (reason) => new FetchError({ reason: String(reason) }) }
 * const program = asyncio.fromPromise(() => Promise.reject("offline"), options).pipe(
 *   Effect.catchTag("FetchError", (error) => Effect.succeed(error.reason))
 * )
 * asyncio.run(program).then(console.log) // offline
 * ```
 * @category Promises
 * @since 0.2.0
 */
export interface FromPromiseOptions<E> {
  /** Makes the typed error of a rejection (the default is Effect's `UnknownError`). */
  readonly catch: (reason: unknown) => E
}

/**
 * An effect that calls `evaluate(signal)` each time it runs and waits for its Promise: the result,
 * or the rejection as a typed error (Effect's `UnknownError` with the reason as its `cause`, or
 * what `options.catch` makes of it). Cancelling the task that waits aborts `signal` at the next
 * turn of the loop (its reason is the `CancelledError`), so an operation that takes an
 * `AbortSignal` (`fetch`, `setTimeout` of `node:timers/promises`, most Node APIs) stops: a
 * Promise by itself cannot be cancelled. In a task, the Promise is a future of the loop, its
 * wakeup a turn of the loop; outside any task it is awaited as `Effect.tryPromise` does (an
 * interruption aborts the signal). A Promise rejected with `CancelledError` (a cancelled task's
 * `toPromise()`) fails with that `CancelledError`.
 *
 * A non-function dies with `TypeError`, as does a function whose result is not a Promise; a
 * synchronous throw of `evaluate` is a rejection.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { setTimeout } from "node:timers/promises"
 * import * as asyncio from "@effect-asyncio/core"
 *
 * const slow = asyncio.fromPromise((signal) => setTimeout(10_000, "late", { signal }))
 * const program = Effect.gen(function* () {
 *   const task = yield* asyncio.createTask(slow)
 *   yield* asyncio.sleep(0.1)
 *   yield* task.cancel() // aborts the signal: node's timer is cleared, nothing keeps the process alive
 *   return (yield* Effect.flip(task))._tag
 * })
 * asyncio.run(program).then(console.log) // CancelledError
 * ```
 * @category Promises
 * @since 0.2.0
 */
export const fromPromise: {
  <A>(
    evaluate: (signal: AbortSignal) => PromiseLike<A>
  ): Effect.Effect<A, Cause.UnknownError | CancelledError>
  <A, E>(
    evaluate: (signal: AbortSignal) => PromiseLike<A>,
    options: FromPromiseOptions<E>
  ): Effect.Effect<A, E | CancelledError>
} = <A, E>(
  evaluate: (signal: AbortSignal) => PromiseLike<A>,
  options?: FromPromiseOptions<E>
): Effect.Effect<A, E | Cause.UnknownError | CancelledError> => checkedFromPromise(evaluate, options)

const checkedFromPromise = <A, E>(
  evaluate: unknown,
  options: FromPromiseOptions<E> | undefined
): Effect.Effect<A, E | Cause.UnknownError | CancelledError> => {
  if (typeof evaluate !== "function") {
    return dieTypeError(`fromPromise() expects a function that returns a Promise, got ${describe(evaluate)}`)
  }
  try {
    validate.options(options, "fromPromise", FROM_PROMISE_OPTIONS)
  } catch (error) {
    return Effect.die(error)
  }
  const catcher = options?.catch
  if (catcher !== undefined && typeof catcher !== "function") {
    return dieTypeError(`fromPromise() catch must be a function, got ${describe(catcher)}`)
  }
  return fromPromiseUnknown(
    evaluate as (signal: AbortSignal) => PromiseLike<A>,
    (catcher ?? unknownRejection) as Catch<E | Cause.UnknownError>
  )
}

/** The keys of `FromPromiseOptions`. */
const FROM_PROMISE_OPTIONS: ReadonlyArray<string> = ["catch"]

const dieTypeError = (message: string) => Effect.die(new TypeError({ message }))
