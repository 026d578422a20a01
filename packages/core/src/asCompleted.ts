/**
 * `asyncio.as_completed` (3.13): the results, or the tasks, of a set of awaitables in the order
 * they finish.
 *
 * @since 0.1.0
 */
import { type Cause, Context, Effect, Stream } from "effect"
import { EventLoop, loopImpl } from "./events.js"
import { type CancelledError, TimeoutError, TypeError } from "./exceptions.js"
import type { Future } from "./futures.js"
import {
  type Awaitable,
  type AwaitedError,
  type AwaitedResult,
  type AwaitedServices,
  foreignFuture,
  type TaskError
} from "./internal/awaiting.js"
import type { EventLoopImpl } from "./internal/eventLoop.js"
import { awaitFuture, type FutureImpl, LabelledFuture } from "./internal/future.js"
import type { TimerHandleImpl } from "./internal/loop.js"
import type { Seconds } from "./internal/time.js"
import * as validate from "./internal/validate.js"
import { futureOf, type Task } from "./tasks.js"

/** Any future (a task is one), whatever its types. */
type AnyFuture = FutureImpl<unknown, unknown>

/**
 * The task that stands for an awaitable: the task itself, or the task wrapping an effect.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import * as asyncio from "@effect-asyncio/core"
 *
 * // what `asCompleted(...).stream` emits for an effect that gives a string
 * const program = Effect.gen(function* () {
 *   const task: asyncio.TaskOf<Effect.Effect<string>> = yield* asyncio.createTask(asyncio.sleep(0.1, "done"))
 *   return yield* task
 * })
 * asyncio.run(program).then(console.log) // done
 * ```
 * @category Combinators
 * @since 0.1.0
 */
export type TaskOf<T> =
  T extends Task<infer A, infer E>
    ? Task<A, E>
    : T extends PromiseLike<infer A>
      ? Future<A, Cause.UnknownError>
      : Task<AwaitedResult<T>, AwaitedError<T>>

/**
 * Options of `asCompleted`.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import * as asyncio from "@effect-asyncio/core"
 *
 * const options: asyncio.AsCompletedOptions = { timeout: 0.1 }
 * const program = Effect.gen(function* () {
 *   for (const next of yield* asyncio.asCompleted([asyncio.sleep(5, "late")], options)) {
 *     return yield* Effect.flip(next)
 *   }
 * })
 * asyncio.run(program).then((error) => console.log(error?._tag)) // TimeoutError
 * ```
 * @category Combinators
 * @since 0.1.0
 */
export interface AsCompletedOptions {
  /** Seconds after which the remaining waits fail with `TimeoutError`; the tasks keep running. */
  readonly timeout?: Seconds | null | undefined
}

/**
 * What `asCompleted` returns, usable both ways of Python 3.13:
 * - as an iterable of effects (`for aw in as_completed(...)`): each effect waits for the next
 *   task to finish and gives its result (or fails with its error);
 * - as `stream` (`async for task in as_completed(...)`): the tasks themselves, in completion
 *   order; the tasks passed in are emitted as they are.
 *
 * Both draw from the same queue: each task comes out once, whichever form takes it. Promise-based
 * code can take the tasks with `for await (const task of completed)` too.
 *
 * @example
 * ```ts
 * import { Effect, Stream } from "effect"
 * import * as asyncio from "@effect-asyncio/core"
 *
 * const program = Effect.gen(function* () {
 *   const completed: asyncio.AsCompleted<Effect.Effect<string>> = yield* asyncio.asCompleted([
 *     asyncio.sleep(0.2, "slow"),
 *     asyncio.sleep(0.1, "fast")
 *   ])
 *   const tasks = yield* Stream.runCollect(completed.stream)
 *   return [...tasks].map((task) => task.getName())
 * })
 * asyncio.run(program).then(console.log) // ["Task-3", "Task-2"]
 * ```
 * @category Combinators
 * @since 0.1.0
 */
