/**
 * `asyncio.timeout`, `asyncio.timeout_at`, `asyncio.Timeout` and `asyncio.wait_for`
 * (`timeouts.py`, and `tasks.py`'s `wait_for`, which 3.12+ builds on `timeout`).
 *
 * `async with asyncio.timeout(10):` becomes `asyncio.timeout(10, body)`: the body runs in the
 * task itself under the deadline, a timer of the loop. When it fires, the task is cancelled
 * (`task.cancel()`, as `_on_timeout` does); the block's exit sees the cancellation and, if the
 * task's `uncancel()` says it was the timeout's own, turns it into `TimeoutError` and lets the
 * task run on. A cancellation from outside passes through (the rule of `Timeout.__aexit__`).
 *
 * @since 0.1.0
 */
import { type Cause, Context, Effect, Exit, Fiber } from "effect"
import { NodeInspectSymbol } from "effect/Inspectable"
import { EventLoop, loopImpl } from "./events.js"
import { type CancelledError, RuntimeError, TimeoutError } from "./exceptions.js"
import { foreignFuture } from "./internal/awaiting.js"
import type { EventLoopImpl } from "./internal/eventLoop.js"
import { awaitFuture, CurrentTask, FutureImpl, LabelledFuture } from "./internal/future.js"
import type { HandleImpl } from "./internal/loop.js"
import { catchingCancellation, fiberIsInterruptible, withdrawCancellation } from "./internal/loop.js"
import { isCancellation, withoutInterrupts } from "./internal/outcome.js"
import { isThenable } from "./internal/promise.js"
import type { TaskImpl } from "./internal/task.js"
import type { Seconds } from "./internal/time.js"
import * as validate from "./internal/validate.js"
import { futureOf } from "./tasks.js"

/** `timeouts._State`, with asyncio's names as values (they show in `toString()`). */
type TimeoutState = "created" | "active" | "expiring" | "expired" | "finished"

/**
 * The body of a timeout block: an effect, or a function of the `Timeout` (`as cm:`).
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import * as asyncio from "@effect-asyncio/core"
 *
 * const body: asyncio.TimeoutBody<number | null, never, never> = (cm) => Effect.succeed(cm.when())
 * asyncio.run(asyncio.timeout(null, body)).then(console.log) // null
 * ```
 * @category Timeouts
 * @since 0.1.0
 */
export type TimeoutBody<A, E, R> = Effect.Effect<A, E, R> | ((timeout: Timeout) => Effect.Effect<A, E, R>)

const misuse = (message: string) => Effect.die(new RuntimeError({ message }))

/**
 * `asyncio.Timeout`: the deadline of a timeout block, which the block can read and move.
 * Use `timeout()` or `timeoutAt()` rather than constructing one; `new Timeout(when).run(body)`
 * is `async with Timeout(when):`. Misuse (entering twice, rescheduling outside the block)
 * dies with asyncio's `RuntimeError`: no correct program meets it.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import * as asyncio from "@effect-asyncio/core"
 *
 * const program = asyncio.timeout(1, (cm) =>
 *   Effect.gen(function* () {
 *     const loop = yield* asyncio.getRunningLoop
 *     yield* cm.reschedule(loop.time() + 3) // more time
 *     yield* asyncio.sleep(2)
 *     return cm.expired()
 *   })
 * )
 * asyncio.run(program).then(console.log) // false
 * ```
 * @category Timeouts
 * @since 0.1.0
 */
export class Timeout {
  private state: TimeoutState = "created"
  private deadline: number | null
  /** asyncio's `_timeout_handler` */
  private timeoutHandler: HandleImpl | undefined = undefined
  private task: TaskImpl<unknown, unknown> | undefined = undefined
  /** the task's `cancelling()` when the block was entered */
  private cancellingAtEntry = 0
  /** the fiber running the body of a timeout inside cleanup code (see `runInCleanup`) */
  private body: Fiber.Fiber<unknown, unknown> | undefined = undefined

  constructor(when: number | null | undefined) {
    this.deadline = validate.deadline(when, "Timeout() when")
  }

  /** `cm.when()`: the deadline in loop time (seconds), `null` when disabled. */
  when(): number | null {
    return this.deadline
  }

  /** `cm.expired()`: whether the deadline passed while the block ran. */
  expired(): boolean {
    return this.state === "expiring" || this.state === "expired"
  }

