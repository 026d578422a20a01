/**
 * `asyncio.Barrier` (`locks.py`, 3.11+): a fixed number of tasks wait for each other.
 *
 * A port of CPython's state machine, on a `Condition`: the barrier fills until `parties` tasks
 * wait, drains as they leave, and is reset or broken on request.
 *
 * @since 0.1.0
 */
import { Effect } from "effect"
import { NodeInspectSymbol } from "effect/Inspectable"
import type { EventLoop } from "./events.js"
import { BrokenBarrierError } from "./exceptions.js"
import * as validate from "./internal/validate.js"
import { Condition } from "./locks.js"

/** CPython's `_BarrierState`. */
type BarrierState = "filling" | "draining" | "resetting" | "broken"

/**
 * `asyncio.Barrier(parties)`: `wait()` blocks until `parties` tasks are waiting, then releases
 * them all; each gets a distinct index from `0` to `parties - 1` (the last to arrive gets
 * `parties - 1`). Then the barrier can be used again. `abort()` breaks it: waiters and later
 * callers fail with `BrokenBarrierError`; `reset()` fails the current waiters and makes it
 * usable again.
 *
 * `async with barrier as index:` is `barrier.use((index) => body)`. `new Barrier(parties)` throws
 * asyncio's `ValueError` when `parties < 1`.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import * as asyncio from "@effect-asyncio/core"
 *
 * const barrier = new asyncio.Barrier(3)
 * const program = Effect.gen(function* () {
 *   const tasks = []
 *   for (let i = 0; i < 3; i++) tasks.push(yield* asyncio.createTask(barrier.wait()))
 *   const indices = []
 *   for (const task of tasks) indices.push(yield* task)
 *   return indices
 * })
 * asyncio.run(program).then(console.log) // [0, 1, 2]
 * ```
 * @category Synchronization primitives
 * @since 0.1.0
 */
export class Barrier {
  private readonly cond: Condition = new BarrierCondition(this)
  private state: BarrierState = "filling"
  /** tasks inside `wait()`: filling, or draining out */
  private count = 0
  private readonly partiesCount: number

  constructor(parties: number) {
    // CPython: `if parties < 1: raise ValueError('parties must be > 0')` (NaN passes: such a
    // barrier never fills, as in CPython)
    this.partiesCount = validate.count(parties, "parties", 1, "parties must be > 0")
  }

  /**
   * `await barrier.wait()`: waits until `parties` tasks wait, returns this task's arrival index.
   * Fails with `BrokenBarrierError` if the barrier is aborted or reset meanwhile.
   */
  wait(): Effect.Effect<number, BrokenBarrierError, EventLoop> {
    return this.holdingCondition(
      Effect.flatMap(this.block(), () =>
        Effect.suspend(() => {
          const index = this.count
          this.count += 1
          const arrive = index + 1 === this.partiesCount ? this.release() : this.waitReleased()
          return Effect.as(
            Effect.ensuring(
              arrive,
              Effect.sync(() => {
                this.count -= 1
                this.exit()
              })
            ),
            index
          )
        })
      )
    )
  }

  /** `async with barrier as index:` — waits at the barrier, then runs `body(index)`. */
  use<A, E, R>(
    body: (index: number) => Effect.Effect<A, E, R>
  ): Effect.Effect<A, E | BrokenBarrierError, R | EventLoop> {
    return Effect.suspend(() => {
      // checked before waiting; what the body returns, once it has its index
      const make = validate.func(body, "Barrier.use() body") as (index: number) => Effect.Effect<A, E, R>
      return Effect.flatMap(this.wait(), (index) => validate.returned(make(index), "Barrier.use() body"))
    })
  }

  /** `await barrier.reset()`: back to the empty state; current waiters get `BrokenBarrierError`. */
  reset(): Effect.Effect<void, never, EventLoop> {
    return this.holdingCondition(
      Effect.sync(() => {
        if (this.count > 0) this.state = "resetting"
        else this.state = "filling"
        this.cond.notifyUnsafe(Number.POSITIVE_INFINITY)
      })
    )
  }

