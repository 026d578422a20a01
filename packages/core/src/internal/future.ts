/**
 * asyncio's `Future` (`futures.py`): the one waiting primitive of the library.
 *
 * A future is pending, then finished (a result, or the cause of a failure: typed errors and
 * defects) or cancelled. Its done callbacks are scheduled with the loop's `call_soon`, in the
 * order they were added, once each, never run inside the code that completed it. Awaiting it
 * (`yield* future`) from a task's own fiber is the blocking branch of `Task.__step` (the task
 * registers its wakeup, see internal/task.ts); from any other fiber, a done callback resumes it.
 */
import { Cause, Context, Effect, Effectable, Exit } from "effect"
import { NodeInspectSymbol } from "effect/Inspectable"
import type { EventLoopService } from "../events.js"
import { type CancelledError, InvalidStateError, RuntimeError } from "../exceptions.js"
import { creationSite, type ExceptionContextShape, formatCallback } from "./loop.js"
import { cancelledErrorUnsafe, pyRepr, showCause } from "./outcome.js"
import type { TaskImpl } from "./task.js"
import * as validate from "./validate.js"

/**
 * The task whose fiber is running: each task's fiber has it in its context, and so do the fibers
 * that fiber forks.
 */
export const CurrentTask = Context.Reference<TaskImpl<unknown, unknown> | undefined>(
  "@effect-asyncio/core/CurrentTask",
  { defaultValue: () => undefined }
)

/** What a future needs of its loop. */
export interface FutureLoop {
  callSoonFn<X>(fn: (arg: X) => void, arg: X): void
  callExceptionHandler(context: ExceptionContextShape): void
  /** asyncio's `__log_traceback = True`: `future` failed; report it if nobody retrieves it */
  logTraceback(future: FutureImpl<unknown, unknown>): void
  /** asyncio's `__log_traceback = False` after a failure: its exception was seen */
  tracebackRetrieved(future: FutureImpl<unknown, unknown>): void
  readonly debug: boolean
  /** `loop.is_closed()`: nothing of a closed loop runs any more */
  isClosed(): boolean
  /** what the loop waits for from outside (see internal/loop.ts): a Promise, a worker's call */
  externalWaits: number
  /** a Promise was settled: its reactions (Promise code) run before the loop's next iteration */
  hostTurnWanted: boolean
}

/** A bound method's type, compared as a method is (bivariantly), so `FutureImpl<A, never>` is still a `FutureImpl<unknown, unknown>`. */
type BoundMethod<Args extends ReadonlyArray<unknown>, R> = { method(...args: Args): R }["method"]

/** `futures._PENDING`, `_FINISHED`, `_CANCELLED` */
export type FutureState = "pending" | "finished" | "cancelled"

/** A done callback: called with the future once it is done (the ready queue runs `fn(future)`). */
type DoneCallback = (future: never) => unknown

/**
 * What waits on a future besides callbacks: a task blocked on it (`Task.__wakeup` registered as
 * a done callback), kept as the task itself so that blocking allocates nothing.
 */
export interface Waker {
  wake(): void
}

/** The ready-queue function that runs a blocked task's wakeup. */
const runWaker = (waker: Waker): void => waker.wake()

/**
 * asyncio's `Future`. Its state lives in plain fields named as CPython's (`_state`,
 * `_cancel_message`, `_cancelled_exc`, `_callbacks`, `__log_traceback`).
 */
export class FutureImpl<A, E = never> extends Effectable.Class<A, E | CancelledError> {
  state: FutureState = "pending"
  /** the result, or the cause of the failure, once finished */
  exit: Exit.Exit<A, E> | undefined = undefined
  /** asyncio's `_cancel_message` (any value, as in CPython) */
  cancelMessage: unknown = undefined
  /** asyncio's `_cancelled_exc`: the CancelledError a task's coroutine raised, handed out once */
  cancelledExc: CancelledError | undefined = undefined
  /**
   * Done callbacks (and blocked tasks), in the order they were added: the first in a field of
   * its own, the rest in an array made by the second (as CPython's C Future keeps
   * `fut_callback0`): most futures get one or none.
   */
  private callback0: DoneCallback | Waker | undefined = undefined
  private callbacks: Array<DoneCallback | Waker> | undefined = undefined
  /**
   * asyncio 3.14's `_asyncio_awaited_by`: the futures (tasks) waiting on this one; one of them
   * as itself, several as a set.
   */
  awaitedBy: FutureImpl<unknown, unknown> | Set<FutureImpl<unknown, unknown>> | undefined = undefined

