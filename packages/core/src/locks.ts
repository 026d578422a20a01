/**
 * Synchronization primitives: asyncio's `Lock`, `Event` and `Condition` (`locks.py`);
 * `Semaphore` and `BoundedSemaphore` live in `semaphores.ts`, `Barrier` in `barrier.ts`.
 *
 * Rules, all taken from CPython 3.13:
 * - waiters are served first-in first-out; a newcomer never overtakes a waiter that was woken
 *   but has not run yet;
 * - cancellation is interruption: a waiter cancelled while waiting leaves no trace, and a
 *   permit or wake-up handed to it before it could run passes on to the next waiter (the 3.11-3.13
 *   fixes, checked by CPython's test_finished_waiter_cancelled and test_cancelled_wakeup*);
 * - `async with x:` is `x.use(body)`: acquire, run `body`, release however it ends.
 *
 * A primitive is a plain object (`new asyncio.Lock()`): since Python 3.10 it is not bound to a
 * loop when created; it binds to the loop of the first task that waits on it. Its waiters are
 * futures of that loop, as in CPython, so a waiter cancelled by its task's `cancel()` is seen
 * cancelled at once, before the task runs again.
 *
 * @since 0.1.0
 */
import { type Cause, Effect, Exit, type Fiber } from "effect"
import { NodeInspectSymbol } from "effect/Inspectable"
import type { EventLoop } from "./events.js"
import { RuntimeError, TypeError } from "./exceptions.js"
import { awaitFuture, type FutureImpl } from "./internal/future.js"
import { catchingCancellation, raiseCancellation, withdrawCancellation } from "./internal/loop.js"
import { isCancellation } from "./internal/outcome.js"
import * as validate from "./internal/validate.js"
import { type LoopBound, newWaiter, WaiterQueue } from "./internal/waiters.js"

/**
 * `async with`: acquires, runs `body` (interruptible), releases however it ends. Acquire
 * itself is cancellation-safe (it either holds or leaves no trace), so the only gap to close
 * is between acquiring and entering the body, which is uninterruptible here. A body that is not
 * an effect dies with `TypeError` before anything is acquired.
 *
 * @internal
 */
export const holding = <A, E, R, E2, R2>(
  acquire: Effect.Effect<unknown, E2, R2>,
  release: Effect.Effect<void, E2>,
  body: Effect.Effect<A, E, R>,
  what: string
): Effect.Effect<A, E | E2, R | R2> => {
  try {
    validate.body(body, what)
  } catch (error) {
    return Effect.die(error)
  }
  return Effect.uninterruptibleMask((restore) =>
    Effect.flatMap(restore(acquire), () =>
      Effect.flatMap(Effect.exit(restore(body)), (exit) => Effect.flatMap(release, () => exit))
    )
  )
}

/** `<Name [state, waiters:n]>` as asyncio's reprs. @internal */
export const extra = (state: string, waiters: number): string =>
  waiters > 0 ? `${state}, waiters:${waiters}` : state

/**
 * Waits on `future` (a waiter of a primitive), then runs `after` with how the wait ended,
 * cancellation included (uninterruptibly: the bookkeeping of CPython's `finally` / `except`
 * clauses). `after` re-raises a failure itself; it may go on waiting through `restore`.
 *
 * @internal
 */
export const waitOn = <A, E, R>(
  future: FutureImpl<unknown, unknown>,
  after: (
    exit: Exit.Exit<unknown, unknown>,
    restore: <X, Y, Z>(effect: Effect.Effect<X, Y, Z>) => Effect.Effect<X, Y, Z>
  ) => Effect.Effect<A, E, R>
): Effect.Effect<A, E, R> => catchingCancellation(awaitFuture(future), after)