  /** `await barrier.abort()`: breaks the barrier; waiters and later callers get `BrokenBarrierError`. */
  abort(): Effect.Effect<void, never, EventLoop> {
    return this.holdingCondition(
      Effect.sync(() => {
        this.state = "broken"
        this.cond.notifyUnsafe(Number.POSITIVE_INFINITY)
      })
    )
  }

  /** `barrier.parties`: the number of tasks needed to pass the barrier. */
  get parties(): number {
    return this.partiesCount
  }

  /** `barrier.n_waiting`: the number of tasks waiting while it fills. */
  get nWaiting(): number {
    return this.state === "filling" ? this.count : 0
  }

  /** `barrier.broken`: true once aborted. */
  get broken(): boolean {
    return this.state === "broken"
  }

  /** @internal what a task blocked here waits on (the deadlock report) */
  describeWait(): string {
    return `Barrier.wait() (${this.state}, ${this.nWaiting} of ${this.partiesCount} parties)`
  }

  /** asyncio's repr: `<Barrier [filling, waiters:1/3]>`, `<Barrier [broken]>`. */
  toString(): string {
    const waiters = this.broken ? "" : `, waiters:${this.nWaiting}/${this.partiesCount}`
    return `<Barrier [${this.state}${waiters}]>`
  }

  /** Node's `util.inspect` (`console.log(barrier)`) shows the repr, as `String(barrier)` does. */
  [NodeInspectSymbol](): string {
    return this.toString()
  }

  /** `async with self._cond:` for our own bodies, which never release the lock themselves. */
  private holdingCondition<A, E, R>(body: Effect.Effect<A, E, R>): Effect.Effect<A, E, R | EventLoop> {
    return Effect.uninterruptibleMask((restore) =>
      Effect.flatMap(restore(this.cond.acquire()), () =>
        Effect.ensuring(
          restore(body),
          Effect.sync(() => this.cond.lock.releaseUnsafe())
        )
      )
    )
  }

  /** The condition's `wait_for`, inside our own critical sections where the lock is held. */
  private waitUntil(predicate: () => boolean): Effect.Effect<void, never, EventLoop> {
    // the lock is held by construction: the RuntimeError of an unheld lock cannot happen
    return Effect.orDie(this.cond.waitFor(predicate))
  }

  /** Blocks while the barrier drains or resets. */
  private block(): Effect.Effect<void, BrokenBarrierError, EventLoop> {
    return Effect.flatMap(
      this.waitUntil(() => this.state !== "draining" && this.state !== "resetting"),
      () =>
        this.state === "broken"
          ? Effect.fail(new BrokenBarrierError({ message: "Barrier aborted" }))
          : Effect.void
    )
  }

  /** The last arrival releases everyone. */
  private release(): Effect.Effect<void> {
    return Effect.sync(() => {
      this.state = "draining"
      this.cond.notifyUnsafe(Number.POSITIVE_INFINITY)
    })
  }

  /** Waits for the last arrival (or an abort or reset). */
  private waitReleased(): Effect.Effect<void, BrokenBarrierError, EventLoop> {
    return Effect.flatMap(
      this.waitUntil(() => this.state !== "filling"),
      () =>
        this.state === "broken" || this.state === "resetting"
          ? Effect.fail(new BrokenBarrierError({ message: "Abort or reset of barrier" }))
          : Effect.void
    )
  }

  /** The last task out of a draining or resetting barrier makes it fill again. */
  private exit(): void {
    if (this.count === 0) {
      if (this.state === "resetting" || this.state === "draining") this.state = "filling"
      this.cond.notifyUnsafe(Number.POSITIVE_INFINITY)
    }
  }
}

/** The condition a barrier's tasks wait on, which names the barrier in the deadlock report. */
class BarrierCondition extends Condition {
  constructor(private readonly barrier: Barrier) {
    super()
  }

  override describeWaiter(): string {
    return this.barrier.describeWait()
  }
}
