/**
 * Promises in and out of the loop.
 *
 * - In: a Promise (any thenable) becomes a future of the loop that its settlement completes at a
 *   turn of the loop, as asyncio's `wrap_future` chains a `concurrent.futures.Future` to a loop
 *   future (`_chain_future`: the state is copied by `call_soon_threadsafe`). A Promise cannot be
 *   cancelled: cancelling its future only stops waiting for it, unless it was made by
 *   `fromPromise` with an `AbortSignal`, which the cancellation aborts (at the next turn, as
 *   `_call_check_cancel` cancels the source).
 * - Out: `loop.submit(effect)`'s handle, asyncio's `run_coroutine_threadsafe` with the
 *   concurrent future replaced by a Promise (a future's own Promise is `FutureImpl.toPromise`).
 */
import { Cause, Context, Effect, Exit } from "effect"
import { CancelledError, TypeError } from "../exceptions.js"
import { awaitFuture, CurrentTask, FutureImpl, type FutureLoop } from "./future.js"
import { cancelledErrorUnsafe } from "./outcome.js"
import type { TaskImpl } from "./task.js"
import { describe, isThenable } from "./validate.js"

/** What `await` unwraps (its home is validate.ts, which every check shares). */
export { isThenable }

/** How a rejection reason becomes the typed error of the future (`fromPromise`'s `catch`). */
export type Catch<E> = (reason: unknown) => E

/** A rejection without a `catch`: Effect's `UnknownError`, the reason as its cause (as `Effect.tryPromise`). */
export const unknownRejection: Catch<Cause.UnknownError> = (reason) =>
  new Cause.UnknownError(reason, "A Promise rejected")

/** What a settlement copies into the future: an exit, or a cancellation (a `CancelledError` rejection). */
type Settlement<A, E> = Exit.Exit<A, E> | CancelledError

/**
 * A rejection as the future's outcome: a `CancelledError` (a cancelled task's `toPromise()`)
 * cancels it, as `_copy_future_state` copies a cancelled source; anything else fails it with
 * `catch(reason)`, and a `catch` that throws makes a defect (as `Effect.tryPromise`).
 */
const rejected = <E>(reason: unknown, catcher: Catch<E>): Settlement<never, E> => {
  if (reason instanceof CancelledError) return reason
  try {
    return Exit.fail(catcher(reason))
  } catch (defect) {
    return Exit.die(defect)
  }
}

/** asyncio's `_copy_future_state(source, dest)`, from the ready queue: a cancelled future stays so. */
const copySettlement = (future: PromiseFuture<unknown, unknown>): void => {
  const settled = future.settlement
  future.settlement = undefined
  if (settled === undefined || future.done()) return
  if (settled instanceof CancelledError)
    future.cancelNow(settled.message === "" ? undefined : settled.message)
  else future.finish(settled)
}

/**
 * `_call_check_cancel`: the future was cancelled, so the operation behind the Promise is asked to
 * stop (its `AbortSignal` aborts, with the `CancelledError` as its reason). Named as CPython's,
 * which reprs of the future show.
 */
const _call_check_cancel = (future: PromiseFuture<unknown, unknown>): void => {
  if (future.cancelled()) future.controller?.abort(future.makeCancelledError())
}

/** The future of a Promise: completed from its settlement, at a turn of the loop. */
export class PromiseFuture<A, E> extends FutureImpl<A, E> {
  /** the settlement, kept until the loop's turn copies it */
  settlement: Settlement<A, E> | undefined = undefined

  constructor(
    loop: FutureLoop,
    /** `fromPromise`'s controller: the future is the operation's only handle, nobody else sees it */
    readonly controller: AbortController | undefined
  ) {
    super(loop)
  }

  /** Waiting for it was given up (its task's fiber was interrupted outside the loop): abort. */
  override abandon(): void {
    if (this.controller !== undefined) this.cancelNow()
  }

  override waitDescription(): string {
    return "a Promise"
  }
}

/**
 * `wrap_future(promise)`: a future of `loop` that `promise`'s settlement completes at the next
 * turn of the loop (a settlement after the loop closed is dropped, as asyncio's
 * `call_soon_threadsafe` on a closed loop raises). With a controller, cancelling the future
 * aborts its signal.
 */
export const promiseFuture = <A, E>(
  loop: FutureLoop,
  promise: PromiseLike<A>,
  catcher: Catch<E>,
  controller?: AbortController
): PromiseFuture<A, E> => {
  const future = new PromiseFuture<A, E>(loop, controller)
  if (controller !== undefined) future.addDoneCallback(_call_check_cancel)
  // until the Promise settles, the loop lets the host run after each iteration
  let outside = true
  loop.externalWaits += 1
  const settle = (settlement: Settlement<A, E>): void => {
    if (outside) {
      outside = false
      loop.externalWaits -= 1
    }
    if (loop.isClosed() || future.settlement !== undefined) return
    future.settlement = settlement
    loop.callSoonFn(copySettlement, future as PromiseFuture<unknown, unknown>)
  }
  try {
    promise.then(
      (value) => settle(Exit.succeed(value)),
      (reason: unknown) => settle(rejected(reason, catcher))
    )
  } catch (error) {
    // a thenable whose `then` throws: a rejection, as `await` would see it
    settle(rejected(error, catcher))
  }
  return future
}