/**
 * `asyncio.Lock()`: a primitive lock, not owned by the task that acquired it. `acquire()` waits
 * until the lock is unlocked, then locks it; `release()` unlocks it and lets exactly one waiter
 * proceed, in FIFO order. Releasing an unlocked lock fails with `RuntimeError`.
 *
 * Prefer `lock.use(body)` (`async with lock:`): the lock is released however `body` ends.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import * as asyncio from "@effect-asyncio/core"
 *
 * const lock = new asyncio.Lock()
 * let counter = 0
 * const increment = lock.use(Effect.gen(function* () {
 *   const seen = counter
 *   yield* asyncio.sleep(0.1)
 *   counter = seen + 1
 * }))
 * const program = Effect.gen(function* () {
 *   const tasks = []
 *   for (let i = 0; i < 5; i++) tasks.push(yield* asyncio.createTask(increment))
 *   for (const task of tasks) yield* task
 *   return counter
 * })
 * asyncio.run(program).then(console.log) // 5
 * ```
 * @category Synchronization primitives
 * @since 0.1.0
 */
export class Lock {
  private waiters: WaiterQueue | undefined = undefined
  private isLocked = false
  /** @internal the loop this lock's waiters belong to (`_LoopBoundMixin._loop`) */
  boundLoop: LoopBound["boundLoop"] = undefined

  constructor() {
    // a method passed as a callback (`loop.callSoon(x.releaseUnsafe)`) keeps its object, as Python's bound methods
    this.releaseUnsafe = this.releaseUnsafe.bind(this)
  }

  /** `lock.locked()`: true if the lock is held. */
  locked(): boolean {
    return this.isLocked
  }

  /**
   * `await lock.acquire()`: waits until the lock is unlocked and no earlier waiter is still
   * pending, then locks it and returns `true`.
   */
  acquire(): Effect.Effect<true, never, EventLoop> {
    return this.acquireEffect
  }

  private readonly acquireEffect: Effect.Effect<true, never, EventLoop> = Effect.withFiber((fiber) => {
    const waiters = this.waiters
    if (!this.isLocked && (waiters === undefined || allCancelled(waiters))) {
      this.isLocked = true
      return Effect.succeed(true as const)
    }
    const queue = waiters ?? new WaiterQueue()
    this.waiters = queue
    const fut = newWaiter(this, fiber)
    const node = queue.push(fut)
    return waitOn(fut, (exit) => {
      queue.remove(node)
      if (Exit.isFailure(exit)) {
        // Currently the only exception designed be able to occur here. Ensure the lock
        // invariant: If lock is not claimed (or about to be claimed by us) and there is a Task
        // in waiters, ensure that the Task at the head will run.
        if (!this.isLocked) this.wakeUpFirst()
        return Effect.failCause(exit.cause as never)
      }
      this.isLocked = true
      return Effect.succeed(true as const)
    })
  })

  /** `lock.release()`: unlocks and wakes the first waiter; `RuntimeError` if not locked. */
  release(): Effect.Effect<void, RuntimeError> {
    return this.releaseEffect
  }

  private readonly releaseEffect: Effect.Effect<void, RuntimeError> = Effect.suspend(() =>
    this.releaseUnsafe() ? Effect.void : Effect.fail(new RuntimeError({ message: "Lock is not acquired." }))
  )

  /** `release`, synchronously: false (and nothing done) if the lock was not held. */
  releaseUnsafe(): boolean {
    if (!this.isLocked) return false
    this.isLocked = false
    this.wakeUpFirst()
    return true
  }

  /**
   * `async with lock:` — acquires, runs `body`, releases however it ends. A `RuntimeError` from
   * the release (the body released the lock itself) replaces the body's outcome, as an
   * exception raised in `__aexit__` does.
   */
  use<A, E, R>(body: Effect.Effect<A, E, R>): Effect.Effect<A, E | RuntimeError, R | EventLoop> {
    return holding(this.acquireEffect, this.releaseEffect, body, "Lock.use()")
  }

  /** The number of tasks waiting in `acquire()` (cancelled ones until they run again). */
  waitersCount(): number {
    return this.waiters?.size ?? 0
  }

  /** @internal what a task blocked here waits on (the deadlock report) */
  describeWaiter(): string {
    return "Lock.acquire()"
  }

  /** asyncio's repr: `<Lock [locked, waiters:1]>`. */
  toString(): string {
    return `<Lock [${extra(this.isLocked ? "locked" : "unlocked", this.waitersCount())}]>`
  }

