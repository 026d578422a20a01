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
 * loop when created, and it may be shared by fibers of different runs.
 *
 * @since 0.1.0
 */
import { Effect, Exit } from "effect"
import { RuntimeError } from "./exceptions.js"
import { Waiter, WaiterList } from "./internal/waiters.js"

/**
 * `async with`: acquires, runs `body` (interruptible), releases however it ends. Acquire
 * itself is cancellation-safe (it either holds or leaves no trace), so the only gap to close
 * is between acquiring and entering the body, which is uninterruptible here.
 *
 * @internal
 */
export const holding = <A, E, R, E2>(
  acquire: Effect.Effect<unknown, E2>,
  release: Effect.Effect<void, E2>,
  body: Effect.Effect<A, E, R>
): Effect.Effect<A, E | E2, R> =>
  Effect.uninterruptibleMask((restore) =>
    Effect.flatMap(restore(acquire), () =>
      Effect.flatMap(Effect.exit(restore(body)), (exit) => Effect.flatMap(release, () => exit))
    )
  )

/** `<Name [state, waiters:n]>` as asyncio's reprs. @internal */
export const extra = (state: string, waiters: number): string =>
  waiters > 0 ? `${state}, waiters:${waiters}` : state

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
 * @since 0.1.0
 */
export class Lock {
  private isLocked = false
  private readonly waiters = new WaiterList()

  /** `lock.locked()`: true if the lock is held. */
  locked(): boolean {
    return this.isLocked
  }

  /**
   * `await lock.acquire()`: waits until the lock is unlocked and no earlier waiter is still
   * pending, then locks it and returns `true`.
   */
  acquire(): Effect.Effect<true> {
    return this.acquireEffect
  }

  private readonly acquireEffect: Effect.Effect<true> = Effect.suspend(() => {
    // as CPython: free only if no waiter is pending (cancelled ones leave the list at once here)
    if (!this.isLocked && this.waiters.size === 0) {
      this.isLocked = true
      return Effect.succeed(true as const)
    }
    return this.acquireSlow
  })

  private readonly acquireSlow: Effect.Effect<true> = Effect.uninterruptibleMask((restore) =>
    Effect.suspend(() => {
      const waiter = new Waiter()
      this.waiters.push(waiter)
      return Effect.flatMap(Effect.exit(restore(waiter.wait)), (exit) => {
        this.waiters.remove(waiter)
        if (Exit.isFailure(exit)) {
          waiter.cancel()
          // as CPython (test_finished_waiter_cancelled): a wake-up received just before the
          // cancellation passes on
          if (!this.isLocked) this.wakeUpFirst()
          return Effect.failCause(exit.cause)
        }
        this.isLocked = true
        return Effect.succeed(true as const)
      })
    })
  )

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
  use<A, E, R>(body: Effect.Effect<A, E, R>): Effect.Effect<A, E | RuntimeError, R> {
    return holding(this.acquireEffect, this.releaseEffect, body)
  }

  /** The number of fibers waiting in `acquire()`. */
  waitersCount(): number {
    return this.waiters.size
  }

  /** asyncio's repr: `<Lock [locked, waiters:1]>`. */
  toString(): string {
    return `<Lock [${extra(this.isLocked ? "locked" : "unlocked", this.waiters.size)}]>`
  }

  /** CPython's `_wake_up_first`: only the first waiter, and only if it is still pending. */
  private wakeUpFirst(): void {
    this.waiters.first()?.wake()
  }
}

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
 * @since 0.1.0
 */
export class Event {
  private value = false
  private readonly waiters = new WaiterList()

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
    for (const waiter of this.waiters) waiter.wake()
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
  wait(): Effect.Effect<true> {
    return Effect.suspend(() => {
      if (this.value) return Effect.succeed(true as const)
      const waiter = new Waiter()
      this.waiters.push(waiter)
      return Effect.as(
        Effect.ensuring(
          waiter.wait,
          Effect.sync(() => this.waiters.remove(waiter))
        ),
        true as const
      )
    })
  }

