/**
 * Tasks: asyncio's `Task` (`tasks.py`), `create_task`, `ensure_future`, `sleep`,
 * `current_task` and `all_tasks`.
 *
 * A coroutine is any `Effect`: lazy, nothing runs until it is awaited (`yield*`) or wrapped in a
 * task. A `Task` is a `Future` whose steps the loop drives: `createTask` registers it and queues
 * its first step (or runs it at once with `eagerStart`); its effect runs in a fiber of its own,
 * which outlives the fiber that created it, and is cancelled when the loop shuts down.
 *
 * `yield* task` awaits it: its result, its typed error, or `CancelledError` if it was cancelled.
 * As in asyncio, cancelling a task that awaits another task cancels the awaited one too (use
 * `shield` to prevent that).
 *
 * @since 0.1.0
 */
import { type Cause, Context, Duration, Effect, Exit, Fiber } from "effect"
import { EventLoop, type EventLoopService, loopImpl } from "./events.js"
import { RuntimeError, TypeError } from "./exceptions.js"
import type { Future } from "./futures.js"
import { EventLoopImpl } from "./internal/eventLoop.js"
import { awaitFuture, CurrentTask, FutureImpl, setResultUnlessCancelled } from "./internal/future.js"
import { creationSite, debugMode, TimerHandleImpl } from "./internal/loop.js"
import { pyRepr } from "./internal/outcome.js"
import { awaitPromise, isThenable, promiseFuture, unknownRejection } from "./internal/promise.js"
import { ownTurn, TaskImpl } from "./internal/task.js"
import type { Seconds } from "./internal/time.js"
import * as validate from "./internal/validate.js"

/**
 * A running effect, as asyncio's `Task`: a `Future` driven by the loop. `yield* task` awaits
 * it and gives its result, fails with its typed error, or fails with `CancelledError` if it was
 * cancelled. State reads (`done()`, `cancelled()`, `getName()`...) are synchronous, as in asyncio.
 *
 * `cancel()` only asks: it returns `true` for a pending task and counts the request
 * (`cancelling()`), and the task is interrupted at its next step (its finalizers run then).
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import * as asyncio from "@effect-asyncio/core"
 *
 * const program = Effect.gen(function* () {
 *   const task: asyncio.Task<string> = yield* asyncio.createTask(asyncio.sleep(1, "done"), { name: "worker" })
 *   console.log(task.getName(), task.done()) // worker false
 *   const result = yield* task
 *   console.log(result, task.done()) // done true
 * })
 * asyncio.run(program)
 * ```
 * @category Tasks
 * @since 0.1.0
 */
export interface Task<A, E = never> extends Future<A, E> {
  /** `task.cancelling()`: the number of cancellation requests not withdrawn by `uncancel()`. */
  cancelling(): number
  /** `task.uncancel()`: withdraws one request; the last one withdrawn before it reached the task cancels nothing. */
  uncancel(): number
  /** `task.get_name()` */
  getName(): string
  /** `task.set_name(value)` */
  setName(value: unknown): void
  /** `task.get_coro()`: the effect the task runs. */
  getCoro(): Effect.Effect<A, E>
  /** The fiber running the effect, from the task's first step until it is done (for Effect's tools). */
  fiberUnsafe(): Fiber.Fiber<A, E> | undefined
  /** In debug mode, where the task was created (asyncio's `_source_traceback`). */
  readonly sourceTraceback: string | undefined
}

/**
 * Options of `createTask` (asyncio's keyword arguments).
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import * as asyncio from "@effect-asyncio/core"
 *
 * const options: asyncio.CreateTaskOptions = { name: "worker", eagerStart: true }
 * const program = Effect.gen(function* () {
 *   const task = yield* asyncio.createTask(Effect.succeed(42), options)
 *   return [task.getName(), task.done()] // eager: done before createTask returned
 * })
 * asyncio.run(program).then(console.log) // ["worker", true]
 * ```
 * @category Tasks
 * @since 0.1.0
 */
export interface CreateTaskOptions {
  /** The task's name; `Task-N` by default. */
  readonly name?: string | undefined
  /**
   * Python 3.14's `eager_start`: run the body synchronously, inside `createTask`, until it first
   * blocks. A body that finishes without blocking never gets scheduled at all. Defaults to the
   * loop's task factory (`eagerTaskFactory`). As in asyncio, only while the loop is running.
   */
  readonly eagerStart?: boolean | undefined
}