export interface AsCompleted<T extends Awaitable>
  extends Iterable<Effect.Effect<AwaitedResult<T>, TaskError<T> | CancelledError | TimeoutError>>,
    AsyncIterable<TaskOf<T>> {
  /** The tasks in completion order; fails with `TimeoutError` when the deadline passes. */
  readonly stream: Stream.Stream<TaskOf<T>, TimeoutError>
  /** How many tasks are still to come out. */
  readonly remaining: () => number
}

/**
 * `asyncio.as_completed(aws, timeout=None)` (3.13): starts every effect as a task (tasks are
 * used as they are, duplicates once) and hands them back in the order they finish. Iterate it
 * for effects that give the next result, or read `stream` for the tasks themselves.
 *
 * When `timeout` seconds pass before every task is done, each wait not yet served fails with
 * `TimeoutError`; the tasks still running are not cancelled. A single effect or task instead of
 * an iterable dies with `TypeError`.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import * as asyncio from "@effect-asyncio/core"
 *
 * const program = Effect.gen(function* () {
 *   const order: Array<string> = []
 *   for (const next of yield* asyncio.asCompleted([asyncio.sleep(2, "slow"), asyncio.sleep(1, "fast")])) {
 *     order.push(yield* next)
 *   }
 *   return order
 * })
 * asyncio.run(program).then(console.log) // ["fast", "slow"]
 * ```
 * @category Combinators
 * @since 0.1.0
 */
export const asCompleted = <T extends Awaitable>(
  aws: Iterable<T>,
  options: AsCompletedOptions = {}
): Effect.Effect<AsCompleted<T>, never, AwaitedServices<T> | EventLoop> =>
  Effect.withFiber((parent) => {
    const checked = validate.options(options, "asCompleted", AS_COMPLETED_OPTIONS) ?? {}
    const value: unknown = aws
    if (
      validate.isEffect(value) ||
      value === null ||
      typeof value !== "object" ||
      !(Symbol.iterator in value)
    ) {
      return Effect.die(
        new TypeError({ message: `expects an iterable of awaitables, not ${validate.describe(value)}` })
      )
    }
    const unique = new Set(aws)
    for (const aw of unique) validate.awaitable(aw)
    const delay = validate.optionalSeconds(checked.timeout, "asCompleted() timeout")
    const loop = loopImpl(Context.get(parent.context as Context.Context<EventLoop>, EventLoop))
    // CPython: `ensure_future(f, loop=loop)` refuses a future of another loop
    const foreign = foreignFuture(unique, loop, undefined, false)
    if (foreign !== undefined) return Effect.die(foreign)
    const todo = new Set<AnyFuture>()
    for (const aw of unique) todo.add(futureOf(aw, parent.context, loop))
    return Effect.succeed(new AsCompletedIterator(todo, delay, loop) as unknown as AsCompleted<T>)
  }) as Effect.Effect<AsCompleted<T>, never, AwaitedServices<T> | EventLoop>

/** The keys of `AsCompletedOptions`. */
const AS_COMPLETED_OPTIONS: ReadonlyArray<string> = ["timeout"]

/**
 * The part of asyncio's `Queue` that `_AsCompletedIterator` uses (`get`, `put_nowait`): items, and
 * the futures of the getters waiting for one, woken first in, first out.
 */
class DoneQueue {
  private readonly items: Array<AnyFuture | null> = []
  private readonly getters: Array<FutureImpl<void>> = []

  constructor(private readonly loop: EventLoopImpl) {}

  /** `Queue.put_nowait(item)` */
  putNowait(item: AnyFuture | null): void {
    this.items.push(item)
    this.wakeupNext()
  }

  /** `Queue._wakeup_next(self._getters)`: the first getter still pending */
  private wakeupNext(): void {
    while (this.getters.length > 0) {
      const waiter = this.getters.shift() as FutureImpl<void>
      if (!waiter.done()) {
        waiter.resolveNow(undefined)
        break
      }
    }
  }

