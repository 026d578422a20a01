/**
 * The event loop: asyncio's `events.py` as an Effect service.
 *
 * The loop owns what asyncio's loop owns and nothing more: the registry of live tasks (each a
 * root fiber: it outlives the fiber that created it, and the loop cancels it when it closes), the
 * `Task-N` name counter, `time()` read from Effect's `Clock` (virtual under `TestClock`), a
 * `debug` flag and the exception handler.
 *
 * Fibers run on Effect's scheduler, but the turns asyncio orders go through two queues of the
 * loop, as in `base_events.py`: a FIFO ready queue (`callSoon`: a task's first step, `sleep(0)`,
 * done callbacks, awaiter wakeups) and a timer heap (`callAt`: `sleep(seconds)` in a task), whose
 * due timers join the ready queue in deadline order. One fiber sleeps on Effect's `Clock` until
 * the earliest deadline. That is what makes interleavings come out in CPython's order.
 *
 * Functions that need the loop declare `EventLoop` in their requirements, so "no running event
 * loop" is a compile error. `run` and `Runner` provide it; tests provide `EventLoop.layer()`.
 *
 * @since 0.1.0
 */
import { Cause, Clock, Context, Effect, Exit, Fiber, Layer, Scheduler } from "effect"
import { LoopTimers } from "./internal/scheduling.js"
import type { Task } from "./tasks.js"

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
 *   yield* asyncio.createTask(Effect.fail("boom"))
 *   yield* asyncio.sleep(0.1)
 * })
 * asyncio.run(program, { exceptionHandler: (_loop, context) => console.log(report(context)) }) // Task exception was never retrieved: boom
 * ```
 * @since 0.1.0
 */
export interface ExceptionContext {
  readonly message: string
  /** The error or defect, when there is one. */
  readonly exception?: unknown
  /** The task concerned, when there is one. */
  readonly task?: Task<unknown, unknown>
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
 * @since 0.1.0
 */
export interface EventLoopOptions {
  /** asyncio's debug mode: tasks remember where they were created, and reports show it. */
  readonly debug?: boolean | undefined
  /** As `loop.set_task_factory(asyncio.eager_task_factory)` (Python 3.12): every task starts eagerly. */
  readonly eagerTaskFactory?: boolean | undefined
  /** Replaces the default handler, which writes to `console.error`. */
  readonly exceptionHandler?: ExceptionHandler | undefined
}

/**
 * A loop's lifecycle: open, shutting down (cancelling what is left), closed.
 */
type LoopState = "open" | "closing" | "closed"

/**
 * The loop itself. Its public methods are asyncio's; the ones marked internal are the wiring
 * that `tasks.ts` and `runners.ts` use.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import * as asyncio from "@effect-asyncio/core"
 *
 * const program = Effect.gen(function* () {
 *   const loop: asyncio.EventLoopService = yield* asyncio.getRunningLoop
 *   loop.setDebug(true)
 *   return [loop.getDebug(), loop.isClosed()]
 * })
 * asyncio.run(program).then(console.log) // [true, false]
 * ```
 * @since 0.1.0
 */
export class EventLoopService {
  private state: LoopState = "open"
  private debug: boolean
  private taskFactoryEager: boolean
  private handler: ExceptionHandler | undefined
  private taskCounter = 0
  /** asyncio's `_scheduled` heap: pending timers, earliest first */
  private readonly timers: LoopTimers
  /** @internal live (not done) tasks, in creation order */
  readonly tasks = new Set<Task<unknown, unknown>>()
  /** @internal failed tasks whose exception nobody retrieved yet */
  readonly unretrieved = new Set<Task<unknown, unknown>>()

  /** @internal */
  constructor(
    clock: Clock.Clock,
    /** one queue for the whole loop, as asyncio's `_ready` deque */
    private readonly dispatcher: Scheduler.SchedulerDispatcher,
    options: EventLoopOptions
  ) {
    this.debug = options.debug ?? false
    this.taskFactoryEager = options.eagerTaskFactory ?? false
    this.handler = options.exceptionHandler
    this.timers = new LoopTimers(clock, (callback) => this.callSoon(callback))
  }