/**
 * `asyncio.create_task(coro, name=...)`: registers `effect` as a task of the running loop and
 * queues its first step (`call_soon`), then returns the handle at once. The task does not stop
 * when the creating fiber ends; it is cancelled when the loop shuts down. The task runs with the
 * services of the fiber that created it (as a task copies the current `contextvars`).
 *
 * With `eagerStart` (or the loop's `eagerTaskFactory`), the first step runs inside `createTask`.
 * Cancelling a task before its first step ends it without running its body.
 *
 * A Promise (any thenable) is accepted too, as asyncio takes any awaitable: the task waits for
 * it as a future of the loop and gives its result, or fails with Effect's `UnknownError` (the
 * rejection is its `cause`). Cancelling that task stops the waiting, not the Promise: JavaScript
 * cannot cancel one (`fromPromise((signal) => ...)` gives the operation an `AbortSignal`).
 *
 * Anything else is a bug: the effect dies with asyncio's `TypeError`.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import * as asyncio from "@effect-asyncio/core"
 *
 * const program = Effect.gen(function* () {
 *   const a = yield* asyncio.createTask(asyncio.sleep(1, "a"))
 *   const b = yield* asyncio.createTask(asyncio.sleep(1, "b"))
 *   const c = yield* asyncio.createTask(Promise.resolve("c"))
 *   return [yield* a, yield* b, yield* c] // all ran concurrently: 1 second in all
 * })
 * asyncio.run(program).then(console.log) // ["a", "b", "c"]
 * ```
 * @category Tasks
 * @since 0.1.0
 */
export const createTask: {
  <A, E, R>(
    effect: Effect.Effect<A, E, R>,
    options?: CreateTaskOptions
  ): Effect.Effect<Task<A, E>, never, R | EventLoop>
  <A>(
    promise: PromiseLike<A>,
    options?: CreateTaskOptions
  ): Effect.Effect<Task<A, Cause.UnknownError>, never, EventLoop>
} = (<A, E>(effect: Effect.Effect<A, E> | PromiseLike<A>, options?: CreateTaskOptions) => {
  const site = debugMode.seen ? creationSite() : undefined
  return Effect.withFiber((parent) => {
    // in a task, its loop (one lookup); elsewhere the loop of the context
    const current = parent.getRef(CurrentTask)
    const loop =
      current !== undefined
        ? (current.loop as EventLoopImpl)
        : loopImpl(Context.get(parent.context as Context.Context<EventLoop>, EventLoop))
    const refused = refuseTask(loop, effect, options)
    if (refused !== undefined) return refused
    return Effect.succeed(spawnTask(parent.context, loop, coroutineOf(effect), options, site))
  })
}) as never

/**
 * @internal why `createTask` refuses: the defect to die with (`TypeError` for a non-effect or a
 * bad option, `RuntimeError` on a closed loop), or `undefined` if it may go ahead.
 */
export const refuseTask = (
  loop: EventLoopImpl,
  effect: unknown,
  options: CreateTaskOptions | undefined,
  fn = "createTask"
): Effect.Effect<never> | undefined => {
  try {
    validate.coroutineOrThenable(effect)
    validate.options(options, fn, TASK_OPTIONS)
  } catch (error) {
    return Effect.die(error)
  }
  if (loop.isClosed()) return Effect.die(new RuntimeError({ message: "Event loop is closed" }))
  return undefined
}

/** The keys of `CreateTaskOptions`. */
const TASK_OPTIONS: ReadonlyArray<string> = ["name", "eagerStart"]

/**
 * @internal what a task runs for an awaitable `refuseTask` accepted: the effect itself, or the
 * wait for a Promise (asyncio's `_wrap_awaitable`).
 */
export const coroutineOf = <A, E>(awaitable: Effect.Effect<A, E> | PromiseLike<A>): Effect.Effect<A, E> =>
  isThenable(awaitable)
    ? (awaitPromise(awaitable) as Effect.Effect<A, E>)
    : (awaitable as Effect.Effect<A, E>)

