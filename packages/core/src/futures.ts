/**
 * Futures and handles: asyncio's `futures.py` and the `Handle` / `TimerHandle` of `events.py`.
 *
 * A `Future` is the one waiting primitive: a value that is pending, then done with a result,
 * with an error, or cancelled. Its done callbacks run at later turns of the loop, in the order
 * they were added, once each; `yield* future` waits for it. Every combinator of this library
 * (gather, wait, shield, TaskGroup...) and every `Task` is built on it, as in CPython.
 *
 * @since 0.1.0
 */
import { Effect } from "effect"
import { EventLoop, type EventLoopService } from "./events.js"
import { type CancelledError, type InvalidStateError, TypeError } from "./exceptions.js"
import { FutureImpl } from "./internal/future.js"
import { HandleImpl } from "./internal/loop.js"
import { describe, isInstance } from "./internal/validate.js"

/**
 * `asyncio.Future`: pending, then done with a result (`setResult`), a typed error
 * (`setException`), or cancelled (`cancel`). `yield* future` waits for it and gives the result,
 * fails with the error, or with `CancelledError`. Done callbacks are scheduled on the loop in
 * the order they were added (a callback added to a done future is scheduled at once).
 *
 * Methods that act are effects, each with an `*Unsafe` twin for callbacks; state reads are
 * synchronous, as in asyncio.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import * as asyncio from "@effect-asyncio/core"
 *
 * // the docs' home-made sleep: a future set by a timer of the loop
 * const mySleep = (seconds: number) =>
 *   Effect.gen(function* () {
 *     const loop = yield* asyncio.getRunningLoop
 *     const future = loop.createFuture<string>()
 *     loop.callLater(seconds, () => future.setResultUnsafe("woke"))
 *     return yield* future
 *   })
 * asyncio.run(mySleep(1)).then(console.log) // woke
 * ```
 * @category Futures
 * @since 0.2.0
 */
export interface Future<A, E = never> extends Effect.Effect<A, E | CancelledError> {
  /** The effect that awaits the future (`yield* future` is the same). */
  asEffect(): Effect.Effect<A, E | CancelledError>
  /** `future.done()`: a result, an error, or cancelled. */
  done(): boolean
  /** `future.cancelled()` */
  cancelled(): boolean
  /** `future.result()`: fails with its error, `CancelledError`, or `InvalidStateError` while pending. */
  result(): Effect.Effect<A, E | CancelledError | InvalidStateError>
  /** `future.exception()`: the error (`undefined` after a result); `CancelledError` or `InvalidStateError` as `result()`. */
  exception(): Effect.Effect<E | undefined, CancelledError | InvalidStateError>
  /** `future.cancel(msg)`: false if it is done already; otherwise cancelled now, callbacks scheduled. */
  cancel(message?: unknown): Effect.Effect<boolean>
  /** `cancel`, synchronously. */
  cancelUnsafe(message?: unknown): boolean
  /** `future.set_result(result)`; `InvalidStateError` if it is done already. */
  setResult(result: A): Effect.Effect<void, InvalidStateError>
  /** `setResult`, synchronously: throws `InvalidStateError` if it is done already. */
  setResultUnsafe(result: A): void
  /** `future.set_exception(error)` with a typed error; `InvalidStateError` if it is done already. */
  setException(error: E): Effect.Effect<void, InvalidStateError>
  /** `setException`, synchronously: throws `InvalidStateError` if it is done already. */
  setExceptionUnsafe(error: E): void
  /** `future.add_done_callback(fn)`: `fn(future)` once done, at a later turn, in order; once. */
  addDoneCallback(fn: (future: this) => unknown): void
  /** `future.remove_done_callback(fn)`: removes every registration of `fn`, returns how many. */
  removeDoneCallback(fn: (future: this) => unknown): number
  /** `future.get_loop()` */
  getLoop(): EventLoopService
  /**
   * A Promise of the outcome: resolves with the result, rejects with the error (the typed error,
   * a defect, or `CancelledError`) once the future is done, at a turn of the loop. For Promise-based
   * code; a task's outcome read this way counts as retrieved.
   */
  toPromise(): Promise<A>
  /** asyncio's repr: `<Future pending>`, `<Future finished result=1>`, `<Future cancelled>`. */
  toString(): string
}

