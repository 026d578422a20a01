/**
 * `asyncio.wait` and `asyncio.as_completed`: waiting on a set of tasks without consuming their
 * results, and taking their results in completion order.
 *
 * @since 0.1.0
 */
import { Duration, Effect, type Fiber, Stream } from "effect"
import { EventLoop } from "./events.js"
import { type CancelledError, TimeoutError, TypeError, ValueError } from "./exceptions.js"
import {
  type Awaitable,
  hasException,
  markRetrieved,
  notAwaitable,
  type TaskError
} from "./internal/awaiting.js"
import { describe, type Seconds, toMillis } from "./internal/time.js"
import { ensureFuture, Task } from "./tasks.js"

/**
 * `asyncio.FIRST_COMPLETED`: `wait` returns when any task is done.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import * as asyncio from "@effect-asyncio/core"
 *
 * const program = Effect.gen(function* () {
 *   const tasks = [
 *     yield* asyncio.createTask(asyncio.sleep(1)),
 *     yield* asyncio.createTask(Effect.andThen(asyncio.sleep(2), Effect.fail("boom"))),
 *     yield* asyncio.createTask(asyncio.sleep(3))
 *   ]
 *   const { done } = yield* asyncio.wait(tasks, { returnWhen: asyncio.FIRST_COMPLETED })
 *   return done.size // 1, after 1 second
 * })
 * asyncio.run(program).then(console.log)
 * ```
 *
 * @since 0.1.0
 */
export const FIRST_COMPLETED = "FIRST_COMPLETED"

/**
 * `asyncio.FIRST_EXCEPTION`: `wait` returns when any task fails (an error or a defect, not a
 * cancellation), or when all are done.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import * as asyncio from "@effect-asyncio/core"
 *
 * const program = Effect.gen(function* () {
 *   const tasks = [
 *     yield* asyncio.createTask(asyncio.sleep(1)),
 *     yield* asyncio.createTask(Effect.andThen(asyncio.sleep(2), Effect.fail("boom"))),
 *     yield* asyncio.createTask(asyncio.sleep(3))
 *   ]
 *   const { done } = yield* asyncio.wait(tasks, { returnWhen: asyncio.FIRST_EXCEPTION })
 *   return done.size // 2, after 2 seconds
 * })
 * asyncio.run(program).then(console.log)
 * ```
 *
 * @since 0.1.0
 */
export const FIRST_EXCEPTION = "FIRST_EXCEPTION"

/**
 * `asyncio.ALL_COMPLETED`: `wait` returns when every task is done (the default).
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import * as asyncio from "@effect-asyncio/core"
 *
 * const program = Effect.gen(function* () {
 *   const tasks = [
 *     yield* asyncio.createTask(asyncio.sleep(1)),
 *     yield* asyncio.createTask(Effect.andThen(asyncio.sleep(2), Effect.fail("boom"))),
 *     yield* asyncio.createTask(asyncio.sleep(3))
 *   ]
 *   const { done } = yield* asyncio.wait(tasks, { returnWhen: asyncio.ALL_COMPLETED })
 *   return done.size // 3, after 3 seconds; "boom" is reported at exit: nobody retrieved it
 * })
 * asyncio.run(program).then(console.log)
 * ```
 *
 * @since 0.1.0
 */
export const ALL_COMPLETED = "ALL_COMPLETED"

/**
 * When `wait` returns.
 *
 * @since 0.1.0
 */
export type ReturnWhen = typeof FIRST_COMPLETED | typeof FIRST_EXCEPTION | typeof ALL_COMPLETED

/**
 * Options of `wait` (asyncio's keyword arguments).
 *
 * @since 0.1.0
 */
export interface WaitOptions {
  /** Return after this many seconds even if the condition is not met; `null` waits forever. */
  readonly timeout?: Seconds | null | undefined
  /** `FIRST_COMPLETED`, `FIRST_EXCEPTION` or `ALL_COMPLETED` (default). */
  readonly returnWhen?: ReturnWhen | undefined
}

/**
 * What `wait` returns: asyncio's `(done, pending)` pair of sets, holding the tasks passed in.
 *
 * @since 0.1.0
 */
export interface WaitResult<T> {
  readonly done: Set<T>
  readonly pending: Set<T>
}

/** Any task, whatever its types: `wait` only looks at their state. */
type AnyTask = Task<unknown, unknown>

