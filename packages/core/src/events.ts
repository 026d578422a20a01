/**
 * The event loop: asyncio's `events.py` as an Effect service.
 *
 * A loop is asyncio's `BaseEventLoop`: a FIFO ready queue (`callSoon`), a heap of timers
 * (`callLater` / `callAt`) that join the ready queue when due, and iterations that run the
 * callbacks ready at the start of each (`_run_once`). Every turn asyncio orders goes through it:
 * a task's steps, the done callbacks of futures, the wakeups of sleeps and deadlines. Tasks'
 * fibers run with the loop as their Effect scheduler. Time is Effect's `Clock` (virtual under
 * `TestClock`). The loop runs while `run` (or a `Runner`, or `EventLoop.layer`) runs it.
 *
 * Functions that need the loop declare `EventLoop` in their requirements, so "no running event
 * loop" is a compile error. `run` and `Runner` provide it; tests provide `EventLoop.layer()`.
 *
 * @since 0.1.0
 */
import { Context, Effect, Fiber, Layer } from "effect"
import type { BrokenProcessPool, BrokenThreadPool } from "./exceptions.js"
import { RuntimeError } from "./exceptions.js"
import type { Executor, ProcessPoolExecutor, ThreadPoolExecutor } from "./executors.js"
import type { Future, Handle, TimerHandle } from "./futures.js"
import { EVENT_LOOP_KEY, EventLoopImpl, makeLoopImpl } from "./internal/eventLoop.js"
import { formatExceptionReport } from "./internal/loop.js"
import type { Seconds } from "./internal/time.js"
import * as validate from "./internal/validate.js"
import type { Submission, SubmitOptions } from "./promises.js"
import type { Task } from "./tasks.js"
import type { WorkerArguments, WorkerFailure, WorkerFunction, WorkerSuccess } from "./workerFunctions.js"

/**
 * What the loop reports to its exception handler, as asyncio's `context` dict.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import * as asyncio from "@effect-asyncio/core"
 *
 * const report = (context: asyncio.ExceptionContext) => `${context.message}: ${String(context.exception)}`
 * const program = Effect.gen(function* () {
 *   const loop = yield* asyncio.getRunningLoop
 *   loop.callSoon(() => {
 *     throw "boom"
 *   })
 *   yield* asyncio.sleep(0.1)
 * })
 * asyncio.run(program, { exceptionHandler: (_loop, context) => console.log(report(context)) }) // Exception in callback <anonymous>(): boom
 * ```
 * @category Event loop
 * @since 0.1.0
 */
export interface ExceptionContext {
  readonly message: string
  /** The error or defect, when there is one. */
  readonly exception?: unknown
  /** The task concerned, when there is one. */
  readonly task?: Task<unknown, unknown>
  /** The future concerned, when there is one. */
  readonly future?: Future<unknown, unknown>
  /** The handle whose callback threw, when there is one. */
  readonly handle?: Handle
  readonly [key: string]: unknown
}

/**
 * `loop.set_exception_handler(handler)`: called with the loop and the context.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import * as asyncio from "@effect-asyncio/core"
 *
 * const quiet: asyncio.ExceptionHandler = (loop, context) => {
 *   if (context.exception !== "expected") loop.defaultExceptionHandler(context)
 * }
 * const program = Effect.gen(function* () {
 *   yield* asyncio.createTask(Effect.fail("expected"))
 *   yield* asyncio.sleep(0.1)
 *   return "nothing reported"
 * })
 * asyncio.run(program, { exceptionHandler: quiet }).then(console.log) // nothing reported
 * ```
 * @category Event loop
 * @since 0.1.0
 */
export type ExceptionHandler = (loop: EventLoopService, context: ExceptionContext) => void

/**
 * Options of a new loop (`asyncio.run(main, debug=...)`, `loop.set_task_factory(...)`).
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import * as asyncio from "@effect-asyncio/core"
 *
 * const options: asyncio.EventLoopOptions = { debug: true, eagerTaskFactory: true }
 * const program = Effect.map(asyncio.getRunningLoop, (loop) => [loop.getDebug(), loop.isEagerTaskFactory()])
 * asyncio.run(program, options).then(console.log) // [true, true]
 * ```
 * @category Event loop
 * @since 0.1.0
 */