/** The defect for a `fromPromise` argument that is not a function returning a thenable. */
const notAPromise = (what: string, value: unknown): TypeError =>
  new TypeError({ message: `fromPromise() ${what}, got ${describe(value)}` })

/**
 * `fromPromise(evaluate, catch)`: calls `evaluate(signal)` when the effect runs and waits for
 * its Promise. In a task, the Promise is a future of the loop (its wakeup is a turn of the loop)
 * and cancelling the task aborts `signal` at the next turn; elsewhere it is awaited as
 * `Effect.tryPromise` does, and an interruption aborts `signal`.
 */
export const fromPromiseUnknown = <A, E>(
  evaluate: (signal: AbortSignal) => PromiseLike<A>,
  catcher: Catch<E>
): Effect.Effect<A, E | CancelledError> =>
  Effect.withFiber((fiber) => {
    const controller = new AbortController()
    let promise: PromiseLike<A>
    try {
      promise = evaluate(controller.signal)
    } catch (error) {
      // a synchronous throw is the rejection of the call
      const settlement = rejected(error, catcher)
      return settlement instanceof CancelledError ? Effect.fail(settlement) : settlement
    }
    if (!isThenable(promise))
      return Effect.die(notAPromise("expects a function that returns a Promise", promise))
    const task = fiber.getRef(CurrentTask)
    if (task === undefined || task.loop.isClosed()) return awaitOutsideLoop(promise, catcher, controller)
    return awaitFuture(promiseFuture(task.loop, promise, catcher, controller))
  })

/** Awaits a Promise in a fiber that belongs to no loop: an interruption aborts the signal. */
const awaitOutsideLoop = <A, E>(
  promise: PromiseLike<A>,
  catcher: Catch<E>,
  controller: AbortController | undefined
): Effect.Effect<A, E | CancelledError> =>
  Effect.callback<A, E | CancelledError>((resume) => {
    const settle = (settlement: Settlement<A, E>) =>
      resume(settlement instanceof CancelledError ? Effect.fail(settlement) : settlement)
    try {
      promise.then(
        (value) => settle(Exit.succeed(value)),
        (reason: unknown) => settle(rejected(reason, catcher))
      )
    } catch (error) {
      settle(rejected(error, catcher))
    }
    if (controller === undefined) return
    return Effect.sync(() => controller.abort(cancelledErrorUnsafe("")))
  })

/**
 * A Promise awaited as an effect (`createTask(promise)`, `TaskGroup.createTask(promise)`): its
 * future in a task, `Effect.tryPromise` elsewhere. A rejection fails with `UnknownError`.
 */
export const awaitPromise = <A>(
  promise: PromiseLike<A>
): Effect.Effect<A, Cause.UnknownError | CancelledError> =>
  Effect.withFiber((fiber) => {
    const task = fiber.getRef(CurrentTask)
    if (task === undefined || task.loop.isClosed())
      return awaitOutsideLoop(promise, unknownRejection, undefined)
    return awaitFuture(promiseFuture(task.loop, promise, unknownRejection))
  })

/** The reason a Promise rejects with for a failed outcome: the typed error, or the defect. */
const rejectionOf = (cause: Cause.Cause<unknown>): unknown => Cause.squash(cause)

/** What `loop.submit` needs of the loop (the loop core's part of `EventLoopImpl`). */
export interface SubmitLoop {
  callSoonFn<X>(fn: (arg: X) => void, arg: X): void
  spawn<A, E>(
    parent: Context.Context<never>,
    effect: Effect.Effect<A, E>,
    options: { readonly name?: string | undefined } | undefined
  ): TaskImpl<A, E>
  /** the submissions not done yet (cancelled if the loop closes first) */
  readonly pendingSubmissions: Set<SubmissionImpl<unknown, unknown>>
  hostTurnWanted: boolean
}

/** `concurrent.futures.Future`'s states, as far as a Promise keeps them. */
type SubmissionState = "pending" | "cancelled" | "finished"

/** `source_loop.call_soon_threadsafe(source.cancel)`, from the ready queue. */
const cancelTask = (submission: SubmissionImpl<unknown, unknown>): void => {
  submission.task?.cancelNow(submission.cancelMessage)
}

/** The creation callback `run_coroutine_threadsafe` queues with `call_soon_threadsafe`. */
const startSubmission = (submission: SubmissionImpl<unknown, unknown>): void => submission.start()

/**
 * `loop.submit(effect)`: asyncio's `run_coroutine_threadsafe(coro, loop)`. The task is created by
 * a callback of the loop's ready queue (`call_soon_threadsafe(callback)`), its outcome copied into
 * the Promise by a done callback, and `cancel()` cancels the task from the ready queue.
 *
 * The Promise is made when it is first asked for (`then`, `promise`), so a submission nobody
 * awaits never makes an unhandled rejection; its task's failure is then reported as any task's
 * ("Task exception was never retrieved"), where CPython's concurrent future keeps it silently.
 */