  /** `loop.time()`: the loop's clock in seconds (virtual under `TestClock`). */
  time(): number {
    return this.timers.time()
  }

  /** `loop.get_debug()` */
  getDebug(): boolean {
    return this.debug
  }

  /** `loop.set_debug(enabled)` */
  setDebug(enabled: boolean): void {
    this.debug = enabled
  }

  /** `loop.is_closed()` */
  isClosed(): boolean {
    return this.state === "closed"
  }

  /** Whether new tasks start eagerly (`eager_task_factory` is installed). */
  isEagerTaskFactory(): boolean {
    return this.taskFactoryEager
  }

  /** `loop.set_task_factory(asyncio.eager_task_factory)` / `loop.set_task_factory(None)`. */
  setEagerTaskFactory(eager: boolean): void {
    this.taskFactoryEager = eager
  }

  /** `loop.get_exception_handler()` */
  getExceptionHandler(): ExceptionHandler | undefined {
    return this.handler
  }

  /** `loop.set_exception_handler(handler)`; `undefined` restores the default. */
  setExceptionHandler(handler: ExceptionHandler | undefined): void {
    this.handler = handler
  }

  /** `loop.default_exception_handler(context)`: writes the report to `console.error`. */
  defaultExceptionHandler(context: ExceptionContext): void {
    globalThis.console.error(formatExceptionContext(context))
  }

  /**
   * `loop.call_exception_handler(context)`. A handler that throws is reported by the default
   * handler instead, as asyncio does; it never breaks the loop.
   */
  callExceptionHandler(context: ExceptionContext): void {
    const handler = this.handler
    if (handler === undefined) {
      this.defaultExceptionHandler(context)
      return
    }
    try {
      handler(this, context)
    } catch (error) {
      this.defaultExceptionHandler({ message: "Unhandled error in exception handler", exception: error })
    }
  }

  /**
   * @internal asyncio's `loop.call_soon(callback)`: runs `callback` at a later turn, after every
   * callback the loop was given before it (one FIFO queue per loop). Task done callbacks and
   * awaiter wakeups go through it, so they keep asyncio's order.
   */
  callSoon(callback: () => void): void {
    this.dispatcher.scheduleTask(callback, 0)
  }

  /**
   * @internal suspends the calling fiber until the loop's queue reaches this turn (a task's
   * first step, `sleep(0)`): one effect per loop, shared by every fiber that takes a turn.
   */
  readonly turn: Effect.Effect<void> = Effect.callback<void>((resume) => {
    this.callSoon(() => resume(Effect.void))
  })

  /**
   * @internal asyncio's `loop.call_at(when, callback)`: `callback` joins the loop's queue once
   * `time()` reaches `when`. Timers due together are queued in deadline order (then in the order
   * they were set), after what the queue already holds, as asyncio's `_run_once` does; so tasks
   * woken by the same instant interleave with `sleep(0)` and callbacks as in CPython. Returns the
   * function that cancels the timer.
   */
  callAt(when: number, callback: () => void): () => void {
    return this.timers.callAt(when, callback)
  }

  /** @internal the number of the next `Task-N` name, per loop (`Task-1`, `Task-2`...). */
  nextTaskNumber(): number {
    this.taskCounter += 1
    return this.taskCounter
  }

  /** @internal whether `createTask` may still fork into this loop */
  acceptsTasks(): boolean {
    return this.state !== "closed"
  }

  /**
   * @internal asyncio.run's shutdown (`_cancel_all_tasks`): cancel every task still pending,
   * wait for all of them, report the ones that failed while shutting down, report every
   * exception never retrieved, then cancel what cleanup created meanwhile. Runs once; later
   * calls wait for nothing.
   */
  shutdown(): Effect.Effect<void> {
    return Effect.suspend(() => {
      if (this.state !== "open") return Effect.void
      this.state = "closing"
      // asyncio's loop stops only after the callbacks already scheduled have run, so a task
      // created in main's last step takes its first step before it is cancelled
      return Effect.yieldNow.pipe(
        Effect.andThen(Effect.suspend(() => this.cancelAll())),
        Effect.uninterruptible
      )
    })
  }

