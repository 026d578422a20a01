/**
 * asyncio's `Task` (`tasks.py`): a future whose steps the loop drives.
 *
 * The coroutine is an Effect running in the task's own fiber. A step is one run of that fiber
 * from the ready queue: the first step starts it (`Effect.runForkWith`), later ones resume it
 * where it blocked. It blocks in two places only, as a coroutine yields to `Task.__step`: on a
 * future (`block`: the task's `__wakeup` becomes a done callback of that future, which is its
 * `_fut_waiter`) and at `sleep(0)` (`turn`: a bare `yield`, the next step is `call_soon`ed).
 *
 * `cancel()` is CPython's: it cancels `_fut_waiter`, or sets `_must_cancel`, and returns; no code
 * of the task runs inside it. The CancelledError reaches the coroutine at its next step, where
 * asyncio throws it in: here the fiber is interrupted there (`deliverCancellation`), so its
 * finalizers run in that step. An interruption is how a task is cancelled in Effect, which is why
 * a task cannot swallow its own cancellation (`timeout()` and `TaskGroup` can, as CPython's
 * `__aexit__` does; see `withdrawCancellation` in internal/loop.ts).
 */
import { Cause, Context, Effect, Exit, Fiber, type Scheduler } from "effect"
import type { CancelledError } from "../exceptions.js"
import { RuntimeError } from "../exceptions.js"
import {
  addToAwaitedBy,
  CurrentTask,
  differentLoop,
  discardFromAwaitedBy,
  FutureImpl,
  type FutureLoop,
  type Waker
} from "./future.js"
import {
  cancellationOf,
  deliverCancellation,
  fiberIsInterruptible,
  fiberIsRunning,
  isBaseException
} from "./loop.js"
import {
  cancelledErrorUnsafe,
  isCancellation,
  ownCancelledError,
  pyRepr,
  withoutInterrupts
} from "./outcome.js"
import { messageOf } from "./validate.js"

/** What a task needs of its loop beyond what a future needs. */
export interface TaskLoop extends FutureLoop {
  readonly fiberScheduler: Scheduler.Scheduler
  /** pending tasks, in creation order (`all_tasks()`) */
  readonly tasks: TaskRegistry
  isClosed(): boolean
  raiseBaseException(error: unknown): void
}

type Resume = (effect: Effect.Effect<unknown, unknown>) => void

/** `Task.__step` from the ready queue: the first step, or the next one after `sleep(0)`. */
const stepTask = (task: TaskImpl<unknown, unknown>): void => task.step(undefined)

/**
 * A cancel request that reached a task whose fiber is not blocked in one of the loop's waits
 * (it is running, or suspended in an Effect of its own): delivered from a turn of the loop, if
 * the task has not met a future of the loop since (which takes the request itself).
 */
const deliverPending = (task: TaskImpl<unknown, unknown>): void => task.deliverPendingCancel()

/**
 * `__step_run_and_handle_result` once the coroutine is over, as a finalizer of the task's fiber
 * (shared by every task: a closure per task would be held as long as the task runs).
 */
const completeOwnTask = (exit: Exit.Exit<unknown, unknown>): Effect.Effect<void> => {
  // a finalizer runs inside the fiber it belongs to
  const task = (Fiber.getCurrent() as Fiber.Fiber<unknown, unknown>).getRef(CurrentTask) as TaskImpl<
    unknown,
    unknown
  >
  task.complete(exit)
  return NO_FINALIZER_EFFECT
}

/**
 * What `completeOwnTask` gives back: nothing to run. Effect's `onExit` takes an `undefined`
 * finalizer effect as "nothing to run" and then reuses the exit as it is (no `flatMap` per task;
 * pinned by test/loopCore.test.ts).
 */
const NO_FINALIZER_EFFECT = undefined as unknown as Effect.Effect<void>

/** The body of every task's fiber: it records itself as the task's fiber, then runs the coroutine. */
const runOwnBody: Effect.Effect<unknown, unknown> = Effect.withFiber((fiber) => {
  // the fiber was made by `start`, with its task in its context
  const task = fiber.getRef(CurrentTask) as TaskImpl<unknown, unknown>
  task.attachFiber(fiber)
  return Effect.onExit(task.getCoro(), completeOwnTask)
})

/** `sleep(0)` in a task's own fiber: asyncio's bare `yield`, `__step` is `call_soon`ed. */
export const ownTurn: Effect.Effect<void> = Effect.callback<void>((resume) => {
  // the register function runs inside the fiber that blocks: the task's own
  const task = (Fiber.getCurrent() as Fiber.Fiber<unknown, unknown>).getRef(CurrentTask) as TaskImpl<
    unknown,
    unknown
  >
  task.waitTurn(resume as Resume)
})