/**
 * A future of the running loop, as `asyncio.Future()` (or `loop.create_future()`).
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import * as asyncio from "@effect-asyncio/core"
 *
 * const program = Effect.gen(function* () {
 *   const future = yield* asyncio.createFuture<number>()
 *   yield* asyncio.createTask(Effect.andThen(asyncio.sleep(1), future.setResult(42)))
 *   return yield* future
 * })
 * asyncio.run(program).then(console.log) // 42
 * ```
 * @category Futures
 * @since 0.2.0
 */
export const createFuture = <A, E = never>(): Effect.Effect<Future<A, E>, never, EventLoop> =>
  Effect.map(EventLoop, (loop) => loop.createFuture<A, E>())

/**
 * `asyncio.isfuture(obj)`: a `Future` (a `Task` is one).
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import * as asyncio from "@effect-asyncio/core"
 *
 * const program = Effect.gen(function* () {
 *   const task = yield* asyncio.createTask(Effect.succeed(1))
 *   return [asyncio.isFuture(task), asyncio.isFuture(Effect.succeed(1)), asyncio.isFuture(42)]
 * })
 * asyncio.run(program).then(console.log) // [true, false, false]
 * ```
 * @category Futures
 * @since 0.2.0
 */
export const isFuture = (value: unknown): value is Future<unknown, unknown> => isInstance(value, FutureImpl)

/**
 * `asyncio.Handle`: what `loop.callSoon` returns; `cancel()` keeps the callback from running.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import * as asyncio from "@effect-asyncio/core"
 *
 * const program = Effect.gen(function* () {
 *   const loop = yield* asyncio.getRunningLoop
 *   const handle: asyncio.Handle = loop.callSoon(() => console.log("never"))
 *   handle.cancel()
 *   yield* asyncio.sleep(0)
 *   return handle.cancelled()
 * })
 * asyncio.run(program).then(console.log) // true
 * ```
 * @category Event loop
 * @since 0.2.0
 */
export interface Handle {
  /** `handle.cancel()`: the callback will not run (nothing happens if it ran already). */
  cancel(): void
  /** `handle.cancelled()` */
  cancelled(): boolean
  /** asyncio's repr: `<Handle f(1)>`, `<Handle cancelled>`. */
  toString(): string
}

/**
 * `asyncio.TimerHandle`: what `loop.callLater` / `loop.callAt` return.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import * as asyncio from "@effect-asyncio/core"
 *
 * const program = Effect.gen(function* () {
 *   const loop = yield* asyncio.getRunningLoop
 *   const now = loop.time()
 *   const timer: asyncio.TimerHandle = loop.callAt(now + 5, () => {})
 *   timer.cancel()
 *   return [timer.when() - now, timer.cancelled()]
 * })
 * asyncio.run(program).then(console.log) // [5, true]
 * ```
 * @category Event loop
 * @since 0.2.0
 */
export interface TimerHandle extends Handle {
  /** `timer.when()`: the deadline, in loop time (seconds). */
  when(): number
}

/**
 * `asyncio.isHandle(value)`-like guard (asyncio has none; handy in callbacks and tests).
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import * as asyncio from "@effect-asyncio/core"
 *
 * const program = Effect.map(asyncio.getRunningLoop, (loop) => asyncio.isHandle(loop.callSoon(() => {})))
 * asyncio.run(program).then(console.log) // true
 * ```
 * @category Event loop
 * @since 0.2.0
 */
export const isHandle = (value: unknown): value is Handle => isInstance(value, HandleImpl)

/**
 * The implementation of a future of this library; anything else (a look-alike object) is a bug of
 * the caller: `TypeError`.
 *
 * @internal
 */
export const futureImpl = <A, E>(future: Future<A, E>): FutureImpl<A, E> => {
  if (future instanceof FutureImpl) return future as FutureImpl<A, E>
  throw new TypeError({ message: `An asyncio.Future is required, got ${describe(future)}` })
}
