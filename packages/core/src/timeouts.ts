/**
 * `asyncio.timeout`, `asyncio.timeout_at`, `asyncio.Timeout` and `asyncio.wait_for`
 * (`timeouts.py`, and `tasks.py`'s `wait_for`, which 3.12+ builds on `timeout`).
 *
 * `async with asyncio.timeout(10):` becomes `asyncio.timeout(10, body)`: the body runs under
 * the deadline; when the deadline passes the body is cancelled (interrupted, its finalizers
 * run) and the block fails with `TimeoutError`. A cancellation that comes from outside is not
 * turned into `TimeoutError`: it passes through, even when the deadline passed meanwhile (the
 * rule `uncancel()` implements in asyncio, see `Timeout.__aexit__`).
 *
 * Where Effect forces a difference: asyncio cancels the whole task and counts on
 * `uncancel()`; a fiber cannot survive its own interruption, so the body runs in a child fiber
 * of the task (same `CurrentTask`, same services) and only that fiber is interrupted. The
 * task's `cancelling()` count is therefore not raised while a timeout expires.
 *
 * @since 0.1.0
 */
import { Cause, Effect, Exit, Fiber } from "effect"
import { EventLoop, type EventLoopService } from "./events.js"
import { RuntimeError, TimeoutError } from "./exceptions.js"
import { notAwaitable } from "./internal/awaiting.js"
import { type Seconds, toMillis } from "./internal/time.js"
import { CurrentTask, ensureFuture, Task } from "./tasks.js"

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
 * @since 0.1.0
 */
export class Timeout {
  private state: TimeoutState = "created"
  private deadline: number | null
  private loop: EventLoopService | undefined = undefined
  /** The fiber running the block's body: what the deadline interrupts. */
  private body: Fiber.Fiber<unknown, unknown> | undefined = undefined
  /** The pending `_on_timeout` call, if any. */
  /** cancels the pending deadline timer (asyncio's `_timeout_handler`) */
  private cancelTimer: (() => void) | undefined = undefined

