/**
 * The loop object users see (through the `EventLoopService` interface of events.ts): the loop
 * core's scheduling, plus what asyncio's loop owns on top of it: the registry of pending tasks,
 * the `Task-N` counter, the task factory, futures and handles with validated arguments,
 * `run_until_complete`, and asyncio.run's shutdown (runners.py's `Runner.close`).
 */
import {
  Cause,
  Clock,
  Context,
  type Duration,
  Effect,
  Exit,
  type Fiber,
  References,
  Scheduler,
  Tracer
} from "effect"
import { type CancelledError, RuntimeError, TypeError } from "../exceptions.js"
import { executorHook, type LoopExecutorsLike, notAWorkerFunction } from "./executorHook.js"
import { awaitFuture, FutureImpl } from "./future.js"
import {
  debugMode,
  type ExceptionContextShape,
  formatExceptionReport,
  type HandleImpl,
  LoopCore,
  type TimerHandleImpl
} from "./loop.js"
import { pyRepr, showCause } from "./outcome.js"
import { SubmissionImpl } from "./promise.js"
import { SignalHandlers } from "./signals.js"
import { isKeyboardInterrupt, TaskImpl, type TaskLoop, TaskRegistry } from "./task.js"
import { TaskSpans } from "./taskSpans.js"
import * as validate from "./validate.js"

/**
 * The key of the `EventLoop` service of events.ts. Effect names a missing service by its key
 * ("Service not found: <key>"): a program run with Effect.runPromise instead of asyncio.run is
 * told what to do. The loop puts itself under it in its tasks' context (a context is keyed by
 * this string: pinned by test/loopCore.test.ts).
 */
export const EVENT_LOOP_KEY =
  "@effect-asyncio/core/EventLoop (no running event loop: run the program with asyncio.run or asyncio.runEffect, or provide asyncio.EventLoop.layer())"

/** The `EventLoop` service as the loop itself sees it (the same key as events.ts's). */
const LoopService = Context.Service<EventLoopImpl>(EVENT_LOOP_KEY)

/** What `submit` reads of its options (the public `SubmitOptions`). */
export interface SubmitLoopOptions {
  readonly name?: string | undefined
}

/** The keys of `SubmitOptions`. */
const SUBMIT_OPTIONS: ReadonlyArray<string> = ["name"]

/** What `spawn` reads of `createTask`'s options (the public `CreateTaskOptions`). */
export interface SpawnOptions {
  readonly name?: string | null | undefined
  readonly eagerStart?: boolean | undefined
}

/** What `new EventLoopImpl` is given (the public `EventLoopOptions`). */
export interface LoopOptions {
  readonly debug?: boolean | undefined
  readonly eagerTaskFactory?: boolean | undefined
  readonly exceptionHandler?: ((loop: never, context: never) => void) | undefined
  readonly tracing?: boolean | undefined
}

/** asyncio's `constants.THREAD_JOIN_TIMEOUT`: how long `asyncio.run` waits for the default executor. */
const THREAD_JOIN_TIMEOUT = 300

type UserHandler = (loop: EventLoopImpl, context: ExceptionContextShape) => void

export class EventLoopImpl extends LoopCore implements TaskLoop {
  readonly tasks = new TaskRegistry()
  /**
   * Failed futures nobody retrieved yet, as records that do not hold them: reported when the
   * future is collected (asyncio's `__del__`), or at shutdown for those still alive.
   */
  private tracebacks = new Set<TracebackRecord>()
  private tracebackOf = new WeakMap<FutureImpl<unknown, unknown>, TracebackRecord>()
  private collector = this.makeCollector()
  private taskCounter = 0
  private eagerFactory: boolean
  private userHandler: UserHandler | undefined = undefined
  private shutDown = false
  /** `_default_executor` and `_executor_shutdown_called`: made on first use (internal/executorHook.ts) */
  private executors: LoopExecutorsLike | undefined = undefined
  private executorShutdownCalled = false
  /**
   * the last context a task was created from (read by the monitor's observer: its creator), and
   * the context its fiber got (`spawn`)
   */
  spawnParent: Context.Context<never> | undefined = undefined
  private spawnBase: Context.Context<never> | undefined = undefined
  /** `tracing`: the span of every task (`undefined` when off: `spawn` reads only this) */
  readonly taskSpans: TaskSpans | undefined