  /** In debug mode, where the future was made (asyncio's `_source_traceback`). */
  createdAt: string | undefined

  constructor(readonly loop: FutureLoop) {
    super()
    this.createdAt = loop.debug ? creationSite() : undefined
  }

  /** `yield* future`: waits for it (no suspension if it is done), then its result or error. */
  asEffect(): Effect.Effect<A, E | CancelledError> {
    // `yield*` evaluates this when it runs: a done future gives its outcome at once
    return this.state === "pending" ? awaitFuture(this) : this.outcome()
  }

  /** `future.get_loop()` (every loop is an `EventLoopService`, see events.ts `publicLoop`) */
  getLoop(): EventLoopService {
    return this.loop as unknown as EventLoopService
  }

  /** `future.done()` */
  done(): boolean {
    return this.state !== "pending"
  }

  /** `future.cancelled()` */
  cancelled(): boolean {
    return this.state === "cancelled"
  }

  /** asyncio's `_make_cancelled_error`: `_cancelled_exc` once, then one with `_cancel_message`. */
  makeCancelledError(): CancelledError {
    const saved = this.cancelledExc
    if (saved !== undefined) {
      this.cancelledExc = undefined
      return saved
    }
    return cancelledErrorUnsafe(validate.messageOf(this.cancelMessage))
  }

  /**
   * What `future.result()` gives, as an exit: the result, the failure, or `CancelledError` (made
   * by `_make_cancelled_error`). The future must be done; reading marks the failure retrieved.
   */
  outcome(): Exit.Exit<A, E | CancelledError> {
    if (this.state === "cancelled") return Exit.fail(this.makeCancelledError())
    this.markRetrieved()
    return this.exit as Exit.Exit<A, E>
  }

  /** `future.result()` */
  result(): Effect.Effect<A, E | CancelledError | InvalidStateError> {
    return Effect.suspend(
      (): Effect.Effect<A, E | CancelledError | InvalidStateError> =>
        this.state === "pending"
          ? Effect.fail(new InvalidStateError({ message: "Result is not set." }))
          : this.outcome()
    )
  }

  /**
   * `future.exception()`: the typed error, `undefined` after a result; `CancelledError` if
   * cancelled, `InvalidStateError` while pending. A failure holding only defects re-raises them
   * (defects stay defects).
   */
  exception(): Effect.Effect<E | undefined, CancelledError | InvalidStateError> {
    return Effect.suspend((): Effect.Effect<E | undefined, CancelledError | InvalidStateError> => {
      if (this.state === "pending")
        return Effect.fail(new InvalidStateError({ message: "Exception is not set." }))
      if (this.state === "cancelled") return Effect.fail(this.makeCancelledError())
      this.markRetrieved()
      const exit = this.exit as Exit.Exit<A, E>
      if (Exit.isSuccess(exit)) return Effect.succeed(undefined)
      const failure = exit.cause.reasons.find(Cause.isFailReason)
      if (failure !== undefined) return Effect.succeed(failure.error)
      return Effect.failCause(exit.cause as Cause.Cause<never>)
    })
  }

  /** `future.cancel(msg)` */
  cancel(message?: unknown): Effect.Effect<boolean> {
    return Effect.sync(() => this.cancelNow(message))
  }

  /**
   * The public `cancelUnsafe`, `setResultUnsafe` and `setExceptionUnsafe` are bound methods, as
   * Python's: `loop.callSoon(future.setResultUnsafe, 42)` works. Each read gives a new function
   * (only user code reads them: the library calls `cancelNow`, `resolveNow`, `rejectNow`), so a
   * future carries no closure until somebody asks.
   */
  get cancelUnsafe(): BoundMethod<[message?: unknown], boolean> {
    return (message?: unknown) => this.cancelNow(message)
  }

  get setResultUnsafe(): BoundMethod<[result: A], void> {
    return (result: A) => this.resolveNow(result)
  }

  get setExceptionUnsafe(): BoundMethod<[error: E], void> {
    return (error: E) => this.rejectNow(error)
  }

  /** `future.cancel(msg)`, synchronously: false if it was done already. */
  cancelNow(message?: unknown): boolean {
    this.markRetrieved()
    if (this.state !== "pending") return false
    this.state = "cancelled"
    this.cancelMessage = message
    this.scheduleCallbacks()
    return true
  }