  /**
   * `cm.reschedule(when)`: moves the deadline (loop time in seconds; `null` disables it). A
   * deadline already past fires at the next turn of the loop (`call_soon`). Only inside the
   * block: before or after it, it fails with `RuntimeError` (a state error, typed as TaskGroup's).
   */
  reschedule(when: number | null | undefined): Effect.Effect<void, RuntimeError> {
    return Effect.suspend(() => {
      const deadline = validate.deadline(when, "Timeout.reschedule() when")
      if (this.state !== "active") {
        const message =
          this.state === "created"
            ? "Timeout has not been entered"
            : `Cannot change state of ${this.state} Timeout`
        return Effect.fail(new RuntimeError({ message }))
      }
      this.rescheduleUnsafe(deadline)
      return Effect.void
    })
  }

  /** asyncio's repr: `<Timeout [active] when=10.5>`, `<Timeout [expired]>`. */
  toString(): string {
    const when = this.deadline === null ? "None" : String(Math.round(this.deadline * 1000) / 1000)
    return this.state === "active" ? `<Timeout [active] when=${when}>` : `<Timeout [${this.state}]>`
  }

  /** Node's `util.inspect` (`console.log(cm)`) shows the repr, as `String(cm)` does. */
  [NodeInspectSymbol](): string {
    return this.toString()
  }

  /**
   * `async with cm:` — runs `body` under this deadline, in the calling task. Fails with
   * `TimeoutError` if the deadline cancelled the body; anything else the body does passes
   * through unchanged. Entering twice, or outside a task, dies with `RuntimeError`.
   */
  run<A, E, R>(body: TimeoutBody<A, E, R>): Effect.Effect<A, E | TimeoutError, R | EventLoop> {
    return this.enter(body, "Timeout.run()")
  }

  /** @internal `run(body)`, with the name of the public entry (`timeout()`...) for its errors */
  enter<A, E, R>(body: TimeoutBody<A, E, R>, fn: string): Effect.Effect<A, E | TimeoutError, R | EventLoop> {
    return Effect.withFiber((fiber) => {
      // the body is checked before the block is entered: a bad one holds nothing
      const effect = bodyEffect(body, this, fn)
      // __aenter__
      if (this.state !== "created") return misuse("Timeout has already been entered")
      const task = fiber.getRef(CurrentTask)
      if (task === undefined) return misuse("Timeout should be used inside a task")
      this.state = "active"
      this.task = task
      this.cancellingAtEntry = task.cancelling()
      if (!fiberIsInterruptible(fiber)) return this.runInCleanup(effect)
      this.rescheduleUnsafe(this.deadline)
      // the block's exit sees how the body ended, cancellation included (see `catchingCancellation`)
      return catchingCancellation(effect, (exit) => this.exit(fiber, exit))
    })
  }

  /**
   * A timeout inside cleanup code (a finalizer, which Effect runs uninterruptibly, where CPython
   * runs a `finally` block that a new cancellation can reach): the task cannot be cancelled
   * there, so the body runs in a fiber of its own, and the deadline interrupts that fiber.
   */
  private runInCleanup<A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E | TimeoutError, R> {
    return Effect.flatMap(
      Effect.forkChild(effect, { startImmediately: true, uninterruptible: false }),
      (body) => {
        this.body = body
        this.rescheduleUnsafe(this.deadline)
        return Effect.flatMap(Fiber.await(body), (exit): Effect.Effect<A, E | TimeoutError> => {
          this.body = undefined
          this.timeoutHandler?.cancel()
          this.timeoutHandler = undefined
          if (this.state === "expiring") {
            this.state = "expired"
            if (Exit.isFailure(exit) && isCancellation(exit.cause))
              return Effect.fail(new TimeoutError({ message: "" }))
            if (Exit.isFailure(exit)) return Effect.failCause(withoutInterrupts(exit.cause))
          } else if (this.state === "active") {
            this.state = "finished"
          }
          return exit
        })
      }
    )
  }

  /** asyncio's `Timeout.__aexit__`. */
  private exit<A, E>(
    fiber: Fiber.Fiber<unknown, unknown>,
    exit: Exit.Exit<A, E>
  ): Effect.Effect<A, E | TimeoutError> {
    this.timeoutHandler?.cancel()
    this.timeoutHandler = undefined
    if (this.state === "expiring") {
      this.state = "expired"
      const task = this.task as TaskImpl<unknown, unknown>
      if (task.uncancel() <= this.cancellingAtEntry && Exit.isFailure(exit)) {
        // Since there are no new cancel requests, we're handling this: the CancelledError ends
        // here (withdrawn from the task's fiber, which runs on), unless an interruption from
        // outside the loop is pending too
        if (isCancellation(exit.cause)) {
          if (withdrawCancellation(fiber)) return Effect.fail(new TimeoutError({ message: "" }))
        } else if (withdrawCancellation(fiber)) {
          // an error raised while cancelling replaces the CancelledError, as in asyncio
          return Effect.failCause(withoutInterrupts(exit.cause))
        }
      }
    } else if (this.state === "active") {
      this.state = "finished"
    }
    return exit
  }