  constructor(clock: Clock.Clock, host: Scheduler.SchedulerDispatcher, options: LoopOptions) {
    super(clock, host, options.debug ?? false)
    this.eagerFactory = options.eagerTaskFactory ?? false
    this.setExceptionHandler(options.exceptionHandler as UserHandler | undefined)
    this.taskSpans = options.tracing === true ? new TaskSpans(clock) : undefined
    if (this.taskSpans !== undefined) this.tasks.observe(this.taskSpans)
    // a method passed as a callback (`callSoon(loop.stop)`) keeps its loop, as Python's bound methods
    this.callSoon = this.callSoon.bind(this)
    this.callLater = this.callLater.bind(this)
    this.callAt = this.callAt.bind(this)
    this.stop = this.stop.bind(this)
    this.createFuture = this.createFuture.bind(this)
    this.callExceptionHandler = this.callExceptionHandler.bind(this)
  }

  /** `loop.get_debug()` */
  getDebug(): boolean {
    return this.debug
  }

  /** `loop.set_debug(enabled)` */
  setDebug(enabled: boolean): void {
    this.debug = Boolean(enabled)
    if (this.debug) debugMode.seen = true
  }

  /** Whether new tasks start eagerly (`eager_task_factory` is installed). */
  isEagerTaskFactory(): boolean {
    return this.eagerFactory
  }

  /** `loop.set_task_factory(asyncio.eager_task_factory)` / `loop.set_task_factory(None)`. */
  setEagerTaskFactory(eager: boolean): void {
    this.eagerFactory = Boolean(eager)
  }

  /** `loop.get_exception_handler()` */
  getExceptionHandler(): UserHandler | undefined {
    return this.userHandler
  }

  /** `loop.set_exception_handler(handler)`; `undefined` restores the default. */
  setExceptionHandler(handler: UserHandler | undefined | null): void {
    validate.exceptionHandler(handler)
    this.userHandler = handler ?? undefined
    this.handleException = handler ? (context) => handler(this, context) : undefined
  }

  /** `loop.default_exception_handler(context)`: writes the report to `console.error`. */
  defaultExceptionHandler(context: ExceptionContextShape): void {
    validate.exceptionContext(context, "defaultExceptionHandler")
    globalThis.console.error(formatExceptionReport(context))
  }

  /** The number of the next `Task-N` name, per loop (`Task-1`, `Task-2`...). */
  nextTaskNumber(): number {
    this.taskCounter += 1
    return this.taskCounter
  }

  /** `loop.create_future()` */
  createFuture<A, E = never>(): FutureImpl<A, E> {
    return new FutureImpl<A, E>(this)
  }

  /**
   * `loop.create_task(coro)` (once `createTask` checked its arguments): the task's fiber gets the
   * creator's services (`parent`), the loop, and the loop as its scheduler; its first step is
   * queued, or run now (eager start, while the loop runs).
   */
  spawn<A, E>(
    parent: Context.Context<never>,
    effect: Effect.Effect<A, E>,
    options: SpawnOptions | undefined,
    /** where `createTask(...)` was called, read when it was called (debug mode) */
    site?: string | undefined
  ): TaskImpl<A, E> {
    // asyncio: `name=None` is the default name
    const name =
      options?.name === undefined || options.name === null ? this.nextTaskNumber() : String(options.name)
    const spans = this.taskSpans
    let task: TaskImpl<A, E>
    if (spans === undefined) task = new TaskImpl<A, E>(effect, this, name, this.childContext(parent))
    else {
      // `tracing`: the task's span is its fiber's parent span (internal/taskSpans.ts)
      const span = spans.open(parent, typeof name === "number" ? `Task-${name}` : name)
      const context = Context.add(this.childContext(parent), Tracer.ParentSpan, span)
      task = new TaskImpl<A, E>(effect, this, name, context)
      spans.attach(task as TaskImpl<unknown, unknown>, span)
    }
    if (site !== undefined && this.debug) task.createdAt = site
    if ((options?.eagerStart ?? this.eagerFactory) && this.isRunning()) task.eagerStart()
    else task.schedule()
    return task
  }