/**
 * `asyncio.wait(aws, timeout=None, return_when=ALL_COMPLETED)`: waits until the tasks meet
 * `returnWhen`, or until `timeout` seconds pass, and returns `{ done, pending }`. It neither
 * cancels anything (on timeout the pending tasks keep running) nor reads the results: await
 * the tasks in `done` for that. A task passed twice appears once.
 *
 * As in 3.11+, only tasks are accepted: a bare effect dies with `TypeError` ("Passing
 * coroutines is forbidden"), an empty input or an unknown `returnWhen` with `ValueError`.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import * as asyncio from "@effect-asyncio/core"
 *
 * const program = Effect.gen(function* () {
 *   const fast = yield* asyncio.createTask(asyncio.sleep(1, "fast"))
 *   const slow = yield* asyncio.createTask(asyncio.sleep(5, "slow"))
 *   const { done, pending } = yield* asyncio.wait([fast, slow], { returnWhen: asyncio.FIRST_COMPLETED })
 *   return [done.has(fast), pending.has(slow)] // [true, true], after 1 second
 * })
 * asyncio.run(program).then(console.log)
 * ```
 * @since 0.1.0
 */
export const wait = <T extends AnyTask>(
  tasks: Iterable<T>,
  options: WaitOptions = {}
): Effect.Effect<WaitResult<T>> =>
  Effect.suspend(() => {
    const value: unknown = tasks
    if (
      Effect.isEffect(value) ||
      value === null ||
      typeof value !== "object" ||
      !(Symbol.iterator in value)
    ) {
      return Effect.die(new TypeError({ message: `expect a list of futures, not ${describe(value)}` }))
    }
    const fs = new Set(tasks)
    if (fs.size === 0) return Effect.die(new ValueError({ message: "Set of Tasks/Futures is empty." }))
    const returnWhen = options.returnWhen ?? ALL_COMPLETED
    if (returnWhen !== FIRST_COMPLETED && returnWhen !== FIRST_EXCEPTION && returnWhen !== ALL_COMPLETED) {
      return Effect.die(new ValueError({ message: `Invalid return_when value: ${describe(returnWhen)}` }))
    }
    for (const f of fs) {
      if (!(f instanceof Task)) {
        return Effect.die(
          Effect.isEffect(f)
            ? new TypeError({ message: "Passing coroutines is forbidden, use tasks explicitly." })
            : notAwaitable(f)
        )
      }
    }
    const waiter = waitUntil(fs, returnWhen)
    const timeout = options.timeout
    const bounded =
      timeout === null || timeout === undefined
        ? waiter
        : Effect.flatMap(toMillis(timeout, "timeout"), (millis) =>
            Effect.raceFirst(waiter, millis <= 0 ? Effect.yieldNow : Effect.sleep(Duration.millis(millis)))
          )
    // asyncio wakes the waiting task with one more turn of the loop (`waiter.set_result` schedules
    // it): tasks finishing in that turn are reported done too (test_wait_really_done)
    return Effect.map(Effect.andThen(bounded, Effect.yieldNow), () => {
      const done = new Set<T>()
      const pending = new Set<T>()
      for (const f of fs) (f.done() ? done : pending).add(f)
      return { done, pending }
    })
  })

/** asyncio's `_wait`: one done callback per task, removed when the waiter returns. */
const waitUntil = (fs: ReadonlySet<AnyTask>, returnWhen: ReturnWhen): Effect.Effect<void> =>
  Effect.suspend(() => {
    let counter = fs.size
    let release: (() => void) | undefined
    let released = false
    const onCompletion = (f: AnyTask): void => {
      counter -= 1
      const failed = returnWhen === FIRST_EXCEPTION && hasException(f)
      // asyncio calls f.exception() here, which marks it retrieved
      if (failed) markRetrieved(f)
      if (counter <= 0 || returnWhen === FIRST_COMPLETED || failed) {
        released = true
        release?.()
      }
    }
    for (const f of fs) f.addDoneCallback(onCompletion)
    return Effect.callback<void>((resume) => {
      if (released) resume(Effect.void)
      else release = () => resume(Effect.void)
    }).pipe(
      Effect.ensuring(
        Effect.sync(() => {
          for (const f of fs) f.removeDoneCallback(onCompletion)
        })
      )
    )
  })

/** The task that stands for an awaitable: the task itself, or the task wrapping an effect. */
export type TaskOf<T> =
  T extends Task<infer A, infer E> ? Task<A, E> : Task<Effect.Success<T>, Effect.Error<T>>

/**
 * Options of `asCompleted`.
 *
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
 *   return order // ["fast", "slow"]
 * })
 * asyncio.run(program).then(console.log)
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
      return Effect.die(new TypeError({ message: `expect an iterable of futures, not ${describe(value)}` }))
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
          // in the loop's scope: a loop that closes first takes the timer with it
          const timer = yield* Effect.forkIn(
            Effect.andThen(
              delay <= 0 ? Effect.yieldNow : Effect.sleep(Duration.millis(delay)),
              Effect.sync(() => iterator.handleTimeout())
            ),
            loop.scope,
            { startImmediately: true }
          )
          iterator.timer = timer
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
  timer: Fiber.Fiber<void> | undefined = undefined

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
    if (this.todo.size === 0) this.timer?.interruptUnsafe()
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