  /** `await Queue.get()` */
  get(): Effect.Effect<AnyFuture | null> {
    return Effect.suspend(() => {
      if (this.items.length > 0) return Effect.succeed(this.items.shift() as AnyFuture | null)
      const getter = new LabelledFuture<void>(this.loop, () => "asCompleted()")
      this.getters.push(getter)
      return (awaitFuture(getter) as Effect.Effect<void>).pipe(
        Effect.onInterrupt(() =>
          Effect.sync(() => {
            getter.cancelNow()
            const index = this.getters.indexOf(getter)
            if (index >= 0) this.getters.splice(index, 1)
            // woken by put_nowait, but cannot take the item: wake the next in line
            if (this.items.length > 0 && !getter.cancelled()) this.wakeupNext()
          })
        ),
        Effect.andThen(this.get())
      )
    })
  }
}

/** asyncio's `_AsCompletedIterator`, step for step. */
class AsCompletedIterator {
  private readonly done: DoneQueue
  /** asyncio's `_timeout_handle` */
  private readonly timeoutHandle: TimerHandleImpl | undefined = undefined
  private todoLeft: number

  constructor(
    private readonly todo: Set<AnyFuture>,
    timeout: number | undefined,
    private readonly loop: EventLoopImpl
  ) {
    this.done = new DoneQueue(loop)
    for (const f of todo) f.addDoneCallback(this.handleCompletion)
    if (todo.size > 0 && timeout !== undefined && timeout !== Number.POSITIVE_INFINITY) {
      this.timeoutHandle = loop.callLater(timeout, this.handleTimeout)
    }
    this.todoLeft = todo.size
  }

  remaining(): number {
    return this.todoLeft
  }

  /** `__next__`: a new effect per remaining future, giving the result of the next one done. */
  *[Symbol.iterator](): Iterator<Effect.Effect<unknown, unknown>> {
    while (this.todoLeft > 0) {
      this.todoLeft -= 1
      yield Effect.flatMap(this.waitForOne(), (f) => awaitFuture(f))
    }
  }

  /** `__anext__`: the futures themselves, as they finish. */
  get stream(): Stream.Stream<AnyFuture, TimeoutError> {
    return Stream.unfold(undefined, () =>
      Effect.suspend(() => {
        if (this.todoLeft === 0) return Effect.succeed(undefined)
        this.todoLeft -= 1
        return Effect.map(this.waitForOne(), (f) => [f, undefined] as const)
      })
    )
  }

  /**
   * `async for` from Promise-based code: the futures as they finish, each wait a task of the
   * loop (`loop.submit`); the iteration throws `TimeoutError` once the deadline passes.
   */
  [Symbol.asyncIterator](): AsyncIterator<AnyFuture, undefined> {
    const done: IteratorResult<AnyFuture, undefined> = { done: true, value: undefined }
    return {
      next: () => {
        if (this.todoLeft === 0) return Promise.resolve(done)
        this.todoLeft -= 1
        const next = Effect.map(
          this.waitForOne(),
          (f): IteratorResult<AnyFuture, undefined> => ({ done: false, value: f })
        )
        return this.loop.submit(next).promise
      }
    }
  }

  private readonly handleTimeout = (): void => {
    for (const f of this.todo) {
      f.removeDoneCallback(this.handleCompletion)
      this.done.putNowait(null) // Sentinel for _wait_for_one().
    }
    this.todo.clear() // Can't do todo.remove(f) in the loop.
  }

  private readonly handleCompletion = (f: AnyFuture): void => {
    if (this.todo.size === 0) return // _handle_timeout() was here first.
    this.todo.delete(f)
    this.done.putNowait(f)
    if (this.todo.size === 0) this.timeoutHandle?.cancel()
  }

  private waitForOne(): Effect.Effect<AnyFuture, TimeoutError> {
    return Effect.flatMap(this.done.get(), (f) =>
      f === null ? Effect.fail(new TimeoutError({ message: "" })) : Effect.succeed(f)
    )
  }
}
