/**
 * Ports of CPython 3.13's test_locks.py (LockTests, EventTests, ConditionTests, SemaphoreTests)
 * on virtual time, plus our own checks of the Effect-specific surface.
 */
import { assert, describe, it } from "@effect/vitest"
import * as asyncio from "@effect-asyncio/core"
import { Cause, Effect, Exit } from "effect"
import { runOk, runVirtual } from "./utils/virtual.js"

const sleep0 = asyncio.sleep(0)
/** `for _ in range(n): await asyncio.sleep(0)` */
const yields = (n: number) => Effect.repeat(sleep0, { times: n - 1 })

/** The defect an effect died with (asyncio's ValueError/TypeError), or undefined. */
const defectOf = <A, E>(exit: Exit.Exit<A, E>): unknown => {
  if (Exit.isSuccess(exit)) return undefined
  return exit.cause.reasons.find(Cause.isDieReason)?.defect
}

describe("Lock", () => {
  it.effect("test_repr: locked state and waiters", () =>
    Effect.gen(function* () {
      const { value } = yield* runOk(
        Effect.gen(function* () {
          const lock = new asyncio.Lock()
          const out = [lock.toString()]
          yield* lock.acquire()
          out.push(lock.toString())
          yield* asyncio.createTask(lock.acquire())
          yield* sleep0
          out.push(lock.toString())
          return out
        })
      )
      assert.deepStrictEqual(value, ["<Lock [unlocked]>", "<Lock [locked]>", "<Lock [locked, waiters:1]>"])
    })
  )

  it.effect("test_lock: acquire returns true and locks", () =>
    Effect.gen(function* () {
      const { value } = yield* runOk(
        Effect.gen(function* () {
          const lock = new asyncio.Lock()
          const acquired = yield* lock.acquire()
          const locked = lock.locked()
          yield* lock.release()
          return [acquired, locked, lock.locked()]
        })
      )
      assert.deepStrictEqual(value, [true, true, false])
    })
  )

  it.effect("test_lock_by_with_statement: use() holds the lock for the body only", () =>
    Effect.gen(function* () {
      const { value } = yield* runOk(
        Effect.gen(function* () {
          const lock = new asyncio.Lock()
          const inside = yield* lock.use(Effect.sync(() => lock.locked()))
          return [inside, lock.locked()]
        })
      )
      assert.deepStrictEqual(value, [true, false])
    })
  )

  it.effect("test_acquire: waiters acquire in FIFO order", () =>
    Effect.gen(function* () {
      const { value } = yield* runOk(
        Effect.gen(function* () {
          const lock = new asyncio.Lock()
          const result: number[] = []
          const snapshots: string[] = []
          const snap = () => snapshots.push(JSON.stringify(result))
          assert.isTrue(yield* lock.acquire())
          const c = (n: number) => Effect.as(Effect.tap(lock.acquire(), () => Effect.sync(() => result.push(n))), true)
          const t1 = yield* asyncio.createTask(c(1))
          const t2 = yield* asyncio.createTask(c(2))
          yield* sleep0
          snap()
          yield* lock.release()
          yield* sleep0
          snap()
          yield* sleep0
          snap()
          const t3 = yield* asyncio.createTask(c(3))
          yield* lock.release()
          yield* sleep0
          snap()
          yield* lock.release()
          yield* sleep0
          snap()
          return { snapshots, done: [t1.done(), t2.done(), t3.done()], results: [yield* t1, yield* t2, yield* t3] }
        })
      )
      assert.deepStrictEqual(value.snapshots, ["[]", "[1]", "[1]", "[1,2]", "[1,2,3]"])
      assert.deepStrictEqual(value.done, [true, true, true])
      assert.deepStrictEqual(value.results, [true, true, true])
    })
  )

  it.effect("test_acquire_cancel: a cancelled waiter leaves no trace", () =>
    Effect.gen(function* () {
      const { value } = yield* runOk(
        Effect.gen(function* () {
          const lock = new asyncio.Lock()
          yield* lock.acquire()
          const task = yield* asyncio.createTask(lock.acquire())
          yield* sleep0
          yield* task.cancel()
          const error = yield* Effect.flip(task)
          return [error._tag, lock.waitersCount(), lock.locked()]
        })
      )
      assert.deepStrictEqual(value, ["CancelledError", 0, true])
    })
  )

  it.effect("test_cancel_race: B cancelled while A releases, C gets the lock", () =>
    Effect.gen(function* () {
      const { value } = yield* runOk(
        Effect.gen(function* () {
          const lock = new asyncio.Lock()
          const fa = new asyncio.Event()
          const lockit = (blocker: asyncio.Event | undefined) =>
            lock.use(blocker === undefined ? Effect.void : blocker.wait())
          const ta = yield* asyncio.createTask(lockit(fa))
          yield* sleep0
          const lockedAfterA = lock.locked()
          const tb = yield* asyncio.createTask(lockit(undefined))
          yield* sleep0
          const w1 = lock.waitersCount()
          const tc = yield* asyncio.createTask(lockit(undefined))
          yield* sleep0
          const w2 = lock.waitersCount()
          yield* fa.set()
          yield* tb.cancel()
          yield* sleep0
          const mid = [lock.locked(), ta.done(), tb.cancelled()]
          yield* tc
          return { lockedAfterA, w1, w2, mid, end: lock.locked() }
        })
      )
      assert.deepStrictEqual(value, { lockedAfterA: true, w1: 1, w2: 2, mid: [false, true, true], end: false })
    })
  )

  it.effect("test_cancel_release_race: cancel + release in one step lets exactly one in", () =>
    Effect.gen(function* () {
      const { value } = yield* runOk(
        Effect.gen(function* () {
          const lock = new asyncio.Lock()
          let lockCount = 0
          let callCount = 0
          const lockit = Effect.gen(function* () {
            callCount += 1
            yield* lock.acquire()
            lockCount += 1
          })
          yield* lock.acquire()
          const t1 = yield* asyncio.createTask(lockit)
          const t2 = yield* asyncio.createTask(lockit)
          const t3 = yield* asyncio.createTask(lockit)
          yield* sleep0
          // trigger(): cancel t1 and release, in one callback
          yield* asyncio.createTask(Effect.andThen(t1.cancel(), lock.release()))
          const error = yield* Effect.flip(t1)
          // Effect resumes the awaiter of t1 as soon as t1 ends (inside trigger, before the
          // release), where asyncio schedules it: two turns let t2 run
          yield* yields(2)
          const mid = { lockCount, callCount, t1: t1.cancelled(), t2: t2.done() }
          yield* t3.cancel()
          yield* sleep0
          return { ...mid, error: error._tag, t3: t3.cancelled() }
        })
      )
      assert.deepStrictEqual(value, {
        lockCount: 1,
        callCount: 3,
        t1: true,
        t2: true,
        error: "CancelledError",
        t3: true
      })
    })
  )

  it.effect("test_finished_waiter_cancelled: a woken then cancelled waiter passes the lock on", () =>
    Effect.gen(function* () {
      const { value } = yield* runOk(
        Effect.gen(function* () {
          const lock = new asyncio.Lock()
          yield* lock.acquire()
          const tb = yield* asyncio.createTask(lock.acquire())
          yield* sleep0
          const w = lock.waitersCount()
          const tc = yield* asyncio.createTask(lock.acquire())
          yield* tb.cancel()
          yield* lock.release()
          yield* sleep0
          const mid = [lock.locked(), tb.cancelled()]
          yield* tc
          return { w, mid }
        })
      )
      assert.deepStrictEqual(value, { w: 1, mid: [true, true] })
    })
  )

  it.effect("test_finished_waiter_cancelled (woken first): release, then cancel before it runs", () =>
    Effect.gen(function* () {
      const { value } = yield* runOk(
        Effect.gen(function* () {
          const lock = new asyncio.Lock()
          yield* lock.acquire()
          const tb = yield* asyncio.createTask(lock.acquire())
          const tc = yield* asyncio.createTask(lock.acquire())
          yield* sleep0
          yield* lock.release() // tb is woken...
          yield* tb.cancel() // ...and cancelled before it runs: tc must get the lock
          yield* sleep0
          yield* sleep0
          return [tb.cancelled(), tc.done(), lock.locked(), lock.waitersCount()]
        })
      )
      assert.deepStrictEqual(value, [true, true, true, 0])
    })
  )

  it.effect("test_release_not_acquired: RuntimeError", () =>
    Effect.gen(function* () {
      const lock = new asyncio.Lock()
      const error = yield* Effect.flip(lock.release())
      assert.strictEqual(error._tag, "RuntimeError")
      assert.strictEqual(error.message, "Lock is not acquired.")
    })
  )

  it.effect("test_release_no_waiters: release unlocks", () =>
    Effect.gen(function* () {
      const lock = new asyncio.Lock()
      yield* lock.acquire()
      assert.isTrue(lock.locked())
      yield* lock.release()
      assert.isFalse(lock.locked())
    })
  )

  it.effect("test_context_manager: unlocked after the body, even when it fails", () =>
    Effect.gen(function* () {
      const lock = new asyncio.Lock()
      assert.isFalse(lock.locked())
      const inside = yield* lock.use(Effect.sync(() => lock.locked()))
      assert.isTrue(inside)
      assert.isFalse(lock.locked())
      const error = yield* Effect.flip(lock.use(Effect.fail("boom")))
      assert.strictEqual(error, "boom")
      assert.isFalse(lock.locked())
    })
  )

  it.effect("use(): a body that releases the lock itself makes the exit fail with RuntimeError", () =>
    Effect.gen(function* () {
      const lock = new asyncio.Lock()
      const error = yield* Effect.flip(lock.use(lock.release()))
      assert.strictEqual(error._tag, "RuntimeError")
    })
  )

  it.effect("use(): cancelled inside the body releases the lock for the next waiter", () =>
    Effect.gen(function* () {
      const { value } = yield* runOk(
        Effect.gen(function* () {
          const lock = new asyncio.Lock()
          const holder = yield* asyncio.createTask(lock.use(asyncio.sleep(10)))
          const next = yield* asyncio.createTask(lock.use(Effect.succeed("next")))
          yield* asyncio.sleep(1)
          yield* holder.cancel()
          return [yield* next, holder.cancelled(), lock.locked()]
        })
      )
      assert.deepStrictEqual(value, ["next", true, false])
    })
  )
})
