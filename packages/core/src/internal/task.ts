/**
 * The `Task` handle: asyncio's `Task` (and the `Future` it extends) over a running fiber.
 * Public through `tasks.ts`; `createTask` there is the only way to make one.
 *
 * @internal
 */
import { Cause, Context, Effect, Effectable, Exit, Fiber } from "effect"
import type { EventLoopService } from "../events.js"
import { type CancelledError, InvalidStateError, RuntimeError } from "../exceptions.js"
import {
  cancelledErrorUnsafe,
  isCancellation,
  ownCancelledError,
  pyRepr,
  showCause,
  withoutInterrupts
} from "./outcome.js"

/** A task's life: pending until its fiber exits, then finished (result or error) or cancelled. */
type TaskState = "pending" | "finished" | "cancelled"

/** The last accepted `cancel()`: none yet, waiting to reach the task, or delivered to its fiber. */
type CancelRequest = "none" | "waiting" | "delivered"

/**
 * The task whose fiber is running, provided to each task's body.
 *
 * @internal
 */
export const CurrentTask = Context.Reference<Task<unknown, unknown> | undefined>(
  "@effect-asyncio/core/CurrentTask",
  { defaultValue: () => undefined }
)

/**
 * A running effect, as asyncio's `Task`. It is itself an `Effect`: `yield* task` awaits it and
 * gives its result, fails with its typed error, or fails with `CancelledError` if it was
 * cancelled. State reads (`done()`, `cancelled()`, `getName()`...) are synchronous, as in asyncio.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import * as asyncio from "@effect-asyncio/core"
 *
 * const program = Effect.gen(function* () {
 *   const task = yield* asyncio.createTask(asyncio.sleep(1, "done"), { name: "worker" })
 *   console.log(task.getName(), task.done()) // worker false
 *   const result = yield* task
 *   console.log(result, task.done()) // done true
 * })
 * asyncio.run(program)
 * ```
 * @since 0.1.0
 */
export class Task<A, E = never> extends Effectable.Class<A, E | CancelledError> {
  private state: TaskState = "pending"
  private exit: Exit.Exit<A, E> | undefined = undefined
  private fiber: Fiber.Fiber<A, E> | undefined = undefined
  /** A `Task-N` name is kept as its number until asked for (as CPython 3.12's C Task) */
  private name: string | number
  private numCancelsRequested = 0
  private cancelMessage: string | undefined = undefined
  /** asyncio's `_cancelled_exc` was handed out (see `cancelledError`) */
  private cancelledErrorTaken = false
  /** Whether the body has begun running (a cancel before that skips the body). */
  private started = false
  /**
   * Where the last accepted cancel request is. "waiting" is asyncio's `_must_cancel`: the task
   * has not started (it will end without running its body) or is running (it cancelled itself:
   * the interruption reaches it once it suspends, and cancels what it awaits there).
   * "delivered": the fiber is interrupted, as asyncio's awaited future is cancelled.
   */
  private cancelRequest: CancelRequest = "none"
  /**
   * Registered done callbacks, already bound to this task (`original` is kept for removal);
   * most tasks never get one, so the array is made by the first.
   */
  private callbacks: Array<{ readonly original: unknown; readonly run: () => void }> | undefined = undefined
  /** In debug mode, where the task was created (asyncio's `_source_traceback`). */
  readonly sourceTraceback: string | undefined

  /** @internal use `createTask` */
  constructor(
    private readonly coro: Effect.Effect<A, E, never>,
    private readonly loop: EventLoopService,
    name: string | number,
    private readonly scheduleCallback: (callback: () => void) => void
  ) {
    super()
    this.name = name
    this.sourceTraceback = loop.getDebug() ? new Error("Task created at").stack : undefined
  }

  /** `yield* task`: awaits the task. */
  asEffect(): Effect.Effect<A, E | CancelledError> {
    return awaitTask(this)
  }

  /** `task.done()`: finished, failed or cancelled. */
  done(): boolean {
    return this.state !== "pending"
  }

  /** `task.cancelled()`: ended by cancellation. */
  cancelled(): boolean {
    return this.state === "cancelled"
  }