  /**
   * The context a task's fiber starts from: its creator's, with the loop, the loop as scheduler,
   * and no preemption (asyncio never preempts a coroutine: the run loop need not even ask
   * `shouldYield`). A task usually makes many tasks from one context: the last one is kept.
   */
  private childContext(parent: Context.Context<never>): Context.Context<never> {
    if (parent === this.spawnParent) return this.spawnBase as Context.Context<never>
    let context = parent
    if (Context.getOrUndefined(context, LoopService) !== this)
      context = Context.add(context, LoopService, this)
    if (Context.getOrUndefined(context, Scheduler.Scheduler) !== this.fiberScheduler) {
      context = Context.add(context, Scheduler.Scheduler, this.fiberScheduler)
      context = Context.add(context, Scheduler.PreventSchedulerYield, true)
    }
    // a task's call stack starts at its own body, as a coroutine's frames do: its creator is in
    // the awaited-by links, not in its stack (call graphs, error traces)
    if (Context.getOrUndefined(context, References.CurrentStackFrame) !== undefined)
      context = Context.add(context, References.CurrentStackFrame, undefined)
    this.spawnParent = parent
    this.spawnBase = context
    return context
  }

  /** asyncio's `_signal_handlers` (unix_events.py) */
  readonly signals = new SignalHandlers(this)

  /**
   * `loop.add_signal_handler(sig, callback, *args)`: when the process receives `sig` (a Node
   * signal name or its number), `callback(...args)` runs at a turn of the loop. Throws as asyncio
   * does: `TypeError` (not a signal, not a function, an effect), `ValueError` (no such signal),
   * `RuntimeError` (SIGKILL or SIGSTOP, a closed loop, not the main thread).
   */
  addSignalHandler<Args extends ReadonlyArray<unknown>>(
    sig: NodeJS.Signals | number,
    callback: (...args: Args) => unknown,
    ...args: Args
  ): void {
    this.signals.add(sig, callback, args)
  }

  /** `loop.remove_signal_handler(sig)`: true if a handler was removed. */
  removeSignalHandler(sig: NodeJS.Signals | number): boolean {
    return this.signals.remove(sig)
  }

  /** The submissions not done yet (`submit`): cancelled when the loop closes, so none hangs. */
  readonly pendingSubmissions = new Set<SubmissionImpl<unknown, unknown>>()

  /**
   * `asyncio.run_coroutine_threadsafe(coro, loop)` as `loop.submit(effect)`: from any callback,
   * the effect becomes a task of this loop at its next turn; the handle is a Promise of its
   * outcome, and its `cancel()` cancels the task. Throws as `call_soon_threadsafe` does.
   */
  submit<A, E, R>(effect: Effect.Effect<A, E, R>, options?: SubmitLoopOptions): SubmissionImpl<A, E> {
    if (!validate.isEffect(effect)) {
      throw new TypeError({ message: `A coroutine object is required, got ${validate.describe(effect)}` })
    }
    validate.options(options, "submit", SUBMIT_OPTIONS)
    const name = options?.name
    if (name !== undefined && typeof name !== "string") {
      throw new TypeError({ message: `submit() name must be a string, got ${validate.describe(name)}` })
    }
    this.checkClosed()
    // its task has the loop in its context, the only service an effect given to `submit` may need
    const submission = new SubmissionImpl<A, E>(this, effect as Effect.Effect<A, E>, name)
    submission.schedule()
    return submission
  }

  /** `loop.call_soon(callback, *args)` */
  callSoon<Args extends ReadonlyArray<unknown>>(
    callback: (...args: Args) => unknown,
    ...args: Args
  ): HandleImpl {
    return this.callSoonHandle(callback as (...args: ReadonlyArray<never>) => unknown, args)
  }

  /** `loop.call_later(delay, callback, *args)`: `callAt(time() + delay)`. */
  callLater<Args extends ReadonlyArray<unknown>>(
    delay: number | Duration.Duration,
    callback: (...args: Args) => unknown,
    ...args: Args
  ): TimerHandleImpl {
    const seconds = validate.seconds(delay, "callLater() delay")
    return this.callAtHandle(
      this.time() + seconds,
      callback as (...args: ReadonlyArray<never>) => unknown,
      args
    )
  }

  /** `loop.call_at(when, callback, *args)` */
  callAt<Args extends ReadonlyArray<unknown>>(
    when: number,
    callback: (...args: Args) => unknown,
    ...args: Args
  ): TimerHandleImpl {
    const at = validate.loopTime(when, "callAt() when")
    return this.callAtHandle(at, callback as (...args: ReadonlyArray<never>) => unknown, args)
  }