export interface EventLoopOptions {
  /** asyncio's debug mode: tasks remember where they were created, and reports show it. */
  readonly debug?: boolean | undefined
  /** As `loop.set_task_factory(asyncio.eager_task_factory)` (Python 3.12): every task starts eagerly. */
  readonly eagerTaskFactory?: boolean | undefined
  /** Replaces the default handler, which writes to `console.error`. */
  readonly exceptionHandler?: ExceptionHandler | undefined
  /**
   * Every task is an Effect span, made by the tracer of the context the task is created from:
   * named as the task, a child of its creator's span, the parent of the spans its body opens;
   * attributes `asyncio.task.id` (`futureId`), `asyncio.task.name`, `asyncio.task.parent_id`,
   * and at its end `asyncio.task.outcome` (`ok`, `failed`, `cancelled`) and
   * `asyncio.task.cancel_message`. Off by default (then it costs nothing).
   */
  readonly tracing?: boolean | undefined
}

/**
 * The loop, as asyncio's `AbstractEventLoop` (the part that concerns tasks, futures and
 * callbacks). Get it with `yield* asyncio.getRunningLoop`. Its methods are synchronous, as in
 * asyncio, so that callbacks can use them.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import * as asyncio from "@effect-asyncio/core"
 *
 * const program = Effect.gen(function* () {
 *   const loop: asyncio.EventLoopService = yield* asyncio.getRunningLoop
 *   const seen: Array<string> = []
 *   loop.callLater(0.5, () => seen.push("later"))
 *   loop.callSoon(() => seen.push("soon"))
 *   yield* asyncio.sleep(1)
 *   return [loop.time(), seen] // on TestClock, time() starts at 0
 * })
 * asyncio.run(program).then(([, seen]) => console.log(seen)) // ["soon", "later"]
 * ```
 * @category Event loop
 * @since 0.1.0
 */
