/**
 * `asyncio.as_completed` (3.13): the results, or the tasks, of a set of awaitables in the order
 * they finish.
 *
 * @since 0.1.0
 */
import { Effect, Stream } from "effect"
import { EventLoop } from "./events.js"
import { type CancelledError, TimeoutError, TypeError } from "./exceptions.js"
import { type Awaitable, notAwaitable, type TaskError } from "./internal/awaiting.js"
import { describe, type Seconds, toMillis } from "./internal/time.js"
import { ensureFuture, Task } from "./tasks.js"

/** Any task, whatever its types. */
type AnyTask = Task<unknown, unknown>

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
 * @since 0.1.0
 */
export type TaskOf<T> =
  T extends Task<infer A, infer E> ? Task<A, E> : Task<Effect.Success<T>, Effect.Error<T>>

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
 * Both draw from the same queue: each task comes out once, whichever form takes it.
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
 * @since 0.1.0
 */
export interface AsCompleted<T extends Awaitable>
  extends Iterable<Effect.Effect<Effect.Success<T>, TaskError<T> | CancelledError | TimeoutError>> {
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
 * @since 0.1.0
 */
export const asCompleted = <T extends Awaitable>(
  aws: Iterable<T>,
  options: AsCompletedOptions = {}
): Effect.Effect<AsCompleted<T>, never, Effect.Services<T> | EventLoop> =>
  Effect.suspend(() => {
    const value: unknown = aws
    if (
      Effect.isEffect(value) ||
      value === null ||
      typeof value !== "object" ||
      !(Symbol.iterator in value)
    ) {
      return Effect.die(
        new TypeError({ message: `expects an iterable of awaitables, not ${describe(value)}` })
      )
    }
    const unique = new Set(aws)
    for (const aw of unique) if (!Effect.isEffect(aw)) return Effect.die(notAwaitable(aw))
    const timeout = options.timeout
    const millis =
      timeout === null || timeout === undefined ? Effect.succeed(undefined) : toMillis(timeout, "timeout")
    return Effect.flatMap(millis, (delay) =>
      Effect.gen(function* () {
        const loop = yield* EventLoop
        const todo = new Set<AnyTask>()
        for (const aw of unique) {
          todo.add(
            aw instanceof Task
              ? aw
              : yield* ensureFuture(aw as Awaitable as Effect.Effect<unknown, unknown, never>)
          )
        }
        const iterator = new AsCompletedIterator(todo)
        if (todo.size > 0 && delay !== undefined) {
          // asyncio's `loop.call_later(timeout, self._handle_timeout)`: a timer of the loop
          iterator.cancelTimer = loop.callAt(loop.time() + delay / 1000, () => iterator.handleTimeout())
        }
        return iterator as unknown as AsCompleted<T>
      })
    )
  }) as Effect.Effect<AsCompleted<T>, never, Effect.Services<T> | EventLoop>

/** asyncio's `_AsCompletedIterator`: done tasks go through a queue; `null` is the timeout. */
class AsCompletedIterator {
  private readonly done: Array<AnyTask | null> = []
  private readonly getters: Array<(task: AnyTask | null) => void> = []
  private todoLeft: number
  /** cancels the deadline timer (asyncio's `_timeout_handle`) */
  cancelTimer: (() => void) | undefined = undefined

  constructor(private readonly todo: Set<AnyTask>) {
    this.todoLeft = todo.size
    for (const task of todo) task.addDoneCallback(this.handleCompletion)
  }

  remaining(): number {
    return this.todoLeft
  }

  *[Symbol.iterator](): Iterator<Effect.Effect<unknown, unknown>> {
    while (this.todoLeft > 0) {
      this.todoLeft -= 1
      yield Effect.flatMap(this.waitForOne(), (task) => task)
    }
  }

  get stream(): Stream.Stream<AnyTask, TimeoutError> {
    return Stream.unfold(undefined, () =>
      Effect.suspend(() => {
        if (this.todoLeft === 0) return Effect.succeed(undefined)
        this.todoLeft -= 1
        return Effect.map(this.waitForOne(), (task) => [task, undefined] as const)
      })
    )
  }

  handleTimeout(): void {
    for (const task of this.todo) {
      task.removeDoneCallback(this.handleCompletion)
      this.put(null)
    }
    this.todo.clear()
  }

  private readonly handleCompletion = (task: AnyTask): void => {
    if (this.todo.size === 0) return // handleTimeout was here first
    this.todo.delete(task)
    this.put(task)
    if (this.todo.size === 0) this.cancelTimer?.()
  }

  private put(task: AnyTask | null): void {
    const getter = this.getters.shift()
    if (getter !== undefined) getter(task)
    else this.done.push(task)
  }

  private waitForOne(): Effect.Effect<AnyTask, TimeoutError> {
    return Effect.flatMap(
      Effect.callback<AnyTask | null>((resume) => {
        if (this.done.length > 0) {
          resume(Effect.succeed(this.done.shift() ?? null))
          return
        }
        const getter = (task: AnyTask | null) => resume(Effect.succeed(task))
        this.getters.push(getter)
        return Effect.sync(() => {
          const index = this.getters.indexOf(getter)
          if (index >= 0) this.getters.splice(index, 1)
        })
      }),
      (task) => (task === null ? Effect.fail(new TimeoutError({ message: "" })) : Effect.succeed(task))
    )
  }
}