  /** `reschedule` once the arguments are checked: the timer of the loop, or `call_soon`. */
  private rescheduleUnsafe(when: number | null): void {
    this.deadline = when
    this.timeoutHandler?.cancel()
    this.timeoutHandler = undefined
    const task = this.task
    if (when === null || task === undefined) return
    const loop = task.loop as EventLoopImpl
    this.timeoutHandler =
      when <= loop.time() ? loop.callSoon(this.onTimeout) : loop.callAt(when, this.onTimeout)
  }

  /** asyncio's `_on_timeout`: the task is cancelled; the block's exit turns that into TimeoutError. */
  private readonly onTimeout = (): void => {
    this.state = "expiring"
    this.timeoutHandler = undefined
    // (set first: interrupting the body of a timeout in cleanup code resumes the block at once)
    if (this.body !== undefined) this.body.interruptUnsafe()
    else this.task?.cancelNow()
  }
}

/**
 * The effect a timeout block runs: the body itself, or what the body function returns for the
 * `Timeout` (called when the block runs, as the body of `async with ... as cm:`). Anything else
 * is a `TypeError`; a function that returns a non-effect makes the body die with it.
 */
const bodyEffect = <A, E, R>(body: TimeoutBody<A, E, R>, cm: Timeout, fn: string): Effect.Effect<A, E, R> => {
  if (validate.isEffect(body)) return body
  const make = validate.func(body, `${fn} body`) as (timeout: Timeout) => Effect.Effect<A, E, R>
  return Effect.suspend(() => validate.returned(make(cm), `${fn} body`))
}

/**
 * `async with asyncio.timeout(delay):` — runs `body` and cancels it if it takes more than
 * `delay` seconds, failing with `TimeoutError` instead. `null`/`undefined` never times out; a
 * delay <= 0 expires at the next suspension of the body. The body may take the `Timeout` to
 * read or move the deadline. Timeouts nest: the one that expired raises `TimeoutError`, the
 * ones around it see that error, and a cancellation from outside passes through them all.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import * as asyncio from "@effect-asyncio/core"
 *
 * const program = asyncio.timeout(1, asyncio.sleep(10)).pipe(
 *   Effect.catchTag("TimeoutError", () => Effect.succeed("too slow"))
 * )
 * // after 1 second:
 * asyncio.run(program).then(console.log) // too slow
 * ```
 * @category Timeouts
 * @since 0.1.0
 */
export const timeout = <A, E, R>(
  delay: Seconds | null | undefined,
  body: TimeoutBody<A, E, R>
): Effect.Effect<A, E | TimeoutError, R | EventLoop> =>
  Effect.flatMap(EventLoop, (loop) => {
    const seconds = validate.optionalSeconds(delay, "timeout() delay")
    return new Timeout(seconds === undefined ? null : loop.time() + seconds).enter(body, "timeout()")
  })

/**
 * `async with asyncio.timeout_at(when):` — as `timeout`, with an absolute deadline in loop
 * time (`loop.time()`, seconds).
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import * as asyncio from "@effect-asyncio/core"
 *
 * const program = Effect.gen(function* () {
 *   const loop = yield* asyncio.getRunningLoop
 *   return yield* asyncio.timeoutAt(loop.time() + 5, asyncio.sleep(1, "in time"))
 * })
 * asyncio.run(program).then(console.log) // in time
 * ```
 * @category Timeouts
 * @since 0.1.0
 */
export const timeoutAt = <A, E, R>(
  when: number | null | undefined,
  body: TimeoutBody<A, E, R>
): Effect.Effect<A, E | TimeoutError, R | EventLoop> =>
  Effect.suspend(() => new Timeout(validate.deadline(when, "timeoutAt() when")).enter(body, "timeoutAt()"))