  /** Node's `util.inspect` (`console.log(lock)`) shows the repr, as `String(lock)` does. */
  [NodeInspectSymbol](): string {
    return this.toString()
  }

  /** CPython's `_wake_up_first`: only the first waiter, and only if it is still pending. */
  private wakeUpFirst(): void {
    const fut = this.waiters?.first()
    if (fut !== undefined && !fut.done()) fut.resolveNow(true)
  }
}

const allCancelled = (waiters: WaiterQueue): boolean => !waiters.anyNotCancelled()

/**
 * `asyncio.Event()`: a flag, initially false. `wait()` returns at once while it is set, and
 * otherwise waits until `set()`; `set()` wakes every waiter; `clear()` resets the flag.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import * as asyncio from "@effect-asyncio/core"
 *
 * const event = new asyncio.Event()
 * const program = Effect.gen(function* () {
 *   const waiter = yield* asyncio.createTask(Effect.as(event.wait(), "woken"))
 *   yield* asyncio.sleep(1)
 *   yield* event.set()
 *   return yield* waiter
 * })
 * asyncio.run(program).then(console.log) // woken
 * ```
 * @category Synchronization primitives
 * @since 0.1.0
 */
export class Event {
  private readonly waiters = new WaiterQueue()
  private value = false
  /** @internal the loop this event's waiters belong to (`_LoopBoundMixin._loop`) */
  boundLoop: LoopBound["boundLoop"] = undefined

  constructor() {
    // a method passed as a callback (`loop.callSoon(x.setUnsafe)`) keeps its object, as Python's bound methods
    this.setUnsafe = this.setUnsafe.bind(this)
    this.clearUnsafe = this.clearUnsafe.bind(this)
  }

  /** `event.is_set()` */
  isSet(): boolean {
    return this.value
  }

  /** `event.set()`: sets the flag and wakes every waiter. */
  set(): Effect.Effect<void> {
    return Effect.sync(() => this.setUnsafe())
  }

  /** `set`, synchronously. */
  setUnsafe(): void {
    if (this.value) return
    this.value = true
    for (const fut of this.waiters) {
      if (!fut.done()) fut.resolveNow(true)
    }
  }

  /** `event.clear()`: resets the flag; later `wait()` calls block until the next `set()`. */
  clear(): Effect.Effect<void> {
    return Effect.sync(() => this.clearUnsafe())
  }

  /** `clear`, synchronously. */
  clearUnsafe(): void {
    this.value = false
  }

  /** `await event.wait()`: `true` once the flag is set (at once if it is). */
  wait(): Effect.Effect<true, never, EventLoop> {
    return Effect.withFiber((fiber) => {
      if (this.value) return Effect.succeed(true as const)
      const fut = newWaiter(this, fiber)
      const node = this.waiters.push(fut)
      return waitOn(fut, (exit) => {
        this.waiters.remove(node)
        return Exit.isFailure(exit) ? Effect.failCause(exit.cause as never) : Effect.succeed(true as const)
      })
    })
  }

  /** The number of tasks waiting in `wait()`. */
  waitersCount(): number {
    return this.waiters.size
  }

  /** @internal what a task blocked here waits on (the deadlock report; a queue's join says its own) */
  describeWaiter(): string {
    return "Event.wait()"
  }

  /** asyncio's repr: `<Event [set]>`, `<Event [unset, waiters:2]>`. */
  toString(): string {
    return `<Event [${extra(this.value ? "set" : "unset", this.waiters.size)}]>`
  }

  /** Node's `util.inspect` (`console.log(event)`) shows the repr, as `String(event)` does. */
  [NodeInspectSymbol](): string {
    return this.toString()
  }
}