  /** `loop.run_in_executor(executor, func, *args)` */
  runInExecutor(
    executor: unknown,
    fn: unknown,
    ...args: ReadonlyArray<unknown>
  ): FutureImpl<unknown, unknown> {
    return this.submitTo(executor, fn, args, "runInExecutor")
  }

  /** `run_in_executor`, with the caller's name for its errors (`toThread`'s). */
  submitTo(
    executor: unknown,
    fn: unknown,
    args: ReadonlyArray<unknown>,
    caller: string
  ): FutureImpl<unknown, unknown> {
    this.checkClosed()
    return this.executorsFor(caller, fn).submit(this, executor, fn, args, caller)
  }

  /** `loop.set_default_executor(executor)` */
  setDefaultExecutor(executor: unknown): void {
    this.executorsFor("setDefaultExecutor", undefined).setDefault(executor)
  }

  /** The loop's executors; none can exist before a worker function or an executor does. */
  private executorsFor(caller: string, fn: unknown): LoopExecutorsLike {
    const made = this.madeExecutors()
    if (made !== undefined) return made
    throw new TypeError({
      message:
        caller === "setDefaultExecutor"
          ? "executor must be ThreadPoolExecutor instance"
          : notAWorkerFunction(caller, validate.describe(fn))
    })
  }

  /**
   * The loop's executors, made on first use once the hook is installed; a shutdown of the
   * default executor called before they existed still counts (`_executor_shutdown_called`).
   */
  private madeExecutors(): LoopExecutorsLike | undefined {
    const make = executorHook.make
    if (this.executors === undefined && make !== undefined) {
      this.executors = make()
      if (this.executorShutdownCalled) this.executors.shutdownDefault(this, undefined)
    }
    return this.executors
  }

  /** `await loop.shutdown_default_executor(timeout)` */
  shutdownDefaultExecutor(timeout?: number | null): Effect.Effect<void> {
    return Effect.suspend(() => {
      const seconds = validate.optionalSeconds(timeout, "shutdownDefaultExecutor() timeout")
      this.executorShutdownCalled = true
      const future = this.madeExecutors()?.shutdownDefault(this, seconds)
      // nobody else holds the future: it is never cancelled, only its awaiter can be
      return future === undefined ? Effect.void : Effect.orDie(awaitFuture(future))
    })
  }

  /**
   * asyncio's `run_until_complete(future)`: runs the loop until `future` is done (it stops at
   * the end of the iteration where the future's done callback runs), then gives its outcome.
   */
  runUntilComplete<A, E>(future: FutureImpl<A, E>): Effect.Effect<A, E | CancelledError> {
    return Effect.suspend(() => {
      // named as asyncio's, which reprs of the future show
      // asyncio's `_run_until_complete_cb`: `fut.exception()` marks the failure retrieved, and
      // after a KeyboardInterrupt `run_forever` has already stopped
      const _run_until_complete_cb = (fut: FutureImpl<A, E>) => {
        if (!fut.cancelled()) {
          fut.markRetrieved()
          const exit = fut.exit
          if (exit !== undefined && Exit.isFailure(exit) && exit.cause.reasons.some(isKeyboardInterrupt))
            return
        }
        this.stop()
      }
      const stop = _run_until_complete_cb
      future.addDoneCallback(stop)
      return this.runForever().pipe(
        Effect.ensuring(Effect.sync(() => future.removeDoneCallback(stop))),
        Effect.andThen(
          Effect.suspend(() =>
            future.done()
              ? future.outcome()
              : Effect.die(new RuntimeError({ message: "Event loop stopped before Future completed." }))
          )
        )
      )
    })
  }

  /**
   * A future done one iteration after the next: what `run_until_complete()` of a coroutine that
   * returns at once gives the loop (asyncio.run's `shutdown_asyncgens()`, which has nothing to
   * do here, and `shutdown_default_executor()` without a default executor still let it turn).
   */
  private doneSoon(): FutureImpl<void> {
    const future = this.createFuture<void>()
    this.callSoonFn((done: FutureImpl<void>) => done.resolveNow(undefined), future)
    return future
  }