/** A failure or defect that is asyncio's `(KeyboardInterrupt, SystemExit)` (a `BaseException`). */
export const isKeyboardInterrupt = (
  reason: Cause.Reason<unknown>
): reason is Cause.Fail<unknown> | Cause.Die =>
  (Cause.isFailReason(reason) && isBaseException(reason.error)) ||
  (Cause.isDieReason(reason) && isBaseException(reason.defect))

/** The CancelledError `future.result()` raises, when the outcome is only that. */
const cancelledErrorIn = (exit: Exit.Exit<unknown, unknown>): CancelledError | undefined => {
  if (Exit.isSuccess(exit) || exit.cause.reasons.length === 0) return undefined
  let error: CancelledError | undefined
  for (const reason of exit.cause.reasons) {
    if (!Cause.isFailReason(reason)) return undefined
    const found = ownCancelledError(Cause.fromReasons([reason]))
    if (found === undefined) return undefined
    error ??= found
  }
  return error
}

/**
 * What watches a loop's tasks (the monitor, the spans of `tracing`): told when each task is
 * registered and when it is done (its outcome set). Nothing watches unless one is attached, and
 * then the registry pays one field read per task for it.
 */
export interface TaskObserver {
  taskCreated(task: TaskImpl<unknown, unknown>): void
  taskDone(task: TaskImpl<unknown, unknown>): void
}

/**
 * A loop's pending tasks, in creation order (what `all_tasks()` and asyncio.run's shutdown
 * read): a list threaded through the tasks themselves, so that registering and unregistering a
 * task allocates nothing and hashes nothing.
 */
export class TaskRegistry implements Iterable<TaskImpl<unknown, unknown>> {
  private head: TaskImpl<unknown, unknown> | undefined = undefined
  private tail: TaskImpl<unknown, unknown> | undefined = undefined
  size = 0
  /** the observers attached (`undefined`, not an empty array, when there are none) */
  private observers: ReadonlyArray<TaskObserver> | undefined = undefined

  observe(observer: TaskObserver): () => void {
    this.observers = [...(this.observers ?? []), observer]
    return () => {
      const rest = (this.observers ?? []).filter((other) => other !== observer)
      this.observers = rest.length === 0 ? undefined : rest
    }
  }

  add(task: TaskImpl<unknown, unknown>): void {
    if (task.registry !== undefined) return
    if (this.observers !== undefined) for (const observer of this.observers) observer.taskCreated(task)
    task.registry = this
    task.prevTask = this.tail
    task.nextTask = undefined
    if (this.tail === undefined) this.head = task
    else this.tail.nextTask = task
    this.tail = task
    this.size += 1
  }

  delete(task: TaskImpl<unknown, unknown>): void {
    if (task.registry !== this) return
    task.registry = undefined
    const prev = task.prevTask
    const next = task.nextTask
    if (prev === undefined) this.head = next
    else prev.nextTask = next
    if (next === undefined) this.tail = prev
    else next.prevTask = prev
    task.prevTask = undefined
    task.nextTask = undefined
    this.size -= 1
    if (this.observers !== undefined) for (const observer of this.observers) observer.taskDone(task)
  }

  *[Symbol.iterator](): Iterator<TaskImpl<unknown, unknown>> {
    for (let task = this.head; task !== undefined; ) {
      const next = task.nextTask
      yield task
      task = next
    }
  }
}

export class TaskImpl<A, E> extends FutureImpl<A, E> implements Waker {
  /** @internal this task's place in its loop's registry while it is pending */
  registry: TaskRegistry | undefined = undefined
  prevTask: TaskImpl<unknown, unknown> | undefined = undefined
  nextTask: TaskImpl<unknown, unknown> | undefined = undefined
  /** A `Task-N` name is kept as its number until asked for (as CPython 3.12's C Task) */
  private name: string | number
  private numCancelsRequested = 0
  /** asyncio's `_must_cancel` */
  private mustCancel = false
  /** our `cancel()` cancelled `_fut_waiter`: the CancelledError it brings back is this task's */
  private cancelSentToWaiter = false
  /** asyncio's `_fut_waiter` */
  futWaiter: FutureImpl<unknown, unknown> | undefined = undefined
  /** resumes the fiber where it is blocked (on `futWaiter`, or at a `sleep(0)`) */
  private resumeFiber: Resume | undefined = undefined
  private fiber: Fiber.Fiber<A, E> | undefined = undefined
  /** the context the fiber starts with, until the first step */
  private context: Context.Context<never> | undefined
  /** In debug mode, where the task was created (asyncio's `_source_traceback`). */
  readonly sourceTraceback: string | undefined