  constructor(when: number | null | undefined) {
    this.deadline = when ?? null
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
   * deadline already past fires at the next turn of the scheduler. Only inside the block:
   * before or after it, it fails with `RuntimeError` (a state error, typed as TaskGroup's).
   */
  reschedule(when: number | null | undefined): Effect.Effect<void, RuntimeError> {
    return Effect.suspend(() => {
      if (this.state !== "active") {
        const message =
          this.state === "created"
            ? "Timeout has not been entered"
            : `Cannot change state of ${this.state} Timeout`
        return Effect.fail(new RuntimeError({ message }))
      }
      return this.scheduleAt(when ?? null)
    })
  }

  /** asyncio's repr: `<Timeout [active] when=10.5>`, `<Timeout [expired]>`. */
  toString(): string {
    const when = this.deadline === null ? "None" : String(Math.round(this.deadline * 1000) / 1000)
    return this.state === "active" ? `<Timeout [active] when=${when}>` : `<Timeout [${this.state}]>`
  }

  /**
   * `async with cm:` — runs `body` under this deadline. Fails with `TimeoutError` if the
   * deadline cancelled the body; anything else the body does passes through unchanged.
   */
  run<A, E, R>(body: TimeoutBody<A, E, R>): Effect.Effect<A, E | TimeoutError, R | EventLoop> {
    return Effect.gen({ self: this }, function* () {
      if (this.state !== "created") return yield* misuse("Timeout has already been entered")
      const task = yield* CurrentTask
      if (task === undefined) return yield* misuse("Timeout should be used inside a task")
      this.loop = yield* EventLoop
      this.state = "active"
      yield* this.scheduleAt(this.deadline)
      const effect = Effect.isEffect(body) ? body : body(this)
      const fiber = yield* Effect.forkChild(effect, { startImmediately: true })
      this.body = fiber
      // the deadline may have passed while the body ran synchronously
      if (this.expired()) fiber.interruptUnsafe()
      const exit = yield* Fiber.await(fiber).pipe(
        // an outer cancellation: cancel the body, wait for it, and let the cancellation through,
        // unless the body raised an error while being cancelled: as in asyncio, that error
        // replaces the cancellation
        Effect.onInterrupt(() =>
          Effect.flatMap(Effect.andThen(Fiber.interrupt(fiber), Fiber.await(fiber)), (bodyExit) => {
            if (Exit.isSuccess(bodyExit)) return Effect.void
            const errors = bodyExit.cause.reasons.filter((reason) => !Cause.isInterruptReason(reason))
            return errors.length === 0 ? Effect.void : Effect.failCause(Cause.fromReasons(errors))
          })
        ),
        Effect.onExit((awaited) =>
          Effect.sync(() =>
            this.exit(
              Exit.isFailure(awaited) ||
                (Exit.isFailure(awaited.value) && awaited.value.cause.reasons.some(Cause.isInterruptReason))
            )
          )
        )
      )
      if (Exit.isSuccess(exit)) return exit.value
      const reasons = exit.cause.reasons
      if (this.expired() && reasons.some(Cause.isInterruptReason)) {
        const others = reasons.filter((reason) => !Cause.isInterruptReason(reason))
        // the body ended by our cancellation: that is the timeout (asyncio: raise TimeoutError)
        if (others.length === 0) return yield* Effect.fail(new TimeoutError({ message: "" }))
        // an error raised while cancelling replaces the cancellation, as in asyncio
        return yield* Effect.failCause(Cause.fromReasons(others))
      }
      return yield* Effect.failCause(exit.cause)
    })
  }

  /** asyncio's `__aexit__` bookkeeping: no timer left, final state. */
  private exit(bodyInterrupted: boolean): void {
    this.cancelTimer?.()
    this.cancelTimer = undefined
    // asyncio runs every timer that is due in one loop iteration, before any task resumes: a
    // deadline reached at the instant the body was cancelled from outside has expired too
    if (this.state === "active" && bodyInterrupted && this.isDue()) this.state = "expiring"
    if (this.state === "expiring") this.state = "expired"
    else if (this.state === "active") this.state = "finished"
  }

  private isDue(): boolean {
    const loop = this.loop
    // compared in milliseconds, with room for the rounding of `seconds * 1000`
    return this.deadline !== null && loop !== undefined && this.deadline * 1000 <= loop.time() * 1000 + 1e-6
  }

  /** `_on_timeout`: cancel the body. */
  private onTimeout(): void {
    if (this.state !== "active") return
    this.state = "expiring"
    this.cancelTimer = undefined
    this.body?.interruptUnsafe()
  }

  private scheduleAt(when: number | null): Effect.Effect<void> {
    this.deadline = when
    this.cancelTimer?.()
    this.cancelTimer = undefined
    const loop = this.loop
    if (when === null || loop === undefined) return Effect.void
    // as asyncio: a deadline already past is `call_soon`, otherwise `call_at`; both are turns
    // of the loop, in order with the tasks' own steps and timers
    if (when <= loop.time()) {
      let live = true
      loop.callSoon(() => live && this.onTimeout())
      this.cancelTimer = () => {
        live = false
      }
    } else {
      this.cancelTimer = loop.callAt(when, () => this.onTimeout())
    }
    return Effect.void
  }
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
 * @since 0.1.0
 */
export const timeout = <A, E, R>(
  delay: Seconds | null | undefined,
  body: TimeoutBody<A, E, R>
): Effect.Effect<A, E | TimeoutError, R | EventLoop> =>
  delay === null || delay === undefined
    ? new Timeout(null).run(body)
    : Effect.flatMap(toMillis(delay, "delay"), (millis) =>
        Effect.flatMap(EventLoop, (loop) => new Timeout(loop.time() + millis / 1000).run(body))
      )

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
 * @since 0.1.0
 */
export const timeoutAt = <A, E, R>(
  when: number | null | undefined,
  body: TimeoutBody<A, E, R>
): Effect.Effect<A, E | TimeoutError, R | EventLoop> => new Timeout(when).run(body)

/**
 * `asyncio.wait_for(aw, timeout)` with 3.12+ semantics: `timeout(seconds, aw)` underneath. On
 * expiry the effect (or the task, which is cancelled and awaited) is cancelled and the call
 * fails with `TimeoutError`. `null`/`undefined` waits forever. A timeout <= 0 wraps `aw` in a
 * task and returns its result if it is already done, otherwise cancels it, waits for it, and
 * fails with `TimeoutError`.
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
 * @since 0.1.0
 */
export const waitFor = <A, E, R>(
  aw: Effect.Effect<A, E, R>,
  seconds: Seconds | null | undefined
): Effect.Effect<A, E | TimeoutError, R | EventLoop> =>
  Effect.suspend(() => {
    if (!Effect.isEffect(aw)) return Effect.die(notAwaitable(aw))
    if (seconds === null || seconds === undefined) return timeout(null, aw)
    return Effect.flatMap(toMillis(seconds, "timeout"), (millis) => {
      if (millis > 0) {
        if (!(aw instanceof Task)) return timeout(seconds, aw)
        // asyncio: the waiter resumes with what the cancelled task ended with; an error raised
        // while it was being cancelled replaces the TimeoutError
        return timeout(seconds, aw).pipe(
          Effect.catchTag("TimeoutError", (error) =>
            Effect.suspend(() =>
              aw.done() && !aw.cancelled() ? (aw.outcome() as Effect.Effect<A, E>) : Effect.fail(error)
            )
          )
        )
      }
      // 3.12 wait_for: timeout <= 0 never runs the awaitable past its first step
      return Effect.flatMap(ensureFuture(aw), (task): Effect.Effect<A, E | TimeoutError> => {
        if (task.done()) return task.outcome() as Effect.Effect<A, E>
        task.cancelUnsafe()
        return Effect.andThen(
          Fiber.await(task.fiberUnsafe()),
          Effect.suspend(
            (): Effect.Effect<A, E | TimeoutError> =>
              task.cancelled()
                ? Effect.fail(new TimeoutError({ message: "" }))
                : (task.outcome() as Effect.Effect<A, E>)
          )
        )
      })
    })
  })