/**
 * @internal `loop.create_task(coro)` once `refuseTask` said yes: the task's fiber gets the
 * creator's services, the loop, and the loop as its scheduler (`EventLoopImpl.spawn`).
 */
export const spawnTask = <A, E>(
  parent: Context.Context<never>,
  loop: EventLoopImpl,
  effect: Effect.Effect<A, E>,
  options: CreateTaskOptions | undefined,
  /** where `createTask(...)` was called, read when it was called (debug mode) */
  site?: string | undefined
): TaskImpl<A, E> => loop.spawn(parent, effect, options, site)

/**
 * @internal asyncio's `ensure_future(arg)` inside a combinator: a future as it is, a Promise as
 * a future its settlement completes (`wrap_future`), an effect as a new task of `loop` (created
 * from `parent`'s services).
 */
export const futureOf = (
  arg: unknown,
  parent: Context.Context<never>,
  loop: EventLoopImpl
): FutureImpl<unknown, unknown> => {
  if (validate.isInstance(arg, FutureImpl)) return arg
  if (validate.isThenable(arg)) return promiseFuture(loop, arg, unknownRejection)
  return spawnTask(parent, loop, arg as Effect.Effect<unknown, unknown>, undefined)
}

/**
 * `asyncio.ensure_future(x)`: a future (a task) is returned as it is (the same object); an
 * effect is wrapped in a new task; a Promise (any thenable) in a future of the loop that its
 * settlement completes, at a turn of the loop (asyncio's `wrap_future`), failing with Effect's
 * `UnknownError` on a rejection. Cancelling that future does not stop the Promise. Anything else
 * is a bug: the effect dies with `TypeError`.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import * as asyncio from "@effect-asyncio/core"
 *
 * const program = Effect.gen(function* () {
 *   const task = yield* asyncio.createTask(asyncio.sleep(1, 42))
 *   const same = yield* asyncio.ensureFuture(task)
 *   console.log("Same object:", same === task) // Same object: true
 *   const wrapped = yield* asyncio.ensureFuture(Promise.resolve(1))
 *   return (yield* same) + (yield* wrapped)
 * })
 * asyncio.run(program).then(console.log) // 43
 * ```
 * @category Tasks
 * @since 0.1.0
 */
export const ensureFuture: {
  <F extends Future<unknown, unknown>>(future: F): Effect.Effect<F, never, EventLoop>
  <A, E, R>(
    effect: Effect.Effect<A, E, R>,
    options?: CreateTaskOptions
  ): Effect.Effect<Task<A, E>, never, R | EventLoop>
  <A>(promise: PromiseLike<A>): Effect.Effect<Future<A, Cause.UnknownError>, never, EventLoop>
} = ((
  value: unknown,
  options?: CreateTaskOptions
): Effect.Effect<Future<unknown, unknown>, never, EventLoop> => {
  if (validate.isInstance(value, FutureImpl)) return Effect.succeed(value as Future<unknown, unknown>)
  if (validate.isEffect(value)) return createTask(value as Effect.Effect<unknown, unknown>, options)
  if (validate.isThenable(value)) {
    return Effect.map(EventLoop, (loop) => promiseFuture(loopImpl(loop), value, unknownRejection))
  }
  return Effect.die(validate.notAwaitable(value))
}) as never

/**
 * `asyncio.sleep(seconds, result)`: suspends the caller for `seconds` (a number of seconds, or
 * a `Duration`), then returns `result`. In a task, it is a future set by a timer of the loop
 * (`call_later`), as in asyncio; `sleep(0)`, and any delay <= 0, yields one turn of the loop.
 * Outside any task, it is Effect's own sleep. A NaN delay dies with asyncio's `ValueError`, a
 * delay of another type with `TypeError`.
 *
 * @example
 * ```ts
 * import * as asyncio from "@effect-asyncio/core"
 *
 * // half a second later:
 * asyncio.run(asyncio.sleep(0.5, "awake")).then(console.log) // awake
 * ```
 * @category Tasks
 * @since 0.1.0
 */