  constructor(
    private readonly coro: Effect.Effect<A, E>,
    override readonly loop: TaskLoop,
    name: string | number,
    /** the creator's services (as a task copies the context), with the loop and its scheduler */
    context: Context.Context<never>
  ) {
    super(loop)
    this.name = name
    this.sourceTraceback = loop.debug ? new Error("Task created at").stack : undefined
    this.context = Context.add(context, CurrentTask, this as TaskImpl<unknown, unknown>)
  }

  /** `Task.__init__`: registered, and its first step queued (`call_soon(self.__step)`). */
  schedule(): void {
    this.loop.tasks.add(this as TaskImpl<unknown, unknown>)
    this.loop.callSoonFn(stepTask, this as TaskImpl<unknown, unknown>)
  }

  /** `Task.__eager_start`: the first step runs now, inside the creator's step. */
  eagerStart(): void {
    this.loop.tasks.add(this as TaskImpl<unknown, unknown>)
    this.start()
  }

  getCoro(): Effect.Effect<A, E> {
    return this.coro
  }

  /** `task.get_name()` */
  getName(): string {
    return typeof this.name === "number" ? `Task-${this.name}` : this.name
  }

  /** `task.set_name(value)` */
  setName(value: unknown): void {
    this.name = String(value)
  }

  /** The fiber running the coroutine, from the first step until the task is done. */
  fiberUnsafe(): Fiber.Fiber<A, E> | undefined {
    return this.fiber
  }

  isOwnFiber(fiber: Fiber.Fiber<unknown, unknown>): boolean {
    return this.fiber === fiber
  }

  /** Called by the fiber's first operation. */
  attachFiber(fiber: Fiber.Fiber<unknown, unknown>): void {
    this.fiber = fiber as Fiber.Fiber<A, E>
  }

  /** `Task.set_result`: a task's result is its coroutine's. */
  override resolveNow(_result: A): void {
    throw new RuntimeError({ message: "Task does not support set_result operation" })
  }

  /** `Task.set_exception`: a task's exception is its coroutine's. */
  override rejectNow(_error: E): void {
    throw new RuntimeError({ message: "Task does not support set_exception operation" })
  }

  /**
   * `task.cancel(msg)`: asks for cancellation and returns at once (true unless done). The future
   * the task waits on is cancelled, or else `_must_cancel` is set for its next step.
   */
  override cancelNow(message?: unknown): boolean {
    this.markRetrieved()
    if (this.state !== "pending") return false
    this.numCancelsRequested += 1
    const fiber = this.fiber
    const waiter = this.futWaiter
    // an uninterruptible fiber (a finalizer that awaits) is not cut short: the request waits
    if (waiter !== undefined && fiber !== undefined && fiberIsInterruptible(fiber)) {
      if (waiter.cancelNow(message)) {
        this.cancelSentToWaiter = true
        return true
      }
    }
    this.mustCancel = true
    this.cancelMessage = message
    if (fiber !== undefined && this.resumeFiber === undefined) {
      this.loop.callSoonFn(deliverPending, this as TaskImpl<unknown, unknown>)
    }
    return true
  }

  /** `task.cancelling()` */
  cancelling(): number {
    return this.numCancelsRequested
  }

  /** `task.uncancel()`: one request less; the last one withdrawn clears `_must_cancel`. */
  uncancel(): number {
    if (this.numCancelsRequested > 0) {
      this.numCancelsRequested -= 1
      if (this.numCancelsRequested === 0) this.mustCancel = false
    }
    return this.numCancelsRequested
  }

  /** See `deliverPending`. */
  deliverPendingCancel(): void {
    const fiber = this.fiber
    if (this.state !== "pending" || !this.mustCancel || this.resumeFiber !== undefined) return
    if (fiber === undefined || fiberIsRunning(fiber) || fiber.pollUnsafe() !== undefined) return
    this.mustCancel = false
    deliverCancellation(fiber, this.makeCancelledError())
  }