export interface EventLoopService {
  /** `loop.time()`: the loop's clock in seconds (virtual under `TestClock`). */
  time(): number
  /** `loop.call_soon(callback, *args)`: `callback(...args)` at a later turn, in FIFO order. */
  callSoon<Args extends ReadonlyArray<unknown>>(callback: (...args: Args) => unknown, ...args: Args): Handle
  /** `loop.call_later(delay, callback, *args)`: in `delay` seconds (a number, or a `Duration`). */
  callLater<Args extends ReadonlyArray<unknown>>(
    delay: Seconds,
    callback: (...args: Args) => unknown,
    ...args: Args
  ): TimerHandle
  /** `loop.call_at(when, callback, *args)`: when `time()` reaches `when`. */
  callAt<Args extends ReadonlyArray<unknown>>(
    when: number,
    callback: (...args: Args) => unknown,
    ...args: Args
  ): TimerHandle
  /** `loop.create_future()`: a pending `Future` of this loop. */
  createFuture<A, E = never>(): Future<A, E>
  /** `loop.stop()`: the loop stops at the end of the iteration under way. */
  stop(): void
  /** `loop.is_running()` */
  isRunning(): boolean
  /** `loop.is_closed()` */
  isClosed(): boolean
  /** `loop.get_debug()` */
  getDebug(): boolean
  /** `loop.set_debug(enabled)` */
  setDebug(enabled: boolean): void
  /** Whether new tasks start eagerly (`eager_task_factory` is installed). */
  isEagerTaskFactory(): boolean
  /** `loop.set_task_factory(asyncio.eager_task_factory)` (`true`) or `set_task_factory(None)`. */
  setEagerTaskFactory(eager: boolean): void
  /** `loop.get_exception_handler()` */
  getExceptionHandler(): ExceptionHandler | undefined
  /** `loop.set_exception_handler(handler)`; `undefined` restores the default. */
  setExceptionHandler(handler: ExceptionHandler | undefined): void
  /** `loop.default_exception_handler(context)`: writes the report to `console.error`. */
  defaultExceptionHandler(context: ExceptionContext): void
  /** `loop.call_exception_handler(context)`; a handler that throws is reported, never fatal. */
  callExceptionHandler(context: ExceptionContext): void
  /**
   * `loop.run_in_executor(executor, func, *args)`: calls `fn(...args)` in a worker of
   * `executor` (`undefined`: the loop's default `ThreadPoolExecutor`, made on first use) and
   * returns a future of this loop for its outcome. `fn` must come from `defineWorkerFunctions`
   * (else `TypeError`); after the executor's shutdown it throws `RuntimeError` ("cannot schedule
   * new futures after shutdown"). Cancelling the future cancels the call: one still waiting for
   * a worker never runs; a running one runs on and its result is dropped, unless the executor
   * has `terminateOnCancel`.
   */
  runInExecutor<F extends WorkerFunction<(...args: never) => unknown>>(
    executor: ProcessPoolExecutor,
    fn: F,
    ...args: WorkerArguments<F>
  ): Future<WorkerSuccess<F>, WorkerFailure<F> | BrokenProcessPool>
  runInExecutor<F extends WorkerFunction<(...args: never) => unknown>>(
    executor: ThreadPoolExecutor | undefined | null,
    fn: F,
    ...args: WorkerArguments<F>
  ): Future<WorkerSuccess<F>, WorkerFailure<F> | BrokenThreadPool>
  runInExecutor<F extends WorkerFunction<(...args: never) => unknown>>(
    executor: Executor | undefined | null,
    fn: F,
    ...args: WorkerArguments<F>
  ): Future<WorkerSuccess<F>, WorkerFailure<F> | BrokenThreadPool | BrokenProcessPool>
  /** `loop.set_default_executor(executor)`: a `ThreadPoolExecutor` (else `TypeError`). */
  setDefaultExecutor(executor: ThreadPoolExecutor): void
  /**
   * `await loop.shutdown_default_executor(timeout)`: shuts the default executor down and waits
   * (at most `timeout` seconds, if given) for its calls and threads; later `runInExecutor(undefined,
   * ...)` and `toThread` fail with `RuntimeError`. `run` and `Runner.close` do it with 300 s.
   */
  shutdownDefaultExecutor(timeout?: number | null): Effect.Effect<void>
  /**
   * `asyncio.run_coroutine_threadsafe(effect, loop)`: from any callback (a `node:http` handler,
   * a timer), runs `effect` as a task of this loop (created at the loop's next turn) and returns a
   * `Submission`, a Promise of its outcome whose `cancel()` cancels the task. The loop must be
   * running for the task to progress (a `Runner`'s loop runs while `run` does). Throws
   * `RuntimeError` on a closed loop, `TypeError` for a non-effect.
   */
  submit<A, E>(effect: Effect.Effect<A, E, EventLoop>, options?: SubmitOptions): Submission<A>
  /**
   * `loop.add_signal_handler(sig, callback, *args)` (Unix): when the process receives `sig`
   * (`"SIGTERM"`, or its number), `callback(...args)` runs at a turn of the loop, never inside the
   * signal; a second handler for the same signal replaces the first. Throws as asyncio does:
   * `TypeError` (neither a signal name nor a number; a callback that is not a function, or is an
   * effect: use `loop.submit` inside a function), `ValueError` ("invalid signal number 0"),
   * `RuntimeError` ("sig 9 cannot be caught" for SIGKILL and SIGSTOP; a closed loop; a worker
   * thread). The loop's handler takes the signal from `run`'s own SIGINT handling. Closing the
   * loop removes its handlers.
   */
  addSignalHandler<Args extends ReadonlyArray<unknown>>(
    sig: NodeJS.Signals | number,
    callback: (...args: Args) => unknown,
    ...args: Args
  ): void
  /** `loop.remove_signal_handler(sig)`: true if a handler was removed (the signal's default is back). */
  removeSignalHandler(sig: NodeJS.Signals | number): boolean
}

/**
 * Formats a report the way asyncio's default handler logs it.
 *
 * @example
 * ```ts
 * import * as asyncio from "@effect-asyncio/core"
 *
 * const text = asyncio.formatExceptionContext({ message: "Task exception was never retrieved", exception: "boom" })
 * console.log(text.split("\n")) // ["Task exception was never retrieved", "Uncaught \"boom\""]
 * ```
 * @category Event loop
 * @since 0.1.0
 */
export const formatExceptionContext = (context: ExceptionContext): string => {
  validate.exceptionContext(context, "formatExceptionContext")
  return formatExceptionReport(context)
}