  /** `future.set_result(result)` */
  setResult(result: A): Effect.Effect<void, InvalidStateError> {
    return Effect.suspend(() => this.settle(Exit.succeed(result)))
  }

  /** `future.set_result(result)`, synchronously; throws `InvalidStateError` if it is done. */
  resolveNow(result: A): void {
    this.finish(Exit.succeed(result))
  }

  /** `future.set_exception(error)` with a typed error. */
  setException(error: E): Effect.Effect<void, InvalidStateError> {
    return Effect.suspend(() => this.settle(Exit.fail(error)))
  }

  /** `future.set_exception(error)`, synchronously; throws `InvalidStateError` if it is done. */
  rejectNow(error: E): void {
    this.finish(Exit.fail(error))
  }

  private settle(exit: Exit.Exit<A, E>): Effect.Effect<void, InvalidStateError> {
    if (this.state !== "pending") return Effect.fail(this.invalidState())
    this.finish(exit)
    return Effect.void
  }

  /** `set_result` / `set_exception` with the exit itself (a failure may hold defects). */
  finish(exit: Exit.Exit<A, E>): void {
    if (this.state !== "pending") throw this.invalidState()
    this.exit = exit
    this.state = "finished"
    this.scheduleCallbacks()
    // asyncio's `__log_traceback = True`: reported if nobody retrieves it
    if (exit._tag === "Failure") this.loop.logTraceback(this as FutureImpl<unknown, unknown>)
  }

  /** The future is cancelled (`Future.cancel` itself, which a Task's `cancel()` overrides). */
  protected cancelSelf(message: unknown): void {
    this.state = "cancelled"
    this.cancelMessage = message
    this.scheduleCallbacks()
  }

  /** CPython 3.13's C Future: `InvalidStateError('invalid state')`. */
  private invalidState(): InvalidStateError {
    return new InvalidStateError({ message: "invalid state" })
  }

  /** asyncio's `__log_traceback = False`: the exception was seen. */
  markRetrieved(): void {
    if (this.state === "finished" && this.exit?._tag === "Failure") {
      this.loop.tracebackRetrieved(this as FutureImpl<unknown, unknown>)
    }
  }

  /**
   * `future.add_done_callback(fn)`: `fn(future)` runs once the future is done, at a later turn,
   * after the callbacks added before it; added to a done future, it is scheduled at once.
   */
  addDoneCallback(fn: (future: this) => unknown): void {
    // CPython calls whatever it is given (and reports the TypeError then); a non-function is
    // refused here at once, so the bug shows where it is
    validate.callback(fn, "addDoneCallback")
    if (this.state !== "pending") this.loop.callSoonFn(fn as (future: this) => void, this)
    else this.register(fn as DoneCallback)
  }

  /** `Task.__wakeup` of a task that blocks on this future, in turn with the done callbacks. */
  addWaker(waker: Waker): void {
    if (this.state !== "pending") this.loop.callSoonFn(runWaker, waker)
    else this.register(waker)
  }

  private register(callback: DoneCallback | Waker): void {
    if (this.callback0 === undefined && this.callbacks === undefined) this.callback0 = callback
    else if (this.callbacks === undefined) this.callbacks = [callback]
    else this.callbacks.push(callback)
  }

  /** `future.remove_done_callback(fn)`: removes every registration of `fn`, returns how many. */
  removeDoneCallback(fn: ((future: this) => unknown) | Waker): number {
    let removed = 0
    if (this.callback0 !== undefined && this.callback0 === fn) {
      this.callback0 = undefined
      removed += 1
    }
    const callbacks = this.callbacks
    if (callbacks === undefined) return removed
    let kept = 0
    for (let i = 0; i < callbacks.length; i++) {
      const callback = callbacks[i] as DoneCallback | Waker
      if (callback !== fn) callbacks[kept++] = callback
    }
    removed += callbacks.length - kept
    callbacks.length = kept
    return removed
  }

  /** asyncio's `__schedule_callbacks`: each callback joins the ready queue, in order. */
  private scheduleCallbacks(): void {
    const first = this.callback0
    const rest = this.callbacks
    this.callback0 = undefined
    this.callbacks = undefined
    if (first !== undefined) this.scheduleCallback(first)
    if (rest !== undefined) for (const callback of rest) this.scheduleCallback(callback)
  }