  /**
   * `task.cancel(msg)`: requests cancellation. Returns `false` if the task is already done, `true`
   * otherwise (each accepted request is counted by `cancelling()`). As in asyncio the task is not
   * done yet when `cancel` returns: its fiber is interrupted at the next turn of the scheduler,
   * or, if it is running, once it suspends. A task that has not started yet ends without running
   * its body; a task that finishes before the request reaches it ends cancelled all the same.
   * Cleanup inside the task goes in `Effect.onInterrupt` / `Effect.ensuring`, and always runs.
   */
  cancel(message?: string): Effect.Effect<boolean> {
    return Effect.sync(() => this.cancelUnsafe(message))
  }

  /** `cancel`, synchronously: for done callbacks and other non-Effect code. */
  cancelUnsafe(message?: string): boolean {
    // asyncio: cancel() marks the exception as seen
    this.loop.unretrieved.delete(this as Task<unknown, unknown>)
    if (this.state !== "pending") return false
    this.numCancelsRequested += 1
    // asyncio: while the request waits, the last message wins (`_cancel_message = msg`); once it
    // is delivered, the CancelledError is on its way with the message it had
    if (this.cancelRequest === "delivered") return true
    this.cancelMessage = message
    const fiber = this.fiber
    if (this.started && fiber !== undefined && Fiber.getCurrent() !== fiber) {
      // suspended: its pending wakeup is replaced by the interruption, as asyncio's next step
      // throws CancelledError in; the task itself completes at a later turn (see `forkTask`)
      this.deliverCancel()
    } else if (this.cancelRequest === "none") {
      this.cancelRequest = "waiting"
      // not started: `start` ends the body before it runs; running: interrupted once it suspends
      if (this.started) this.scheduleCallback(() => this.cancelRequest === "waiting" && this.deliverCancel())
    }
    return true
  }

  private deliverCancel(): void {
    this.cancelRequest = "delivered"
    this.fiber?.interruptUnsafe()
  }

  /** `task.cancelling()`: the number of cancellation requests not yet withdrawn by `uncancel()`. */
  cancelling(): number {
    return this.numCancelsRequested
  }

  /**
   * `task.uncancel()`: withdraws one cancellation request and returns the count left. It only
   * counts: the interruption itself cannot be undone (see the README's differences table);
   * `timeout()` uses the count to tell its own cancellation from one that came from outside.
   */
  uncancel(): number {
    if (this.numCancelsRequested > 0) {
      this.numCancelsRequested -= 1
      // asyncio 3.13: a request not delivered yet is withdrawn with the last count
      if (this.numCancelsRequested === 0 && this.cancelRequest === "waiting") this.cancelRequest = "none"
    }
    return this.numCancelsRequested
  }

  /**
   * `task.result()`: the result of a finished task; fails with its error, with `CancelledError`
   * if it was cancelled, or with `InvalidStateError` while it is pending.
   */
  result(): Effect.Effect<A, E | CancelledError | InvalidStateError> {
    return Effect.suspend(
      (): Effect.Effect<A, E | CancelledError | InvalidStateError> =>
        this.exit === undefined ? invalidState("Result is not set.") : this.outcome()
    )
  }

  /**
   * `task.exception()`: the typed error of a failed task, `undefined` if it succeeded; fails with
   * `CancelledError` if it was cancelled, `InvalidStateError` while pending. A task that died
   * with a defect re-raises that defect (defects stay defects).
   */
  exception(): Effect.Effect<E | undefined, CancelledError | InvalidStateError> {
    return Effect.suspend((): Effect.Effect<E | undefined, CancelledError | InvalidStateError> => {
      const exit = this.exit
      if (exit === undefined) return invalidState("Exception is not set.")
      if (this.state === "cancelled") return Effect.fail(this.cancelledError())
      this.markRetrieved()
      if (Exit.isSuccess(exit)) return Effect.succeed(undefined)
      const failure = exit.cause.reasons.find(Cause.isFailReason)
      if (failure !== undefined) return Effect.succeed(failure.error)
      return Effect.failCause(withoutInterrupts(exit.cause) as Cause.Cause<never>)
    })
  }

  /**
   * `task.add_done_callback(fn)`: `fn(task)` runs once the task is done, after the callbacks
   * added before it; added to a done task, it is scheduled at once. A callback that throws is
   * reported to the loop's exception handler.
   */
  addDoneCallback(callback: (task: Task<A, E>) => void): void {
    const registration = { original: callback, run: () => this.runCallback(callback) }
    if (this.state === "pending") this.register(registration)
    else this.scheduleCallback(registration.run)
  }