  /**
   * asyncio.run's end (`Runner.close`): `_cancel_all_tasks` (cancel every pending task, run the
   * loop until all are done, report the ones that failed), the loop's last turns (the default
   * executor's shutdown waits for the calls still running in its threads), then close.
   * Failures nobody retrieved are reported, and tasks that cleanup created are reported as
   * destroyed while pending and then interrupted, so no fiber outlives the loop. Runs once.
   *
   * An exception raised out of the loop meanwhile (a `KeyboardInterrupt`: Ctrl-C during the
   * shutdown, see runners.ts; a `stop()` from a task) ends the waiting there, as it propagates
   * out of asyncio's `close()` whose `finally` closes the loop: the tasks still pending are
   * reported and interrupted, and the shutdown dies with that exception.
   */
  shutdown(): Effect.Effect<void> {
    return Effect.suspend(() => {
      if (this.shutDown || this.isClosed()) return Effect.void
      this.shutDown = true
      return Effect.gen({ self: this }, function* () {
        let raised: Exit.Exit<unknown, unknown> | undefined
        const toCancel = [...this.tasks].filter((task) => !task.done())
        if (toCancel.length > 0) {
          for (const task of toCancel) task.cancelNow()
          const exit = yield* Effect.exit(this.runUntilComplete(this.allDone(toCancel)))
          if (Exit.isFailure(exit)) raised = exit
          for (const task of raised === undefined ? toCancel : []) {
            if (task.cancelled()) continue
            const exit = task.exit
            if (exit === undefined || Exit.isSuccess(exit)) continue
            task.markRetrieved()
            this.callExceptionHandler({
              message: "unhandled exception during asyncio.run() shutdown",
              exception: squash(exit),
              task
            })
          }
        }
        // `shutdown_asyncgens()`, then `shutdown_default_executor(THREAD_JOIN_TIMEOUT)`
        for (let turn = 0; turn < 2 && raised === undefined; turn++) {
          const step =
            (turn === 1 ? this.executors?.shutdownDefault(this, THREAD_JOIN_TIMEOUT) : undefined) ??
            this.doneSoon()
          const exit = yield* Effect.exit(this.runUntilComplete(step))
          if (Exit.isFailure(exit)) raised = exit
        }
        this.reportUnretrieved()
        const leftover = [...this.tasks].filter((task) => !task.done())
        for (const task of leftover) {
          this.callExceptionHandler({ message: "Task was destroyed but it is pending!", task })
        }
        this.close()
        // a closed asyncio loop never runs them again; a fiber must end, so it is interrupted
        const fibers = leftover
          .map((task) => task.fiberUnsafe())
          .filter((fiber): fiber is Fiber.Fiber<unknown, unknown> => fiber !== undefined)
        for (const fiber of fibers) fiber.interruptUnsafe()
        // one interrupted inside a finalizer still waits there: closed as asyncio's GC closes it
        for (const task of leftover) task.closeCoroutine()
        if (raised !== undefined) return yield* Effect.die(squash(raised))
      }).pipe(Effect.uninterruptible)
    })
  }

  /** `gather(*tasks, return_exceptions=True)` as `_cancel_all_tasks` uses it: done when all are. */
  private allDone(tasks: ReadonlyArray<TaskImpl<unknown, unknown>>): FutureImpl<void> {
    const outer = this.createFuture<void>()
    let left = tasks.length
    // named as the callback gather() adds, which reprs of the tasks show
    const _done_callback = () => {
      left -= 1
      if (left === 0) outer.resolveNow(undefined)
    }
    for (const task of tasks) task.addDoneCallback(_done_callback)
    return outer
  }

  private makeCollector(): FinalizationRegistry<TracebackRecord> {
    return new FinalizationRegistry<TracebackRecord>((record) => {
      if (this.tracebacks.delete(record)) this.reportNeverRetrieved(record)
    })
  }

  /**
   * `loop.close()`. A closed loop that is still referenced holds nothing of the run: its tables
   * of unretrieved failures (reported by the shutdown) start afresh, no task context is kept.
   */
  override close(): void {
    super.close()
    // unix_events' close(): every signal handler is removed
    this.signals.removeAll()
    // their task will never run again (or start): their Promise must not wait forever (CPython's
    // concurrent future does)
    for (const submission of [...this.pendingSubmissions]) submission.abandon()
    this.pendingSubmissions.clear()
    if (this.tracebacks.size === 0) {
      this.tracebacks = new Set()
      this.tracebackOf = new WeakMap()
      this.collector = this.makeCollector()
    }
    this.spawnParent = undefined
    this.spawnBase = undefined
    // a task left pending on a closed loop never runs again: its span ends with the loop
    this.taskSpans?.endAll()
  }