/**
 * `asyncio.wait_for(aw, timeout)` with 3.12+ semantics: `timeout(seconds, aw)` underneath. On
 * expiry the effect (or the task, which is cancelled and awaited) is cancelled and the call
 * fails with `TimeoutError`. `null`/`undefined` waits forever. A timeout <= 0 wraps `aw` in a
 * task and returns its result if it is already done, otherwise cancels it, waits for it, and
 * fails with `TimeoutError`. A Promise is awaited as a future of the loop: on expiry the waiting
 * stops and `TimeoutError` is raised, but the Promise runs on (JavaScript cannot cancel it; give
 * the operation an `AbortSignal` with `fromPromise`, whose signal the expiry aborts).
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import * as asyncio from "@effect-asyncio/core"
 *
 * const program = Effect.gen(function* () {
 *   const fast = yield* asyncio.waitFor(asyncio.sleep(1, "fast"), 2)
 *   const slow = yield* Effect.flip(asyncio.waitFor(asyncio.sleep(5, "slow"), 2))
 *   return [fast, slow._tag]
 * })
 * asyncio.run(program).then(console.log) // ["fast", "TimeoutError"]
 * ```
 * @category Timeouts
 * @since 0.1.0
 */
export const waitFor: {
  <A, E, R>(
    aw: Effect.Effect<A, E, R>,
    seconds: Seconds | null | undefined
  ): Effect.Effect<A, E | TimeoutError, R | EventLoop>
  <A>(
    promise: PromiseLike<A>,
    seconds: Seconds | null | undefined
  ): Effect.Effect<A, Cause.UnknownError | CancelledError | TimeoutError, EventLoop>
} = <A, E, R>(
  aw: Effect.Effect<A, E, R> | PromiseLike<A>,
  seconds: Seconds | null | undefined
): Effect.Effect<A, E | TimeoutError, R | EventLoop> =>
  Effect.withFiber((parent) => {
    validate.awaitable(aw)
    const timeoutSeconds = validate.optionalSeconds(seconds, "waitFor() timeout")
    // `await fut` of a future of another loop is the task's RuntimeError, whatever the timeout
    const loop = loopImpl(Context.get(parent.context as Context.Context<EventLoop>, EventLoop))
    const foreign = foreignFuture([aw], loop, parent.getRef(CurrentTask), true)
    if (foreign !== undefined) return Effect.die(foreign)
    // `async with timeouts.timeout(timeout): return await fut`: a coroutine is awaited in the
    // task; a future (a Promise's too) is awaited
    const awaited = (
      validate.isInstance(aw, FutureImpl)
        ? awaitFuture(aw)
        : isThenable(aw)
          ? Effect.suspend(() => awaitFuture(futureOf(aw, parent.context, loop)))
          : aw
    ) as Effect.Effect<A, E, R>
    if (timeoutSeconds === undefined) return timeout(null, awaited)
    if (timeoutSeconds > 0) return timeout(timeoutSeconds, awaited)
    // wait_for 3.12: a timeout <= 0 runs the awaitable as a task, cancels it unless it is done
    // at once, and waits for it (`_cancel_and_wait`)
    const fut = futureOf(aw, parent.context, loop) as FutureImpl<A, E>
    if (fut.done()) return fut.outcome() as Exit.Exit<A, E>
    return Effect.andThen(
      cancelAndWait(fut as FutureImpl<unknown, unknown>, loop),
      Effect.suspend((): Effect.Effect<A, E | TimeoutError> => {
        const outcome = fut.outcome()
        return fut.cancelled() ? Effect.fail(new TimeoutError({ message: "" })) : (outcome as Exit.Exit<A, E>)
      })
    )
  })

/**
 * asyncio's `_cancel_and_wait(fut)`: cancel `fut` and wait until it is done, through a waiter of
 * our own ("we cannot wait on *fut* directly to make sure _cancel_and_wait itself is reliably
 * cancellable").
 *
 * @internal
 */
export const cancelAndWait = (fut: FutureImpl<unknown, unknown>, loop: EventLoopImpl): Effect.Effect<void> =>
  Effect.suspend(() => {
    const waiter = new LabelledFuture<void>(loop, () => `the cancelled ${fut.waitDescription()} to finish`)
    const cb = () => {
      if (!waiter.done()) waiter.resolveNow(undefined)
    }
    fut.addDoneCallback(cb)
    fut.cancelNow()
    return Effect.ensuring(
      awaitFuture(waiter) as Effect.Effect<void>,
      Effect.sync(() => {
        fut.removeDoneCallback(cb)
      })
    )
  })