  /** `task.remove_done_callback(fn)`: removes every registration of `fn`, returns how many. */
  removeDoneCallback(callback: (task: Task<A, E>) => void): number {
    const callbacks = this.callbacks
    if (callbacks === undefined) return 0
    this.callbacks = callbacks.filter((registered) => registered.original !== callback)
    return callbacks.length - this.callbacks.length
  }

  /**
   * @internal runs `wake` once the task is done, in turn with the done callbacks; returns the
   * function that withdraws it.
   */
  onDoneUnsafe(wake: () => void): () => void {
    if (this.state !== "pending") {
      this.scheduleCallback(wake)
      return () => {}
    }
    const registration = { original: wake, run: wake }
    this.register(registration)
    return () => {
      this.callbacks = this.callbacks?.filter((registered) => registered !== registration)
    }
  }

  private register(registration: { readonly original: unknown; readonly run: () => void }): void {
    if (this.callbacks === undefined) this.callbacks = [registration]
    else this.callbacks.push(registration)
  }

  /** `task.get_name()` */
  getName(): string {
    return typeof this.name === "number" ? `Task-${this.name}` : this.name
  }

  /** `task.set_name(value)` */
  setName(value: string): void {
    this.name = String(value)
  }

  /** `task.get_coro()`: the effect the task runs. */
  getCoro(): Effect.Effect<A, E, never> {
    return this.coro
  }

  /** `task.get_loop()` */
  getLoop(): EventLoopService {
    return this.loop
  }

  /** The fiber that runs the task, for Effect's own tools (`Fiber.await`, supervision). */
  fiberUnsafe(): Fiber.Fiber<A, E> {
    // assigned by createTask before the task is handed to anyone
    return this.fiber as Fiber.Fiber<A, E>
  }

  /**
   * The fiber's exit once the task is done, `undefined` while pending. Read `cancelled()` first:
   * a task whose cancel request was still waiting when its body returned is cancelled although
   * its fiber succeeded (asyncio's "cancelled right before coro stops"); `outcome()` knows that.
   */
  exitUnsafe(): Exit.Exit<A, E> | undefined {
    return this.exit
  }

  /**
   * asyncio's repr: `<Task pending name='Task-1'>`, `<Task cancelling name='Task-1'>` (a
   * cancellation was requested), `<Task finished name='Task-2' result=3>`.
   */
  override toString(): string {
    const state = this.state === "pending" && this.numCancelsRequested > 0 ? "cancelling" : this.state
    let detail = ""
    const exit = this.exit
    if (exit !== undefined && this.state === "finished") {
      detail = Exit.isSuccess(exit) ? ` result=${pyRepr(exit.value)}` : ` exception=${showCause(exit.cause)}`
    }
    return `<Task ${state} name='${this.getName()}'${detail}>`
  }

  /** @internal called once the fiber exists, before anyone else can see the task */
  attach(fiber: Fiber.Fiber<A, E>): void {
    if (this.fiber !== undefined) return
    this.fiber = fiber
    fiber.addObserver((exit) => this.complete(exit))
  }

  /** @internal the first step: runs the body, or not at all if it was cancelled before (asyncio) */
  start(fiber: Fiber.Fiber<A, E>): Effect.Effect<A, E> {
    this.attach(fiber)
    this.started = true
    if (this.cancelRequest !== "waiting") return this.coro
    this.cancelRequest = "delivered"
    return Effect.interrupt
  }

  /** @internal the result seen by awaiters; marks a failure as retrieved */
  outcome(): Effect.Effect<A, E | CancelledError> {
    if (this.state === "cancelled") return Effect.fail(this.cancelledError())
    const exit = this.exit as Exit.Exit<A, E>
    // an Exit is an Effect: awaiting a finished task allocates nothing
    if (Exit.isSuccess(exit)) return exit
    this.markRetrieved()
    return Effect.failCause(withoutInterrupts(exit.cause))
  }

  /** @internal the message of the first accepted `cancel(msg)` */
  cancelMessageUnsafe(): string | undefined {
    return this.cancelMessage
  }