  private cancelAll(): Effect.Effect<void> {
    return Effect.suspend(() => {
      const pending = [...this.tasks]
      for (const task of pending) task.cancelUnsafe()
      return Effect.forEach(pending, (task) => Fiber.await(task.fiberUnsafe()), { discard: true }).pipe(
        Effect.andThen(
          Effect.sync(() => {
            for (const task of pending) {
              const exit = task.exitUnsafe()
              if (exit === undefined || task.cancelled() || Exit.isSuccess(exit)) continue
              this.unretrieved.delete(task)
              this.callExceptionHandler({
                message: "unhandled exception during asyncio.run() shutdown",
                exception: Cause.squash(exit.cause),
                task
              })
            }
            this.reportUnretrieved()
            // created by the cleanup of the cancelled tasks: asyncio leaves them pending when the
            // loop closes and `Task.__del__` logs them; we log them as well, then cancel them
            for (const task of this.tasks) {
              if (!task.done())
                this.callExceptionHandler({ message: "Task was destroyed but it is pending!", task })
            }
          })
        ),
        // the tasks just logged: nothing outlives the loop
        Effect.andThen(
          Effect.suspend(() =>
            Effect.forEach(this.tasks, (task) => Fiber.interrupt(task.fiberUnsafe()), { discard: true })
          )
        ),
        Effect.ensuring(
          Effect.sync(() => {
            this.state = "closed"
            this.timers.close()
          })
        ),
        Effect.uninterruptible
      )
    })
  }

  /** @internal "Task exception was never retrieved", once per task, as asyncio's `Task.__del__`. */
  reportUnretrieved(): void {
    const tasks = [...this.unretrieved]
    this.unretrieved.clear()
    for (const task of tasks) {
      const exit = task.exitUnsafe()
      if (exit === undefined || Exit.isSuccess(exit)) continue
      this.callExceptionHandler({
        message: "Task exception was never retrieved",
        exception: Cause.squash(exit.cause),
        task
      })
    }
  }
}

/**
 * Formats a report the way asyncio's default handler logs it.
 *
 * @example
 * ```ts
 * import * as asyncio from "@effect-asyncio/core"
 *
 * const text = asyncio.formatExceptionContext({ message: "Task exception was never retrieved", exception: "boom" })
 * console.log(text.split("\n")) // ["Task exception was never retrieved", "boom"]
 * ```
 * @since 0.1.0
 */
export const formatExceptionContext = (context: ExceptionContext): string => {
  const lines = [context.message]
  if (context.task !== undefined) lines.push(`task: ${context.task.toString()}`)
  if (context.exception !== undefined) {
    const exception = context.exception
    lines.push(exception instanceof Error && exception.stack ? exception.stack : String(exception))
  }
  return lines.join("\n")
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
 * @since 0.1.0
 */
export class EventLoop extends Context.Service<EventLoop, EventLoopService>()(
  "@effect-asyncio/core/EventLoop"
) {
  /**
   * A fresh loop for the lifetime of the layer. When the layer's scope closes, the loop shuts
   * down as `asyncio.run` does: pending tasks are cancelled and awaited, unretrieved exceptions
   * reported.
   */
  static readonly layer = (options: EventLoopOptions = {}): Layer.Layer<EventLoop> =>
    Layer.effect(
      EventLoop,
      Effect.acquireRelease(makeLoop(options), (loop) => loop.shutdown())
    )
}

/**
 * Creates a loop outside of any layer; the caller must `shutdown()` it.
 *
 * @internal
 */
export const makeLoop = (options: EventLoopOptions = {}): Effect.Effect<EventLoopService> =>
  Effect.gen(function* () {
    const clock = yield* Clock.Clock
    const scheduler = yield* Scheduler.Scheduler
    return new EventLoopService(clock, scheduler.makeDispatcher(), options)
  })

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
 * @since 0.1.0
 */
export const getRunningLoop: Effect.Effect<EventLoopService, never, EventLoop> = EventLoop