  private scheduleCallback(callback: DoneCallback | Waker): void {
    if (typeof callback === "function") this.loop.callSoonFn(callback as (future: this) => void, this)
    else this.loop.callSoonFn(runWaker, callback)
  }

  /**
   * The task blocked on this future is gone without its wakeup (its fiber was interrupted from
   * outside the loop). A future nobody else can see (a sleep's) is cancelled; others stay.
   */
  abandon(): void {}

  /**
   * What a task blocked on this future waits on, for the deadlock report (and call graphs):
   * `Event.wait()`, `gather(2 of 3 pending)`... A plain future says what it is.
   */
  waitDescription(): string {
    return this.createdAt === undefined ? "a Future" : `a Future created at ${this.createdAt}`
  }

  /** The callbacks still registered (for reprs and call graphs). */
  callbackCount(): number {
    return (this.callback0 === undefined ? 0 : 1) + (this.callbacks?.length ?? 0)
  }

  /**
   * A Promise of the outcome: resolves with the result, rejects with the error (a typed error, a
   * defect, or `CancelledError`) once the future is done; a done callback settles it, so it settles
   * at a turn of the loop. A future still pending on a closed loop never completes: its Promise
   * rejects with `RuntimeError` at once.
   */
  toPromise(): Promise<A> {
    return new Promise<A>((resolve, reject) => {
      // named as the callback asyncio's `wrap_future` chains with, which reprs of the future show
      const _call_set_state = (done: FutureImpl<A, E>) => {
        // the Promise's reactions run at the host's next turn: the loop gives it one now
        done.loop.hostTurnWanted = true
        const exit = done.outcome()
        if (Exit.isSuccess(exit)) resolve(exit.value)
        else reject(Cause.squash(exit.cause))
      }
      if (this.state !== "pending") _call_set_state(this)
      else if (this.loop.isClosed()) reject(new RuntimeError({ message: "Event loop is closed" }))
      else this.addDoneCallback(_call_set_state)
    })
  }

  /** `<Future pending cb=[f()]>`, `<Future finished result=1>`, `<Future cancelled>` */
  override toString(): string {
    return `<Future ${this.reprInfo().join(" ")}>`
  }

  /** Node's `util.inspect` (`console.log(future)`) shows the repr, as `String(future)` does. */
  override [NodeInspectSymbol](): string {
    return this.toString()
  }

  /** asyncio's `_future_repr_info`: the state, the result or exception, the callbacks, the site. */
  protected reprInfo(): Array<string> {
    const info: Array<string> = [this.state]
    const exit = this.exit
    if (this.state === "finished" && exit !== undefined) {
      info.push(Exit.isSuccess(exit) ? `result=${pyRepr(exit.value)}` : `exception=${showCause(exit.cause)}`)
    }
    const callbacks = this.callbackList()
    if (callbacks.length > 0) info.push(formatCallbacks(callbacks, this.loop.debug))
    if (this.createdAt !== undefined) info.push(`created at ${this.createdAt}`)
    return info
  }

  private callbackList(): ReadonlyArray<DoneCallback | Waker> {
    const first = this.callback0
    const rest = this.callbacks ?? []
    return first === undefined ? rest : [first, ...rest]
  }
}

/** asyncio's `_format_callbacks`: `cb=[f()]`, `cb=[f(), g()]`, `cb=[f(), <2 more>, h()]`. */
const formatCallbacks = (callbacks: ReadonlyArray<DoneCallback | Waker>, debug: boolean): string => {
  // a blocked task's wakeup shows as CPython's C Task shows it
  const show = (callback: DoneCallback | Waker) =>
    typeof callback === "function" ? formatCallback(callback, [], debug) : "Task.task_wakeup()"
  const size = callbacks.length
  const first = callbacks[0] as DoneCallback | Waker
  const last = callbacks[size - 1] as DoneCallback | Waker
  if (size === 1) return `cb=[${show(first)}]`
  if (size === 2) return `cb=[${show(first)}, ${show(last)}]`
  return `cb=[${show(first)}, <${size - 2} more>, ${show(last)}]`
}

const ids = new WeakMap<FutureImpl<unknown, unknown>, number>()
let nextId = 0

/**
 * The number that identifies a future for as long as it lives (`futureId`, the `id=` of call
 * graphs, the task id of the monitor and of task spans): given on first use, never reused.
 */
