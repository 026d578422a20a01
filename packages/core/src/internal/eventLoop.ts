/**
 * The loop object users see (through the `EventLoopService` interface of events.ts): the loop
 * core's scheduling, plus what asyncio's loop owns on top of it: the registry of pending tasks,
 * the `Task-N` counter, the task factory, futures and handles with validated arguments,
 * `run_until_complete`, and asyncio.run's shutdown (runners.py's `Runner.close`).
 */
import { Cause, Clock, type Context, Effect, Exit, type Fiber, Scheduler } from "effect"
import { type CancelledError, RuntimeError, TypeError, ValueError } from "../exceptions.js"
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
import { isKeyboardInterrupt, TaskImpl, type TaskLoop, TaskRegistry } from "./task.js"
import { describe } from "./time.js"

/** What `new EventLoopImpl` is given (the public `EventLoopOptions`). */
export interface LoopOptions {
  readonly debug?: boolean | undefined
  readonly eagerTaskFactory?: boolean | undefined
  readonly exceptionHandler?: ((loop: never, context: never) => void) | undefined
}

/** asyncio's `constants.THREAD_JOIN_TIMEOUT`: how long `asyncio.run` waits for the default executor. */
const THREAD_JOIN_TIMEOUT = 300

type UserHandler = (loop: EventLoopImpl, context: ExceptionContextShape) => void

/** A number of seconds for a timer: asyncio raises TypeError for anything else. */
const checkSeconds = (value: unknown, what: string): number => {
  if (typeof value !== "number") {
    throw new TypeError({ message: `${what} must be a number of seconds, got ${describe(value)}` })
  }
  if (Number.isNaN(value)) throw new ValueError({ message: `Invalid ${what}: NaN (not a number)` })
  return value
}

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
  /** the last context a task was created from, and the context its fiber got (tasks.ts) */
  spawnParent: Context.Context<never> | undefined = undefined
  spawnBase: Context.Context<never> | undefined = undefined

  constructor(clock: Clock.Clock, host: Scheduler.SchedulerDispatcher, options: LoopOptions) {
    super(clock, host, options.debug ?? false)
    this.eagerFactory = options.eagerTaskFactory ?? false
    this.setExceptionHandler(options.exceptionHandler as UserHandler | undefined)
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
    if (handler !== undefined && handler !== null && typeof handler !== "function") {
      throw new TypeError({ message: `A callable object or None is expected, got ${describe(handler)}` })
    }
    this.userHandler = handler ?? undefined
    this.handleException = handler ? (context) => handler(this, context) : undefined
  }

  /** `loop.default_exception_handler(context)`: writes the report to `console.error`. */
  defaultExceptionHandler(context: ExceptionContextShape): void {
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

  /** `loop.call_soon(callback, *args)` */
  callSoon<Args extends ReadonlyArray<unknown>>(
    callback: (...args: Args) => unknown,
    ...args: Args
  ): HandleImpl {
    return this.callSoonHandle(callback as (...args: ReadonlyArray<never>) => unknown, args)
  }

  /** `loop.call_later(delay, callback, *args)`: `callAt(time() + delay)`. */
  callLater<Args extends ReadonlyArray<unknown>>(
    delay: number,
    callback: (...args: Args) => unknown,
    ...args: Args
  ): TimerHandleImpl {
    const seconds = checkSeconds(delay, "delay")
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
    const at = checkSeconds(when, "when")
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
    const make = executorHook.make
    if (this.executors === undefined && make !== undefined) this.executors = make()
    if (this.executors !== undefined) return this.executors
    throw new TypeError({
      message:
        caller === "setDefaultExecutor"
          ? "executor must be ThreadPoolExecutor instance"
          : notAWorkerFunction(caller, describe(fn))
    })
  }

  /** `await loop.shutdown_default_executor(timeout)` */
  shutdownDefaultExecutor(timeout?: number | null): Effect.Effect<void> {
    return Effect.suspend(() => {
      const seconds = timeout === undefined || timeout === null ? undefined : checkSeconds(timeout, "timeout")
      const future = this.executors?.shutdownDefault(this, seconds)
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
    this.callSoonFn((done: FutureImpl<void>) => done.setResultUnsafe(undefined), future)
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
          for (const task of toCancel) task.cancelUnsafe()
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
      if (left === 0) outer.setResultUnsafe(undefined)
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
    if (this.tracebacks.size === 0) {
      this.tracebacks = new Set()
      this.tracebackOf = new WeakMap()
      this.collector = this.makeCollector()
    }
    this.spawnParent = undefined
    this.spawnBase = undefined
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
