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
import { Context, Duration, Effect, Exit, type Fiber, References, Scheduler, Tracer } from "effect"
import { EventLoop, loopImpl, publicLoop } from "./events.js"
import { RuntimeError, TypeError, ValueError } from "./exceptions.js"
import type { Future } from "./futures.js"
import type { EventLoopImpl } from "./internal/eventLoop.js"
import { awaitFuture, CurrentTask, FutureImpl, setResultUnlessCancelled } from "./internal/future.js"
import { creationSite, debugMode, TimerHandleImpl } from "./internal/loop.js"
import { ownTurn, TaskImpl } from "./internal/task.js"
import { describe, type Seconds } from "./internal/time.js"

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
 * A non-effect argument is a bug: the effect dies with asyncio's `TypeError`.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import * as asyncio from "@effect-asyncio/core"
 *
 * const program = Effect.gen(function* () {
 *   const a = yield* asyncio.createTask(asyncio.sleep(1, "a"))
 *   const b = yield* asyncio.createTask(asyncio.sleep(1, "b"))
 *   return [yield* a, yield* b] // both ran concurrently: 1 second in all
 * })
 * asyncio.run(program).then(console.log) // ["a", "b"]
 * ```
 * @category Tasks
 * @since 0.1.0
 */
export const createTask = <A, E, R>(
  effect: Effect.Effect<A, E, R>,
  options?: CreateTaskOptions
): Effect.Effect<Task<A, E>, never, R | EventLoop> => {
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
    return Effect.succeed(spawnTask(parent.context, loop, effect as Effect.Effect<A, E>, options, site))
  })
}

/**
 * @internal why `createTask` refuses: the defect to die with (`TypeError` for a non-effect or a
 * bad option, `RuntimeError` on a closed loop), or `undefined` if it may go ahead.
 */
export const refuseTask = (
  loop: EventLoopImpl,
  effect: unknown,
  options: CreateTaskOptions | undefined
): Effect.Effect<never> | undefined => {
  if (!Effect.isEffect(effect)) {
    return Effect.die(new TypeError({ message: `a coroutine was expected, got ${describe(effect)}` }))
  }
  if (options !== undefined && (typeof options !== "object" || options === null)) {
    return Effect.die(
      new TypeError({ message: `createTask() options must be an object, got ${describe(options)}` })
    )
  }
  if (loop.isClosed()) return Effect.die(new RuntimeError({ message: "Event loop is closed" }))
  return undefined
}

/**
 * @internal `loop.create_task(coro)` once `refuseTask` said yes: the task's fiber gets the
 * creator's services, the loop, and the loop as its scheduler.
 */
export const spawnTask = <A, E>(
  parent: Context.Context<never>,
  loop: EventLoopImpl,
  effect: Effect.Effect<A, E>,
  options: CreateTaskOptions | undefined,
  /** where `createTask(...)` was called, read when it was called (debug mode) */
  site?: string | undefined
): TaskImpl<A, E> => {
  const name = options?.name === undefined ? loop.nextTaskNumber() : String(options.name)
  const spans = loop.taskSpans
  let task: TaskImpl<A, E>
  if (spans === undefined) task = new TaskImpl<A, E>(effect, loop, name, childContext(parent, loop))
  else {
    // `tracing`: the task's span is its fiber's parent span (internal/taskSpans.ts)
    const span = spans.open(parent, typeof name === "number" ? `Task-${name}` : name)
    const context = Context.add(childContext(parent, loop), Tracer.ParentSpan, span)
    task = new TaskImpl<A, E>(effect, loop, name, context)
    spans.attach(task as TaskImpl<unknown, unknown>, span)
  }
  if (site !== undefined && loop.debug) task.createdAt = site
  if ((options?.eagerStart ?? loop.isEagerTaskFactory()) && loop.isRunning()) task.eagerStart()
  else task.schedule()
  return task
}

/**
 * @internal asyncio's `ensure_future(arg)` inside a combinator: a future as it is, an effect as a
 * new task of `loop` (created from `parent`'s services).
 */
export const futureOf = (
  arg: unknown,
  parent: Context.Context<never>,
  loop: EventLoopImpl
): FutureImpl<unknown, unknown> =>
  arg instanceof FutureImpl ? arg : spawnTask(parent, loop, arg as Effect.Effect<unknown, unknown>, undefined)

/**
 * The context a task's fiber starts from: its creator's, with the loop, the loop as scheduler,
 * and no preemption (asyncio never preempts a coroutine: the run loop need not even ask
 * `shouldYield`). A task usually makes many tasks from one context: the last one is kept.
 */
const childContext = (parent: Context.Context<never>, loop: EventLoopImpl): Context.Context<never> => {
  if (parent === loop.spawnParent) return loop.spawnBase as Context.Context<never>
  let context = parent
  const service = publicLoop(loop)
  if (Context.getOrUndefined(context, EventLoop) !== service)
    context = Context.add(context, EventLoop, service)
  if (Context.getOrUndefined(context, Scheduler.Scheduler) !== loop.fiberScheduler) {
    context = Context.add(context, Scheduler.Scheduler, loop.fiberScheduler)
    context = Context.add(context, Scheduler.PreventSchedulerYield, true)
  }
  // a task's call stack starts at its own body, as a coroutine's frames do: its creator is in
  // the awaited-by links, not in its stack (call graphs, error traces)
  if (Context.getOrUndefined(context, References.CurrentStackFrame) !== undefined)
    context = Context.add(context, References.CurrentStackFrame, undefined)
  loop.spawnParent = parent
  loop.spawnBase = context
  return context
}

/**
 * `asyncio.ensure_future(x)`: a future (a task) is returned as it is (the same object); an
 * effect is wrapped in a new task. Anything else is a bug: the effect dies with `TypeError`.
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
 *   return yield* same
 * })
 * asyncio.run(program).then(console.log) // 42
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
} = ((
  value: unknown,
  options?: CreateTaskOptions
): Effect.Effect<Future<unknown, unknown>, never, EventLoop> => {
  if (value instanceof FutureImpl) return Effect.succeed(value as Future<unknown, unknown>)
  if (Effect.isEffect(value)) return createTask(value as Effect.Effect<unknown, unknown>, options)
  return Effect.die(
    new TypeError({
      message: `An asyncio.Future, a coroutine or an awaitable is required, got ${describe(value)}`
    })
  )
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
  const delay =
    typeof seconds === "number"
      ? seconds
      : Duration.isDuration(seconds)
        ? Duration.toSeconds(seconds)
        : Number.NaN
  if (typeof seconds !== "number" && !Duration.isDuration(seconds)) {
    return Effect.die(
      new TypeError({ message: `delay must be a number of seconds or a Duration, got ${describe(seconds)}` })
    )
  }
  // as asyncio: `if delay <= 0: await __sleep0()`, then NaN is a ValueError
  if (delay <= 0)
    return result === undefined ? (sleep0 as Effect.Effect<undefined>) : Effect.as(sleep0, result)
  if (Number.isNaN(delay)) return Effect.die(new ValueError({ message: "Invalid delay: NaN (not a number)" }))
  return Effect.withFiber((fiber) => {
    const task = fiber.getRef(CurrentTask)
    if (task === undefined || task.loop.isClosed()) {
      const slept = delay === Number.POSITIVE_INFINITY ? Effect.never : Effect.sleep(Duration.seconds(delay))
      return result === undefined ? (slept as Effect.Effect<undefined>) : Effect.as(slept, result)
    }
    const loop = task.loop as EventLoopImpl
    const future = new SleepFuture<A | undefined>(loop, result)
    // sleep(Infinity): a future nobody sets
    if (delay !== Number.POSITIVE_INFINITY) future.schedule(loop, loop.time() + delay)
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

  schedule(loop: EventLoopImpl, when: number): void {
    const timer = new SleepTimer(when, this, loop)
    this.timer = timer
    loop.scheduleTimer(timer)
  }

  override cancelUnsafe(message?: unknown): boolean {
    const cancelled = super.cancelUnsafe(message)
    if (cancelled) this.timer?.cancel()
    return cancelled
  }

  override abandon(): void {
    this.cancelUnsafe()
  }

  override waitDescription(): string {
    const when = this.timer?.when()
    return when === undefined ? "sleep()" : `sleep() until t=${when}`
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
export const isTask = (value: unknown): value is Task<unknown, unknown> => value instanceof TaskImpl

/** @internal the task whose step is running, for the library's modules and tests */
export { CurrentTask }

Object.defineProperty(SleepTimer, "name", { value: "TimerHandle" })