/**
 * `asyncio.Condition(lock)`: lets tasks wait until another task notifies them. It uses `lock`
 * (a new `Lock` by default) and must be held to `wait`, `notify` or `notifyAll`, else they fail
 * with `RuntimeError`.
 *
 * `wait()` releases the lock, waits for a notification, re-acquires the lock (even when
 * cancelled meanwhile: cancellation is reported only once the lock is held again) and returns
 * `true`. A waiter cancelled after it was notified passes its notification to another waiter.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import * as asyncio from "@effect-asyncio/core"
 *
 * const condition = new asyncio.Condition()
 * const items: number[] = []
 * const consumer = condition.use(Effect.gen(function* () {
 *   yield* condition.waitFor(() => items.length > 0)
 *   return items.shift()
 * }))
 * const program = Effect.gen(function* () {
 *   const task = yield* asyncio.createTask(consumer)
 *   yield* asyncio.sleep(1)
 *   yield* condition.use(Effect.andThen(Effect.sync(() => items.push(42)), condition.notify()))
 *   return yield* task
 * })
 * asyncio.run(program).then(console.log) // 42
 * ```
 * @category Synchronization primitives
 * @since 0.1.0
 */
export class Condition {
  private readonly waiters = new WaiterQueue()
  /** @internal the loop this condition's waiters belong to (`_LoopBoundMixin._loop`) */
  boundLoop: LoopBound["boundLoop"] = undefined

  /** The underlying lock. */
  readonly lock: Lock

  /** `asyncio.Condition(lock=None)`: `lock`, or a new `Lock` when none is given (`null` too). */
  constructor(lock?: Lock | null) {
    if (lock === undefined || lock === null) lock = new Lock()
    else if (!validate.isInstance(lock, Lock)) {
      throw new TypeError({ message: `lock must be an asyncio.Lock, got ${validate.describe(lock)}` })
    }
    this.lock = lock
    // a method passed as a callback (`loop.callSoon(x.notifyUnsafe)`) keeps its object, as Python's bound methods
    this.notifyUnsafe = this.notifyUnsafe.bind(this)
  }

  /** `condition.locked()`: the underlying lock is held. */
  locked(): boolean {
    return this.lock.locked()
  }

  /** `await condition.acquire()`: acquires the underlying lock. */
  acquire(): Effect.Effect<true, never, EventLoop> {
    return this.lock.acquire()
  }

  /** `condition.release()`: releases the underlying lock. */
  release(): Effect.Effect<void, RuntimeError> {
    return this.lock.release()
  }

  /** `async with condition:` — holds the underlying lock while `body` runs. */
  use<A, E, R>(body: Effect.Effect<A, E, R>): Effect.Effect<A, E | RuntimeError, R | EventLoop> {
    return holding(this.lock.acquire(), this.lock.release(), body, "Condition.use()")
  }

  /**
   * `await condition.wait()`: releases the lock, waits until notified, re-acquires the lock and
   * returns `true`. `RuntimeError` if the lock is not held. It may return spuriously: re-check
   * the state (or use `waitFor`). Cancelled while waiting, it still re-acquires the lock before
   * the cancellation goes on, as in CPython.
   */
  wait(): Effect.Effect<true, RuntimeError, EventLoop> {
    return Effect.withFiber((fiber) => {
      if (!this.lock.locked()) {
        return Effect.fail(new RuntimeError({ message: "cannot wait on un-acquired lock" }))
      }
      const fut = newWaiter(this, fiber)
      this.lock.releaseUnsafe()
      const node = this.waiters.push(fut)
      return waitOn(fut, (waited, restore) => {
        this.waiters.remove(node)
        // `finally:` runs while the CancelledError propagates: caught here (withdrawn from the
        // fiber) so that the lock can be awaited, raised again afterwards
        let cancellation: Cause.Cause<unknown> | undefined
        let failure: Cause.Cause<unknown> | undefined
        if (Exit.isFailure(waited)) {
          if (isCancellation(waited.cause) && withdrawCancellation(fiber)) cancellation = waited.cause
          else failure = waited.cause
        }
        // Must re-acquire lock even if wait is cancelled. We only catch CancelledError here,
        // since we don't want any other (fatal) errors with the future to cause us to spin.
        const reacquired =
          failure === undefined ? this.reacquire(fiber, restore) : Effect.as(this.lock.acquire(), undefined)
        return Effect.flatMap(reacquired, (caught) => {
          const cancelled = caught ?? cancellation
          if (failure === undefined && cancelled === undefined) return Effect.succeed(true as const)
          // Any error raised out of here _may_ have occurred after this Task believed to have
          // been successfully notified. Make sure the notification is not lost, while at the same
          // time minimizing the risk of spurious wakeups.
          this.notifyUnsafe(1)
          return cancelled !== undefined
            ? raiseCancellation(fiber, cancelled)
            : Effect.failCause(failure as Cause.Cause<never>)
        })
      })
    })
  }