export const sleep: {
  (seconds: Seconds): Effect.Effect<void>
  <A>(seconds: Seconds, result: A): Effect.Effect<A>
} = <A>(seconds: Seconds, result?: A): Effect.Effect<A | undefined> => {
  let delay: number
  try {
    delay = validate.seconds(seconds, "delay")
  } catch (error) {
    return Effect.die(error)
  }
  // as asyncio: `if delay <= 0: await __sleep0()` (NaN was refused above, as asyncio does next)
  if (delay <= 0)
    return result === undefined ? (sleep0 as Effect.Effect<undefined>) : Effect.as(sleep0, result)
  return Effect.withFiber((fiber) => {
    const task = fiber.getRef(CurrentTask)
    if (task === undefined || task.loop.isClosed()) {
      const slept = delay === Number.POSITIVE_INFINITY ? Effect.never : Effect.sleep(Duration.seconds(delay))
      return result === undefined ? (slept as Effect.Effect<undefined>) : Effect.as(slept, result)
    }
    const loop = task.loop as EventLoopImpl
    const future = new SleepFuture<A | undefined>(loop, result)
    // sleep(Infinity): a future nobody sets
    if (delay !== Number.POSITIVE_INFINITY) future.schedule(loop, delay)
    // nobody but this task's own cancellation (an interruption) can cancel the future
    return awaitFuture(future) as Effect.Effect<A | undefined>
  })
}

/**
 * `asyncio.sleep`'s future and its `call_later(delay, _set_result_unless_cancelled, fut, result)`
 * timer, as two objects and no closure. Cancelling the future cancels the timer, as `sleep`'s
 * `finally: h.cancel()` does.
 */
class SleepFuture<A> extends FutureImpl<A> {
  private timer: SleepTimer<A> | undefined = undefined

  constructor(
    loop: EventLoopImpl,
    readonly value: A
  ) {
    super(loop)
  }

  /** the delay asked for (what `waitsOn` shows): `Infinity` when no timer is scheduled */
  private delay = Number.POSITIVE_INFINITY

  schedule(loop: EventLoopImpl, delay: number): void {
    this.delay = delay
    const timer = new SleepTimer(loop.time() + delay, this, loop)
    this.timer = timer
    loop.scheduleTimer(timer)
  }

  override cancelNow(message?: unknown): boolean {
    const cancelled = super.cancelNow(message)
    if (cancelled) this.timer?.cancel()
    return cancelled
  }

  override abandon(): void {
    this.cancelNow()
  }

  override waitDescription(): string {
    const when = this.timer?.when()
    const delay = pyRepr(this.delay)
    return when === undefined ? `sleep(${delay})` : `sleep(${delay}) until t=${when}`
  }
}

/** The timer of a `SleepFuture`: `futures._set_result_unless_cancelled(fut, result)`. */
class SleepTimer<A> extends TimerHandleImpl {
  constructor(
    when: number,
    private readonly future: SleepFuture<A>,
    loop: EventLoopImpl
  ) {
    super(when, setResultUnlessCancelled, NO_ARGS, loop)
  }

  override run(): void {
    setResultUnlessCancelled(this.future, this.future.value)
  }
}

const NO_ARGS: ReadonlyArray<never> = []

/** asyncio's `__sleep0`: a bare `yield`, the task's next step queued behind what is ready. */
const sleep0: Effect.Effect<void> = Effect.withFiber((fiber) => {
  const task = fiber.getRef(CurrentTask)
  if (task === undefined) return Effect.yieldNow
  if (task.isOwnFiber(fiber)) return ownTurn
  // another fiber of the task (forked by Effect code): one turn of the loop all the same
  const loop = task.loop
  return Effect.callback<void>((resume) => {
    loop.callSoonFn(resume, Exit.void)
  })
})

/**
 * `asyncio.current_task()`: the task running the caller, `undefined` outside of any task.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import * as asyncio from "@effect-asyncio/core"
 *
 * asyncio.run(Effect.map(asyncio.currentTask, (task) => task?.getName())).then(console.log) // Task-1
 * ```
 * @category Tasks
 * @since 0.1.0
 */
export const currentTask: Effect.Effect<Task<unknown, unknown> | undefined, never, EventLoop> =
  Effect.andThen(EventLoop, CurrentTask)