  /**
   * The blocking branch of `Task.__step` (`yield future` from the coroutine): the task's wakeup
   * becomes a done callback of `future`, which is now `_fut_waiter`; a pending `_must_cancel`
   * cancels it at once.
   */
  block<X, Y>(future: FutureImpl<X, Y>): Effect.Effect<X, Y | CancelledError> {
    return Effect.callback<X, Y | CancelledError>((resume) => {
      this.resumeFiber = resume as Resume
      if ((future as FutureImpl<unknown, unknown>) === (this as FutureImpl<unknown, unknown>)) {
        // asyncio: call_soon(__step, RuntimeError('Task cannot await on itself: ...'))
        const error = new RuntimeError({ message: `Task cannot await on itself: ${this.toString()}` })
        this.loop.callSoonFn(() => this.resumeWith(Effect.die(error)), undefined)
        return
      }
      const waiter = future as FutureImpl<unknown, unknown>
      if (waiter.loop !== this.loop) {
        // asyncio: call_soon(__step, RuntimeError('Task ... got Future ... attached to a different loop'))
        const error = differentLoop(this as TaskImpl<unknown, unknown>, waiter)
        this.loop.callSoonFn(() => this.resumeWith(Effect.die(error)), undefined)
        return
      }
      addToAwaitedBy(waiter, this as TaskImpl<unknown, unknown>)
      waiter.addWaker(this)
      this.futWaiter = waiter
      const fiber = this.fiber
      if (this.mustCancel && fiber !== undefined && fiberIsInterruptible(fiber)) {
        if (waiter.cancelNow(this.cancelMessage)) {
          this.mustCancel = false
          this.cancelSentToWaiter = true
        }
      }
      // no finalizer: the loop delivers every cancellation through the wakeup, after which there
      // is nothing to undo; an interruption from outside the loop is undone by `complete`
    })
  }

  /** `sleep(0)` in the task's own fiber (see `ownTurn`). */
  waitTurn(resume: Resume): void {
    this.resumeFiber = resume
    this.loop.callSoonFn(stepTask, this as TaskImpl<unknown, unknown>)
  }

  /** asyncio's `__wakeup(future)`: run from the ready queue once `_fut_waiter` is done. */
  wake(): void {
    const future = this.futWaiter
    if (future !== undefined) this.step(future)
  }

  /** The fiber ended while blocked (interrupted from outside the loop): nothing waits any more. */
  private unblock(): void {
    const waiter = this.futWaiter
    this.futWaiter = undefined
    this.resumeFiber = undefined
    if (waiter === undefined) return
    waiter.removeDoneCallback(this)
    discardFromAwaitedBy(waiter, this as TaskImpl<unknown, unknown>)
    waiter.abandon()
  }

  /**
   * `coro.close()` of a task left pending on a closed loop (asyncio's garbage collector closes
   * it: `GeneratorExit` is thrown in where it waits, so its `finally` blocks run). A fiber still
   * waiting for its wakeup (it was interrupted inside a finalizer, which is uninterruptible) is
   * resumed with an interruption: the rest of that finalizer is skipped, the enclosing ones run.
   */
  closeCoroutine(): void {
    if (this.state !== "pending" || this.resumeFiber === undefined) return
    const waiter = this.futWaiter
    this.futWaiter = undefined
    if (waiter !== undefined) {
      waiter.removeDoneCallback(this)
      discardFromAwaitedBy(waiter, this as TaskImpl<unknown, unknown>)
    }
    this.resumeWith(Effect.failCause(Cause.interrupt()))
  }

  private resumeWith(effect: Effect.Effect<unknown, unknown>): void {
    const resume = this.resumeFiber
    this.resumeFiber = undefined
    resume?.(effect)
  }

  /**
   * asyncio's `Task.__step(exc)`, and `__wakeup(future)` when `future` is given: `exc` is what
   * `future.result()` raises; a pending `_must_cancel` turns it into a CancelledError; then the
   * coroutine is resumed with the outcome, or the CancelledError is thrown in (the fiber is
   * interrupted here, in this step) when this task's own cancellation brought it.
   */
  step(future: FutureImpl<unknown, unknown> | undefined): void {
    if (this.state !== "pending") return
    let outcome: Exit.Exit<unknown, unknown> | undefined
    let cancelled: CancelledError | undefined
    if (future !== undefined) {
      discardFromAwaitedBy(future, this as TaskImpl<unknown, unknown>)
      outcome = future.outcome()
      cancelled = cancelledErrorIn(outcome)
    }
    const fiber = this.fiber
    let own = this.cancelSentToWaiter
    this.cancelSentToWaiter = false
    // a fiber in an uninterruptible region keeps the request for later
    if (this.mustCancel && (fiber === undefined || fiberIsInterruptible(fiber))) {
      cancelled ??= this.makeCancelledError()
      this.mustCancel = false
      own = true
    }
    this.futWaiter = undefined
    if (fiber === undefined) {
      // the first step: a CancelledError thrown into a coroutine that never ran ends it there
      if (own && cancelled !== undefined) this.endCancelled(cancelled)
      else this.start()
      return
    }
    if (own && cancelled !== undefined) {
      this.resumeFiber = undefined
      deliverCancellation(fiber, cancelled)
      return
    }
    this.resumeWith(outcome ?? Exit.void)
  }