export class SubmissionImpl<A, E> implements PromiseLike<A> {
  state: SubmissionState = "pending"
  task: TaskImpl<A, E> | undefined = undefined
  /** the message `cancel(msg)` passes on to the task */
  cancelMessage: unknown = undefined
  private outcome: Exit.Exit<A, unknown> | undefined = undefined
  private created: Promise<A> | undefined = undefined
  private resolve: ((value: A) => void) | undefined = undefined
  private reject: ((reason: unknown) => void) | undefined = undefined
  /** someone asked for the outcome: the task's exception counts as retrieved */
  private observed = false

  constructor(
    private readonly loop: SubmitLoop,
    private effect: Effect.Effect<A, E> | undefined,
    private readonly name: string | undefined
  ) {}

  /** Queues the task's creation. */
  schedule(): void {
    this.loop.pendingSubmissions.add(this as SubmissionImpl<unknown, unknown>)
    this.loop.callSoonFn(startSubmission, this as SubmissionImpl<unknown, unknown>)
  }

  /** `run_coroutine_threadsafe`'s callback: `ensure_future(coro)`, then `_chain_future(task, future)`. */
  start(): void {
    const effect = this.effect
    this.effect = undefined
    if (effect === undefined) return
    const task = this.loop.spawn(
      Context.empty(),
      effect,
      this.name === undefined ? undefined : { name: this.name }
    )
    this.task = task
    // named as CPython's, which reprs of the task show
    const _call_set_state = () => this.taskDone()
    task.addDoneCallback(_call_set_state)
    // `_call_check_cancel` of a destination cancelled before the task existed
    if (this.state === "cancelled") this.loop.callSoonFn(cancelTask, this as SubmissionImpl<unknown, unknown>)
  }

  /** `_set_concurrent_future_state(concurrent, source)` */
  taskDone(): void {
    const task = this.task
    if (task === undefined || this.state !== "pending") return
    if (task.cancelled()) {
      this.settle("cancelled", Exit.fail(task.makeCancelledError()))
      return
    }
    const exit = task.exit as Exit.Exit<A, E>
    if (this.observed) task.markRetrieved()
    this.settle("finished", exit)
  }

  /**
   * `concurrent_future.cancel()`: false once finished, true if cancelled (already, or now); the
   * task is cancelled at a later turn.
   */
  cancelUnsafe(message?: unknown): boolean {
    if (this.state === "cancelled") return true
    if (this.state !== "pending") return false
    this.cancelMessage = message
    this.settle("cancelled", Exit.fail(cancelledErrorUnsafe(message === undefined ? "" : String(message))))
    if (this.task !== undefined) this.loop.callSoonFn(cancelTask, this as SubmissionImpl<unknown, unknown>)
    return true
  }

  /** `Submission.cancel(msg)` */
  cancel(message?: unknown): boolean {
    return this.cancelUnsafe(message)
  }

  /** The loop closed: the task will not be created, or will not run again. */
  abandon(): void {
    this.effect = undefined
    this.cancelUnsafe()
  }

  done(): boolean {
    return this.state !== "pending"
  }

  cancelled(): boolean {
    return this.state === "cancelled"
  }

  /** The Promise of the outcome, made on first use. */
  get promise(): Promise<A> {
    if (this.created === undefined) {
      this.created = new Promise<A>((resolve, reject) => {
        this.resolve = resolve
        this.reject = reject
      })
      this.observed = true
      const outcome = this.outcome
      if (outcome !== undefined) {
        if (this.state === "finished") this.task?.markRetrieved()
        this.deliver(outcome)
      }
    }
    return this.created
  }

  // biome-ignore lint/suspicious/noThenProperty: a Submission is a PromiseLike on purpose (`await loop.submit(effect)`)
  then<B = A, C = never>(
    onfulfilled?: ((value: A) => B | PromiseLike<B>) | null,
    onrejected?: ((reason: unknown) => C | PromiseLike<C>) | null
  ): Promise<B | C> {
    return this.promise.then(onfulfilled, onrejected)
  }

  private settle(state: SubmissionState, outcome: Exit.Exit<A, unknown>): void {
    this.loop.pendingSubmissions.delete(this as SubmissionImpl<unknown, unknown>)
    // its Promise's reactions run at the host's next turn, right after this iteration (CPython's
    // concurrent future runs its done callbacks inside `_call_set_state`)
    this.loop.hostTurnWanted = true
    this.state = state
    this.outcome = outcome
    if (this.created !== undefined) this.deliver(outcome)
  }

  private deliver(outcome: Exit.Exit<A, unknown>): void {
    if (Exit.isSuccess(outcome)) this.resolve?.(outcome.value)
    else this.reject?.(rejectionOf(outcome.cause))
  }

  toString(): string {
    const info: Array<string> = [this.state]
    if (this.task !== undefined) info.push(`task=${this.task.toString()}`)
    return `<Submission ${info.join(" ")}>`
  }
}
