/**
 * Semaphores: asyncio's `Semaphore` and `BoundedSemaphore` (`locks.py`).
 *
 * Permits are handed out first-in first-out. A waiter cancelled after it was handed a permit
 * gives it back, and an `acquire()` that succeeds wakes as many waiters as there are free
 * permits (the 3.11-3.13 fixes; CPython's tests test_acquire_cancel_before_awoken,
 * test_acquire_hang, test_acquire_no_hang and test_acquire_fifo_order_* check them).
 *
 * @since 0.1.0
 */
import { Effect, Exit } from "effect"
import { NodeInspectSymbol } from "effect/Inspectable"
import type { EventLoop } from "./events.js"
import { ValueError } from "./exceptions.js"
import * as validate from "./internal/validate.js"
import { type LoopBound, newWaiter, WaiterQueue } from "./internal/waiters.js"
import { extra, holding, waitOn } from "./locks.js"

/**
 * `asyncio.Semaphore(value=1)`: a counter of permits. `acquire()` takes one, waiting (FIFO)
 * while none is free; `release()` gives one back and wakes the next waiter. A waiter cancelled
 * after it was handed a permit gives the permit back to the next waiter (CPython 3.12+).
 *
 * `new Semaphore(value)` throws asyncio's `ValueError` for a negative (or NaN) value: inside an
 * `Effect.gen` body, the effect dies with it.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import * as asyncio from "@effect-asyncio/core"
 *
 * const semaphore = new asyncio.Semaphore(3)
 * const fetch = (url: number) => semaphore.use(asyncio.sleep(1, `page ${url}`))
 * const program = Effect.gen(function* () {
 *   const loop = yield* asyncio.EventLoop
 *   const start = loop.time()
 *   const tasks = []
 *   for (let url = 0; url < 10; url++) tasks.push(yield* asyncio.createTask(fetch(url)))
 *   for (const task of tasks) yield* task
 *   return Math.round(loop.time() - start)
 * })
 * // three at a time, in four rounds of one second:
 * asyncio.run(program).then(console.log) // 4
 * ```
 * @category Synchronization primitives
 * @since 0.1.0
 */
export class Semaphore {
  protected value: number
  private waiters: WaiterQueue | undefined = undefined
  /** @internal the loop this semaphore's waiters belong to (`_LoopBoundMixin._loop`) */
  boundLoop: LoopBound["boundLoop"] = undefined

  constructor(value = 1) {
    // CPython: `if value < 0: raise ValueError(...)` (so NaN and Infinity are accepted)
    this.value = validate.count(value, "Semaphore initial value", 0, "Semaphore initial value must be >= 0")
    // a method passed as a callback (`loop.callSoon(x.releaseUnsafe)`) keeps its object, as Python's bound methods
    this.releaseUnsafe = this.releaseUnsafe.bind(this)
  }

  /** `semaphore.locked()`: true if `acquire()` would not return at once. */
  locked(): boolean {
    return this.value === 0 || this.waiters?.anyNotCancelled() === true
  }

  /** The number of free permits (CPython's `_value`). */
  permits(): number {
    return this.value
  }

  /** `await semaphore.acquire()`: takes a permit, waiting in FIFO order; returns `true`. */
  acquire(): Effect.Effect<true, never, EventLoop> {
    return this.acquireEffect
  }

  private readonly acquireEffect: Effect.Effect<true, never, EventLoop> = Effect.withFiber((fiber) => {
    if (!this.locked()) {
      this.value -= 1
      return Effect.succeed(true as const)
    }
    const waiters = this.waiters ?? new WaiterQueue()
    this.waiters = waiters
    const fut = newWaiter(this, fiber)
    const node = waiters.push(fut)
    return waitOn(fut, (exit) => {
      waiters.remove(node)
      // woken (a permit was taken for it) and then cancelled: give the permit back
      if (Exit.isFailure(exit) && fut.done() && !fut.cancelled()) this.value += 1
      // as CPython 3.13: while permits are free, wake as many pending waiters
      while (this.value > 0) if (!this.wakeUpNext()) break
      return Exit.isFailure(exit) ? Effect.failCause(exit.cause as never) : Effect.succeed(true as const)
    })
  })

  /** `semaphore.release()`: returns a permit and wakes the next waiter. */
  release(): Effect.Effect<void> {
    return this.releaseEffect
  }

  private readonly releaseEffect: Effect.Effect<void> = Effect.sync(() => this.releaseUnsafe())

  /** `release`, synchronously. */
  releaseUnsafe(): void {
    this.value += 1
    this.wakeUpNext()
  }

  /** `async with semaphore:` — holds a permit while `body` runs. */
  use<A, E, R>(body: Effect.Effect<A, E, R>): Effect.Effect<A, E, R | EventLoop> {
    return holding(this.acquireEffect, this.releaseEffect, body, `${this.constructor.name}.use()`)
  }

  /** The number of tasks waiting in `acquire()` (cancelled ones until they run again). */
  waitersCount(): number {
    return this.waiters?.size ?? 0
  }

  /** @internal what a task blocked here waits on (the deadlock report) */
  describeWaiter(): string {
    return `${this.constructor.name}.acquire()`
  }

  /** asyncio's repr: `<Semaphore [unlocked, value:2]>`, `<Semaphore [locked, waiters:1]>`. */
  toString(): string {
    const state = this.locked() ? "locked" : `unlocked, value:${this.value}`
    return `<${this.constructor.name} [${extra(state, this.waitersCount())}]>`
  }

  /** Node's `util.inspect` (`console.log(semaphore)`) shows the repr, as `String(semaphore)` does. */
  [NodeInspectSymbol](): string {
    return this.toString()
  }

  /** CPython's `_wake_up_next`: hands a permit to the first pending waiter, if any. */
  private wakeUpNext(): boolean {
    const fut = this.waiters?.firstPending()
    if (fut === undefined) return false
    this.value -= 1
    fut.resolveNow(true)
    return true
  }
}

/**
 * `asyncio.BoundedSemaphore(value=1)`: a `Semaphore` whose `release()` dies with asyncio's
 * `ValueError` when it would raise the count above the initial value (a release without an
 * acquire is a bug).
 *
 * @example
 * ```ts
 * import { Effect, Exit } from "effect"
 * import * as asyncio from "@effect-asyncio/core"
 *
 * const semaphore = new asyncio.BoundedSemaphore(1)
 * Effect.runPromiseExit(semaphore.release()).then((exit) => console.log(Exit.isFailure(exit))) // true
 * ```
 * @category Synchronization primitives
 * @since 0.1.0
 */
export class BoundedSemaphore extends Semaphore {
  private readonly boundValue: number

  constructor(value = 1) {
    super(value)
    this.boundValue = value
  }

  /** `release`, synchronously: throws `ValueError` when released too many times. */
  override releaseUnsafe(): void {
    if (this.value >= this.boundValue) {
      throw new ValueError({ message: "BoundedSemaphore released too many times" })
    }
    super.releaseUnsafe()
  }
}