  /** The first step: the fiber is made and runs until it blocks or ends. */
  private start(): void {
    const context = this.context as Context.Context<never>
    this.context = undefined
    const fiber = Effect.runForkWith(context)(runOwnBody) as Fiber.Fiber<A, E>
    // a task done within its first step keeps no fiber either
    if (this.state === "pending") this.fiber ??= fiber
  }

  /** `__step_run_and_handle_result` once the coroutine is over (see `completeOwnTask`). */
  complete(exit: Exit.Exit<A, E>): void {
    if (this.state !== "pending") return
    this.unblock()
    // what the fiber ran is over (the rest of its exit is Effect's): a done task holds no fiber
    this.fiber = undefined
    if (Exit.isSuccess(exit)) {
      if (this.mustCancel) {
        // asyncio: "Task is cancelled right before coro stops"
        this.mustCancel = false
        this.endCancelledWith(this.cancelMessage)
      } else {
        this.finish(exit)
        this.loop.tasks.delete(this as TaskImpl<unknown, unknown>)
      }
    } else if (isCancellation(exit.cause)) {
      // asyncio: `except CancelledError as exc: self._cancelled_exc = exc; super().cancel()`
      const thrown = cancellationOf(exit.cause) as CancelledError | undefined
      this.endCancelled(
        thrown ?? ownCancelledError(exit.cause) ?? cancelledErrorUnsafe(this.cancelMessageText())
      )
    } else {
      const cause = withoutInterrupts(exit.cause)
      this.finish(Exit.failCause(cause))
      this.loop.tasks.delete(this as TaskImpl<unknown, unknown>)
      // asyncio: `except (KeyboardInterrupt, SystemExit) as exc: super().set_exception(exc); raise`
      const base = cause.reasons.find(isKeyboardInterrupt)
      if (base !== undefined)
        this.loop.raiseBaseException(Cause.isFailReason(base) ? base.error : (base as Cause.Die).defect)
    }
  }

  /** The coroutine raised `error` (a CancelledError): `_cancelled_exc = exc; Future.cancel()`. */
  private endCancelled(error: CancelledError): void {
    this.cancelledExc = error
    this.endCancelledWith(undefined)
  }

  private endCancelledWith(message: unknown): void {
    this.context = undefined
    this.cancelSelf(message)
    this.loop.tasks.delete(this as TaskImpl<unknown, unknown>)
  }

  private cancelMessageText(): string {
    return messageOf(this.cancelMessage)
  }

  /**
   * asyncio's repr (`base_tasks._task_repr_info`), without the coroutine (an effect has no
   * name): `<Task pending name='Task-1' wait_for=<Future pending cb=[Task.task_wakeup()]>>`,
   * `<Task cancelling name='Task-1'>` (a cancellation was requested), `<Task finished
   * name='Task-2' result=3>`.
   */
  override toString(): string {
    const info = this.reprInfo()
    if (this.state === "pending" && this.numCancelsRequested > 0) info[0] = "cancelling"
    info.splice(1, 0, `name=${pyRepr(this.getName())}`)
    const waiter = this.futWaiter
    if (waiter !== undefined) info.splice(2, 0, `wait_for=${waiter.toString()}`)
    return `<Task ${info.join(" ")}>`
  }

  /** Awaiting a task: `task 'Task-2'`. */
  override waitDescription(): string {
    return `task ${pyRepr(this.getName())}`
  }

  /** `Task.set_result` as an effect: a task's result is its coroutine's (`RuntimeError`). */
  override setResult(_result: A): Effect.Effect<void, never> {
    return Effect.die(new RuntimeError({ message: "Task does not support set_result operation" }))
  }

  /** `Task.set_exception` as an effect: a task's exception is its coroutine's (`RuntimeError`). */
  override setException(_error: E): Effect.Effect<void, never> {
    return Effect.die(new RuntimeError({ message: "Task does not support set_exception operation" }))
  }
}

// asyncio's class name in reprs and messages (`type(x).__name__`)
Object.defineProperty(TaskImpl, "name", { value: "Task" })