/**
 * The event loop service: everything that creates or inspects tasks needs it.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import * as asyncio from "@effect-asyncio/core"
 *
 * const program = Effect.gen(function* () {
 *   const loop = yield* asyncio.EventLoop
 *   return [loop.isClosed(), loop.time() > 0] // loop.time(): the Clock, in seconds
 * })
 * Effect.runPromise(program.pipe(Effect.provide(asyncio.EventLoop.layer()))).then(console.log) // [false, true]
 * ```
 * @category Event loop
 * @since 0.1.0
 */
export class EventLoop extends Context.Service<EventLoop, EventLoopService>()(
  // "Service not found: <key>" tells a program run with Effect.runPromise what to do
  EVENT_LOOP_KEY
) {
  /**
   * A fresh loop that runs for the lifetime of the layer (as `run_forever`). When the layer's
   * scope closes, the loop stops and shuts down as `asyncio.run` does: pending tasks are
   * cancelled and awaited, unretrieved exceptions reported, the loop closed.
   */
  static readonly layer = (options: EventLoopOptions = {}): Layer.Layer<EventLoop> =>
    Layer.effect(
      EventLoop,
      Effect.acquireRelease(
        Effect.map(
          Effect.suspend(() => makeLoopImpl(loopOptions(options, "EventLoop.layer"))),
          (loop) => {
            const running = Effect.runFork(loop.runForever())
            return [loop, running] as const
          }
        ),
        ([loop, running]) =>
          Effect.suspend(() => {
            loop.stop()
            return Effect.andThen(Fiber.await(running), loop.shutdown())
          })
      ).pipe(Effect.map(([loop]) => publicLoop(loop)))
    )
}

/** The keys of `EventLoopOptions`. */
const LOOP_OPTIONS: ReadonlyArray<string> = ["debug", "eagerTaskFactory", "exceptionHandler", "tracing"]

/**
 * Options of a new loop, checked: an object of `EventLoopOptions` (`extra` names the keys the
 * caller adds, as `run`'s `handleSigint`); the handler a function or none.
 *
 * @internal
 */
export const loopOptions = <O extends Omit<EventLoopOptions, "tracing"> & { readonly tracing?: unknown }>(
  options: O | undefined,
  fn: string,
  extra: ReadonlyArray<string> = []
): O => {
  const checked = validate.options(
    options,
    fn,
    extra.length === 0 ? LOOP_OPTIONS : [...LOOP_OPTIONS, ...extra]
  )
  validate.exceptionHandler(checked?.exceptionHandler)
  // run and Runner (the only callers with extra keys) also take a tracer's Layer, and a monitor
  validate.tracing(checked?.tracing, fn, extra.length > 0)
  if (extra.length > 0) validate.monitor((checked as { readonly monitor?: unknown } | undefined)?.monitor, fn)
  return checked ?? ({} as O)
}

/**
 * The loop as users see it: the implementation satisfies the interface, handler types aside.
 *
 * @internal
 */
export const publicLoop = (loop: EventLoopImpl): EventLoopService => loop as unknown as EventLoopService

/**
 * The implementation behind a loop of the `EventLoop` service. Every loop is made here; a value
 * of another origin (a hand-made layer) dies with `RuntimeError` where it is used.
 *
 * @internal
 */
export const loopImpl = (loop: EventLoopService): EventLoopImpl => {
  if (loop instanceof EventLoopImpl) return loop
  throw new RuntimeError({ message: "not an event loop made by effect-asyncio" })
}

/**
 * Creates a loop outside of any layer; the caller runs it and shuts it down.
 *
 * @internal
 */
export const makeLoop = (options: EventLoopOptions = {}): Effect.Effect<EventLoopImpl> =>
  makeLoopImpl(options)

/**
 * `asyncio.get_running_loop()`.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import * as asyncio from "@effect-asyncio/core"
 *
 * asyncio.run(Effect.map(asyncio.getRunningLoop, (loop) => loop.getDebug())).then(console.log) // false
 * ```
 * @category Event loop
 * @since 0.1.0
 */
export const getRunningLoop: Effect.Effect<EventLoopService, never, EventLoop> = EventLoop