  /** The number of fibers waiting in `wait()`. */
  waitersCount(): number {
    return this.waiters.size
  }

  /** asyncio's repr: `<Event [set]>`, `<Event [unset, waiters:2]>`. */
  toString(): string {
    return `<Event [${extra(this.value ? "set" : "unset", this.waiters.size)}]>`
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
 * @since 0.1.0
 */
export class Condition {
  private readonly waiters = new WaiterList()

  constructor(readonly lock: Lock = new Lock()) {}

  /** `condition.locked()`: the underlying lock is held. */
  locked(): boolean {
    return this.lock.locked()
  }

  /** `await condition.acquire()`: acquires the underlying lock. */
  acquire(): Effect.Effect<true> {
    return this.lock.acquire()
  }

  /** `condition.release()`: releases the underlying lock. */
  release(): Effect.Effect<void, RuntimeError> {
    return this.lock.release()
  }

  /** `async with condition:` — holds the underlying lock while `body` runs. */
  use<A, E, R>(body: Effect.Effect<A, E, R>): Effect.Effect<A, E | RuntimeError, R> {
    return this.lock.use(body)
  }

  /**
   * `await condition.wait()`: releases the lock, waits until notified, re-acquires the lock and
   * returns `true`. `RuntimeError` if the lock is not held. It may return spuriously: re-check
   * the state (or use `waitFor`).
   */
  wait(): Effect.Effect<true, RuntimeError> {
    return Effect.uninterruptibleMask((restore) =>
      Effect.suspend(() => {
        if (!this.lock.locked()) {
          return Effect.fail(new RuntimeError({ message: "cannot wait on un-acquired lock" }))
        }
        this.lock.releaseUnsafe()
        const waiter = new Waiter()
        this.waiters.push(waiter)
        return Effect.flatMap(Effect.exit(restore(waiter.wait)), (waited) => {
          this.waiters.remove(waiter)
          waiter.cancel()
          // CPython re-acquires in a loop that swallows cancellations until it holds the lock,
          // then re-raises: here the re-acquire is uninterruptible, and a cancellation that came
          // meanwhile is pending and surfaces when the mask is lifted.
          return Effect.flatMap(this.lock.acquire(), () =>
            Effect.flatMap(Effect.exit(restore(Effect.void)), (after) => {
              const failed = Exit.isFailure(waited) ? waited : Exit.isFailure(after) ? after : undefined
              if (failed === undefined) return Effect.succeed(true as const)
              // as CPython 3.13 (test_cancelled_wakeup): a notification this waiter may have consumed
              // passes on
              this.notifyUnsafe(1)
              return Effect.failCause(failed.cause)
            })
          )
        })
      })
    )
  }

  /**
   * `await condition.wait_for(predicate)`: waits until `predicate()` is truthy and returns its
   * value. The lock must be held.
   */
  waitFor<T>(predicate: () => T): Effect.Effect<T, RuntimeError> {
    const loop = (result: T): Effect.Effect<T, RuntimeError> =>
      result ? Effect.succeed(result) : Effect.flatMap(this.wait(), () => loop(predicate()))
    return Effect.suspend(() => loop(predicate()))
  }

  /**
   * `condition.notify(n=1)`: wakes up to `n` waiters (they return from `wait()` once they hold
   * the lock again). `RuntimeError` if the lock is not held.
   */
  notify(n = 1): Effect.Effect<void, RuntimeError> {
    return Effect.suspend(() => {
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
    let woken = 0
    for (const waiter of this.waiters) {
      if (woken >= n) break
      if (waiter.wake()) woken += 1
    }
  }

  /** The number of fibers waiting in `wait()`. */
  waitersCount(): number {
    return this.waiters.size
  }

  /** asyncio's repr: `<Condition [unlocked]>`, `<Condition [locked, waiters:1]>`. */
  toString(): string {
    return `<Condition [${extra(this.lock.locked() ? "locked" : "unlocked", this.waiters.size)}]>`
  }
}