  /**
   * CPython's `while True: try: await self.acquire(); break; except CancelledError as e: err = e`:
   * the lock is acquired whatever cancellations come meanwhile; the last one is given back (to
   * be raised again). A cancellation that cannot be withdrawn (an interruption from outside
   * the loop) leaves the lock to be taken uninterruptibly.
   */
  private reacquire(
    fiber: Fiber.Fiber<unknown, unknown>,
    restore: <X, Y, Z>(effect: Effect.Effect<X, Y, Z>) => Effect.Effect<X, Y, Z>
  ): Effect.Effect<Cause.Cause<unknown> | undefined, never, EventLoop> {
    // runs inside `waitOn`'s mask: `restore` makes the acquire cancellable, `Effect.exit` sees it
    const attempt = (
      caught: Cause.Cause<unknown> | undefined
    ): Effect.Effect<Cause.Cause<unknown> | undefined, never, EventLoop> =>
      Effect.flatMap(Effect.exit(restore(this.lock.acquire())), (exit) => {
        if (Exit.isSuccess(exit)) return Effect.succeed(caught)
        if (isCancellation(exit.cause) && withdrawCancellation(fiber)) return attempt(exit.cause)
        return Effect.as(this.lock.acquire(), exit.cause)
      })
    return attempt(undefined)
  }

  /**
   * `await condition.wait_for(predicate)`: waits until `predicate()` is truthy and returns its
   * value. The lock must be held.
   */
  waitFor<T>(predicate: () => T): Effect.Effect<T, RuntimeError, EventLoop> {
    try {
      validate.func(predicate, "Condition.waitFor() predicate")
    } catch (error) {
      return Effect.die(error)
    }
    const loop = (result: T): Effect.Effect<T, RuntimeError, EventLoop> =>
      result ? Effect.succeed(result) : Effect.flatMap(this.wait(), () => loop(predicate()))
    return Effect.suspend(() => loop(predicate()))
  }

  /**
   * `condition.notify(n=1)`: wakes up to `n` waiters (they return from `wait()` once they hold
   * the lock again). `RuntimeError` if the lock is not held.
   */
  notify(n = 1): Effect.Effect<void, RuntimeError> {
    return Effect.suspend(() => {
      // checked when called (CPython compares `n` only once there is a waiter to wake)
      validate.count(n, "Condition.notify() n")
      if (!this.lock.locked()) {
        return Effect.fail(new RuntimeError({ message: "cannot notify on un-acquired lock" }))
      }
      this.notifyUnsafe(n)
      return Effect.void
    })
  }

  /** `condition.notify_all()`: wakes every waiter. `RuntimeError` if the lock is not held. */
  notifyAll(): Effect.Effect<void, RuntimeError> {
    return Effect.suspend(() => this.notify(this.waiters.size))
  }

  /** CPython's `_notify`: wakes the first `n` pending waiters; the lock is not checked. */
  notifyUnsafe(n: number): void {
    let idx = 0
    for (const fut of this.waiters) {
      if (idx >= n) break
      if (!fut.done()) {
        idx += 1
        fut.resolveNow(false)
      }
    }
  }

  /** The number of tasks waiting in `wait()`. */
  waitersCount(): number {
    return this.waiters.size
  }

  /** @internal what a task blocked here waits on (the deadlock report; a barrier says its own) */
  describeWaiter(): string {
    return "Condition.wait()"
  }

  /** asyncio's repr: `<Condition [unlocked]>`, `<Condition [locked, waiters:1]>`. */
  toString(): string {
    return `<Condition [${extra(this.lock.locked() ? "locked" : "unlocked", this.waiters.size)}]>`
  }

  /** Node's `util.inspect` (`console.log(condition)`) shows the repr, as `String(condition)` does. */
  [NodeInspectSymbol](): string {
    return this.toString()
  }
}