/**
 * `asyncio.all_tasks()`: the loop's tasks that are not done yet, in creation order.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import * as asyncio from "@effect-asyncio/core"
 *
 * const program = Effect.gen(function* () {
 *   yield* asyncio.createTask(asyncio.sleep(1), { name: "background" })
 *   const tasks = yield* asyncio.allTasks
 *   return [...tasks].map((task) => task.getName())
 * })
 * asyncio.run(program).then(console.log) // ["Task-1", "background"]
 * ```
 * @category Tasks
 * @since 0.1.0
 */
export const allTasks: Effect.Effect<ReadonlySet<Task<unknown, unknown>>, never, EventLoop> = Effect.map(
  EventLoop,
  (loop) => new Set([...loopImpl(loop).tasks].filter((task) => !task.done()))
)

/**
 * `asyncio.all_tasks(loop)` for callbacks and Promise-based code: the loop's tasks that are not
 * done yet, in creation order, read synchronously (the effect is `allTasks`). Anything but a loop
 * made by this library throws `TypeError`.
 *
 * @example
 * ```ts
 * import * as asyncio from "@effect-asyncio/core"
 *
 * const runner = new asyncio.Runner()
 * const loop = runner.getLoop()
 * const served = runner.run(asyncio.sleep(0.2))
 * setTimeout(() => {
 *   const names = [...asyncio.allTasksUnsafe(loop)].map((task) => task.getName())
 *   console.log(names) // ["Task-1"]
 * }, 50)
 * await served
 * await runner.close()
 * ```
 * @category Tasks
 * @since 0.2.0
 */
export const allTasksUnsafe = (loop: EventLoopService): ReadonlySet<Task<unknown, unknown>> => {
  if (!validate.isInstance(loop, EventLoopImpl)) {
    throw new TypeError({ message: `allTasksUnsafe() expects an event loop, got ${validate.describe(loop)}` })
  }
  return new Set([...loop.tasks].filter((task) => !task.done()))
}

/**
 * `asyncio.current_task(loop)` read synchronously, for code called from inside a task's step (a
 * callback of a library an effect called with `Effect.sync`): the task whose fiber runs the
 * caller, or `undefined` (in a loop callback, `callSoon`'s or a done callback, as in asyncio, and
 * outside any loop). With `loop`, only a task of that loop; anything but a loop made by this
 * library throws `TypeError`. The effect is `currentTask`.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import * as asyncio from "@effect-asyncio/core"
 *
 * const whoCalls = () => asyncio.currentTaskUnsafe()?.getName() // a plain function, called from a task
 * const program = Effect.gen(function* () {
 *   const loop = yield* asyncio.getRunningLoop
 *   loop.callSoon(() => console.log("in a callback:", whoCalls())) // in a callback: undefined
 *   yield* asyncio.sleep(0)
 *   return yield* Effect.sync(whoCalls)
 * })
 * asyncio.run(program).then(console.log) // Task-1
 * ```
 * @category Tasks
 * @since 0.2.0
 */
export const currentTaskUnsafe = (loop?: EventLoopService): Task<unknown, unknown> | undefined => {
  if (loop !== undefined && !validate.isInstance(loop, EventLoopImpl)) {
    throw new TypeError({
      message: `currentTaskUnsafe() expects an event loop, got ${validate.describe(loop)}`
    })
  }
  const task = Fiber.getCurrent()?.getRef(CurrentTask)
  if (task === undefined || task.done()) return undefined
  return loop === undefined || (task.loop as unknown) === loop ? task : undefined
}

/**
 * `isinstance(x, asyncio.Task)`.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import * as asyncio from "@effect-asyncio/core"
 *
 * const program = Effect.gen(function* () {
 *   const task = yield* asyncio.createTask(Effect.succeed(1))
 *   const future = yield* asyncio.createFuture<number>()
 *   return [asyncio.isTask(task), asyncio.isTask(future)]
 * })
 * asyncio.run(program).then(console.log) // [true, false]
 * ```
 * @category Tasks
 * @since 0.2.0
 */
export const isTask = (value: unknown): value is Task<unknown, unknown> =>
  validate.isInstance(value, TaskImpl)

/** @internal the task whose step is running, for the library's modules and tests */
export { CurrentTask }

Object.defineProperty(SleepTimer, "name", { value: "TimerHandle" })