  /** asyncio's `__log_traceback = True` (`set_exception`, a task's coroutine raising). */
  logTraceback(future: FutureImpl<unknown, unknown>): void {
    const exit = future.exit as Exit.Failure<unknown, unknown>
    const task = future instanceof TaskImpl ? future : undefined
    const record: TracebackRecord = {
      ref: new WeakRef(future),
      cause: exit.cause,
      taskName: task?.getName(),
      createdAt: future.createdAt
    }
    this.tracebacks.add(record)
    this.tracebackOf.set(future, record)
    this.collector.register(future, record, record)
  }

  /** asyncio's `__log_traceback = False`: the failure was seen, nothing is reported. */
  tracebackRetrieved(future: FutureImpl<unknown, unknown>): void {
    const record = this.tracebackOf.get(future)
    if (record === undefined) return
    this.tracebackOf.delete(future)
    this.tracebacks.delete(record)
    this.collector.unregister(record)
  }

  /**
   * "Task exception was never retrieved" for the failed futures still alive and unretrieved at
   * shutdown (the others were reported when they were collected), once each.
   */
  reportUnretrieved(): void {
    const records = [...this.tracebacks]
    this.tracebacks.clear()
    for (const record of records) {
      this.collector.unregister(record)
      const future = record.ref.deref()
      if (future !== undefined) this.tracebackOf.delete(future)
      this.reportNeverRetrieved(record)
    }
  }

  /** asyncio's `Future.__del__` report; a collected future is shown by a finished copy. */
  private reportNeverRetrieved(record: TracebackRecord): void {
    const future = record.ref.deref() ?? new CollectedFuture(this, record)
    this.callExceptionHandler({
      message: `${record.taskName === undefined ? "Future" : "Task"} exception was never retrieved`,
      exception: Cause.squash(record.cause),
      future
    })
  }
}

/** What a failed, unretrieved future leaves for its report, holding the future only weakly. */
interface TracebackRecord {
  readonly ref: WeakRef<FutureImpl<unknown, unknown>>
  readonly cause: Cause.Cause<unknown>
  /** the task's name when it failed; undefined for a plain future */
  readonly taskName: string | undefined
  readonly createdAt: string | undefined
}

/**
 * The future a "never retrieved" report shows once the failed one was garbage collected: a
 * finished copy with its failure, its repr and (for a task) its name.
 */
class CollectedFuture extends FutureImpl<unknown, unknown> {
  constructor(
    loop: EventLoopImpl,
    private readonly record: TracebackRecord
  ) {
    super(loop)
    this.state = "finished"
    this.exit = Exit.failCause(record.cause)
  }

  /** The task's name (`Task.get_name()`); a plain future's copy has none. */
  getName(): string | undefined {
    return this.record.taskName
  }

  override toString(): string {
    const { createdAt, taskName } = this.record
    const info = ["finished"]
    if (taskName !== undefined) info.push(`name=${pyRepr(taskName)}`)
    info.push(`exception=${showCause(this.record.cause)}`)
    if (createdAt !== undefined) info.push(`created at ${createdAt}`)
    return `<${taskName === undefined ? "Future" : "Task"} ${info.join(" ")}>`
  }
}

const squash = (exit: Exit.Exit<unknown, unknown>): unknown =>
  Exit.isFailure(exit) ? Cause.squash(exit.cause) : undefined

/** A loop made on the current fiber's clock and scheduler (virtual under `TestClock`). */
export const makeLoopImpl = (options: LoopOptions): Effect.Effect<EventLoopImpl> =>
  Effect.gen(function* () {
    const clock = yield* Clock.Clock
    const scheduler = yield* Scheduler.Scheduler
    return new EventLoopImpl(clock, scheduler.makeDispatcher(), options)
  })

// asyncio's class name in reprs and messages (`type(x).__name__`)
Object.defineProperty(EventLoopImpl, "name", { value: "EventLoop" })