export const idOf = (future: FutureImpl<unknown, unknown>): number => {
  let id = ids.get(future)
  if (id === undefined) {
    nextId += 1
    id = nextId
    ids.set(future, id)
  }
  return id
}

/** asyncio 3.14's `future_add_to_awaited_by(fut, waiter)` */
export const addToAwaitedBy = (
  future: FutureImpl<unknown, unknown>,
  waiter: FutureImpl<unknown, unknown>
): void => {
  const awaitedBy = future.awaitedBy
  if (awaitedBy === undefined) future.awaitedBy = waiter
  else if (awaitedBy instanceof Set) awaitedBy.add(waiter)
  else if (awaitedBy !== waiter) future.awaitedBy = new Set([awaitedBy, waiter])
}

/** asyncio 3.14's `future_discard_from_awaited_by(fut, waiter)` */
export const discardFromAwaitedBy = (
  future: FutureImpl<unknown, unknown>,
  waiter: FutureImpl<unknown, unknown>
): void => {
  const awaitedBy = future.awaitedBy
  if (awaitedBy === waiter) {
    future.awaitedBy = undefined
  } else if (awaitedBy instanceof Set) {
    awaitedBy.delete(waiter)
    if (awaitedBy.size === 0) future.awaitedBy = undefined
  }
}

/** The futures (tasks) waiting on `future` (asyncio 3.14's `_asyncio_awaited_by`). */
export const awaitedByOf = (
  future: FutureImpl<unknown, unknown>
): ReadonlyArray<FutureImpl<unknown, unknown>> => {
  const awaitedBy = future.awaitedBy
  return awaitedBy === undefined ? [] : awaitedBy instanceof Set ? [...awaitedBy] : [awaitedBy]
}

/**
 * `await future`. A done future gives its outcome without suspending (`Future.__await__`). A
 * task's own fiber blocks as `Task.__step` does; any other fiber resumes from a done callback.
 */
export const awaitFuture = <A, E>(future: FutureImpl<A, E>): Effect.Effect<A, E | CancelledError> =>
  Effect.withFiber((fiber) => {
    if (future.state !== "pending") return future.outcome()
    const task = fiber.getRef(CurrentTask)
    if (task === undefined) return waitDone(future)
    if (task.isOwnFiber(fiber)) return task.block(future)
    // another fiber of a task (forked by Effect code) awaits as the task would: not a future of
    // another loop (the task's own steps refuse it in `block`, as CPython's `__step`)
    if (future.loop !== task.loop) return Effect.die(differentLoop(task, future))
    return waitDone(future)
  })

/** asyncio's `RuntimeError('Task ... got Future ... attached to a different loop')`. */
export const differentLoop = (
  task: FutureImpl<unknown, unknown>,
  future: FutureImpl<unknown, unknown>
): RuntimeError =>
  new RuntimeError({
    message: `Task ${validate.safeString(task)} got Future ${validate.safeString(future)} attached to a different loop`
  })

/**
 * Waits for `future` from a fiber that is not a task's own (a fiber forked by Effect code, or
 * one outside any task): its wakeup is a done callback. Interrupting that fiber cancels the
 * future, as cancelling a task cancels the future it awaits: awaiting passes cancellation down.
 */
const waitDone = <A, E>(future: FutureImpl<A, E>): Effect.Effect<A, E | CancelledError> =>
  Effect.callback<A, E | CancelledError>((resume) => {
    const wake = (done: FutureImpl<A, E>) => resume(done.outcome())
    future.addDoneCallback(wake)
    return Effect.sync(() => {
      future.removeDoneCallback(wake)
      future.cancelNow()
    })
  })

/** `futures._set_result_unless_cancelled(fut, result)` */
export const setResultUnlessCancelled = <A>(future: FutureImpl<A, never>, result: A): void => {
  if (future.cancelled()) return
  future.resolveNow(result)
}

// asyncio's class name in reprs and messages (`type(x).__name__`)
Object.defineProperty(FutureImpl, "name", { value: "Future" })

/**
 * A future of the library's own combinators (a TaskGroup's wait for its children, a shield, a
 * `wait()`), which says what the task blocked on it waits on.
 */
export class LabelledFuture<A, E = never> extends FutureImpl<A, E> {
  constructor(
    loop: FutureLoop,
    private readonly label: () => string
  ) {
    super(loop)
  }

  override waitDescription(): string {
    return this.label()
  }
}