  /**
   * @internal the `CancelledError` an awaiter of this cancelled task sees: the very error the
   * body failed with if it ended by failing with `CancelledError` (asyncio's `_cancelled_exc`),
   * else a new one carrying the cancel message.
   *
   * As CPython's `_make_cancelled_error`, the error the body raised goes to one retrieval only:
   * the task's own `Future.cancel()` reset `_cancel_message`, so later ones get a bare
   * `CancelledError`. A task cancelled right before its body returned (its fiber succeeded)
   * keeps the message for every retrieval.
   */
  cancelledError(): CancelledError {
    const exit = this.exit
    if (exit === undefined || Exit.isSuccess(exit)) return cancelledErrorUnsafe(this.cancelMessage ?? "")
    if (this.cancelledErrorTaken) return cancelledErrorUnsafe("")
    this.cancelledErrorTaken = true
    return ownCancelledError(exit.cause) ?? cancelledErrorUnsafe(this.cancelMessage ?? "")
  }

  private markRetrieved(): void {
    this.loop.unretrieved.delete(this as Task<unknown, unknown>)
  }

  private complete(exit: Exit.Exit<A, E>): void {
    this.exit = exit
    if (Exit.isFailure(exit)) {
      if (isCancellation(exit.cause)) {
        this.state = "cancelled"
      } else {
        this.state = "finished"
        // asyncio's `_log_traceback`: reported at shutdown unless someone retrieves it
        this.loop.unretrieved.add(this as Task<unknown, unknown>)
      }
    } else {
      // asyncio: "Task is cancelled right before coro stops" (`_must_cancel` at StopIteration)
      this.state = this.cancelRequest === "waiting" ? "cancelled" : "finished"
    }
    this.loop.tasks.delete(this as Task<unknown, unknown>)
    const callbacks = this.callbacks
    if (callbacks === undefined) return
    this.callbacks = undefined
    for (const callback of callbacks) this.scheduleCallback(callback.run)
  }

  private runCallback(callback: (task: Task<A, E>) => void): void {
    try {
      callback(this)
    } catch (error) {
      this.loop.callExceptionHandler({
        message: `Exception in callback ${callback.name || "anonymous"}(${this.toString()})`,
        exception: error,
        task: this as Task<unknown, unknown>
      })
    }
  }
}

const invalidState = (message: string) => Effect.fail(new InvalidStateError({ message }))

/**
 * Awaits a task. If the awaiting fiber is cancelled meanwhile, the awaited task is cancelled
 * too and awaited, as asyncio's `Task.cancel()` cancels the future its coroutine waits on.
 */
const awaitTask = <A, E>(task: Task<A, E>): Effect.Effect<A, E | CancelledError> =>
  Effect.suspend(() => {
    if (task.done()) return task.outcome()
    const fiber = task.fiberUnsafe()
    // asyncio's Task.__step: "Task cannot await on itself" (it would wait forever)
    if (Fiber.getCurrent() === fiber) {
      return Effect.die(new RuntimeError({ message: `Task cannot await on itself: ${task.toString()}` }))
    }
    return waitDone(task).pipe(
      Effect.onInterrupt(() =>
        Effect.flatMap(CurrentTask, (awaiter) =>
          Effect.sync(() => task.cancelUnsafe(awaiter?.cancelMessageUnsafe())).pipe(
            Effect.andThen(waitDone(task)),
            // asyncio: the awaiter's wakeup reads `fut.result()`: an error the awaited task raised
            // while being cancelled reaches the awaiter, and its CancelledError is handed out
            Effect.andThen(
              Effect.suspend(() =>
                task.cancelled() ? Effect.sync(() => task.cancelledError()) : Effect.asVoid(task.outcome())
              )
            )
          )
        )
      ),
      Effect.andThen(Effect.suspend(() => task.outcome()))
    )
  })

/**
 * Suspends until the task is done. The wakeup is one of the task's done callbacks, as asyncio's
 * `Task.__wakeup`, so awaiters and done callbacks run in the order they were registered.
 */
const waitDone = (task: Task<unknown, unknown>): Effect.Effect<void> =>
  Effect.callback<void>((resume) => {
    const remove = task.onDoneUnsafe(() => resume(Effect.void))
    return Effect.sync(remove)
  })
