/**
 * Ports of CPython 3.13's test_locks.py (LockTests, EventTests, ConditionTests, SemaphoreTests)
 * on virtual time, plus our own checks of the Effect-specific surface.
 */
import { assert, describe, it } from "@effect/vitest"
import * as asyncio from "@effect-asyncio/core"
import { Cause, Duration, Effect, Exit } from "effect"
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

/** runs `main` on virtual time and gives its value */
const value = <A, E>(main: Effect.Effect<A, E, asyncio.EventLoop>) => Effect.map(runOk(main), (r) => r.value)

describe("Event", () => {
  it.effect("test_repr: set state and waiters", () =>
    Effect.gen(function* () {
      const out = yield* value(
        Effect.gen(function* () {
          const ev = new asyncio.Event()
          const out = [ev.toString()]
          yield* ev.set()
          out.push(ev.toString())
          yield* ev.clear()
          yield* asyncio.createTask(ev.wait())
          yield* sleep0
          out.push(ev.toString())
          yield* ev.set()
          return out
        })
      )
      assert.deepStrictEqual(out, ["<Event [unset]>", "<Event [set]>", "<Event [unset, waiters:1]>"])
    })
  )

  it.effect("test_wait: set() wakes every waiter; a later waiter passes first", () =>
    Effect.gen(function* () {
      const out = yield* value(
        Effect.gen(function* () {
          const ev = new asyncio.Event()
          const result: number[] = []
          const c = (n: number) => Effect.flatMap(ev.wait(), (ok) => Effect.sync(() => ok && result.push(n)))
          const t1 = yield* asyncio.createTask(c(1))
          const t2 = yield* asyncio.createTask(c(2))
          yield* sleep0
          const before = [...result]
          const t3 = yield* asyncio.createTask(c(3))
          yield* ev.set()
          yield* sleep0
          return { before, result, done: [t1.done(), t2.done(), t3.done()] }
        })
      )
      assert.deepStrictEqual(out, { before: [], result: [3, 1, 2], done: [true, true, true] })
    })
  )

  it.effect("test_wait_on_set: returns true at once", () =>
    Effect.gen(function* () {
      const ev = new asyncio.Event()
      yield* ev.set()
      assert.isTrue(yield* ev.wait())
    })
  )

  it.effect("test_wait_cancel: a cancelled waiter is removed", () =>
    Effect.gen(function* () {
      const out = yield* value(
        Effect.gen(function* () {
          const ev = new asyncio.Event()
          const wait = yield* asyncio.createTask(ev.wait())
          yield* asyncio.createTask(wait.cancel())
          const error = yield* Effect.flip(wait)
          return [error._tag, ev.waitersCount()]
        })
      )
      assert.deepStrictEqual(out, ["CancelledError", 0])
    })
  )

  it.effect("test_clear: set and clear", () =>
    Effect.gen(function* () {
      const ev = new asyncio.Event()
      assert.isFalse(ev.isSet())
      yield* ev.set()
      assert.isTrue(ev.isSet())
      yield* ev.clear()
      assert.isFalse(ev.isSet())
    })
  )

  it.effect("test_clear_with_waiters: a set() undone by clear() still wakes the waiter", () =>
    Effect.gen(function* () {
      const out = yield* value(
        Effect.gen(function* () {
          const ev = new asyncio.Event()
          const result: number[] = []
          const t = yield* asyncio.createTask(
            Effect.flatMap(ev.wait(), (ok) => Effect.sync(() => (ok && result.push(1), true)))
          )
          yield* sleep0
          yield* ev.set()
          yield* ev.clear()
          const cleared = ev.isSet()
          yield* ev.set()
          yield* ev.set()
          const waiters = ev.waitersCount()
          yield* sleep0
          return { cleared, waiters, result, after: ev.waitersCount(), done: t.done(), value: yield* t }
        })
      )
      assert.deepStrictEqual(out, { cleared: false, waiters: 1, result: [1], after: 0, done: true, value: true })
    })
  )
})

describe("Condition", () => {
  const c = (cond: asyncio.Condition, result: number[], n: number, release: boolean) =>
    Effect.gen(function* () {
      yield* cond.acquire()
      if (yield* cond.wait()) {
        result.push(n)
        if (release) yield* cond.release()
      }
      return true
    })

  it.effect("test_wait: notified waiters run once they hold the lock again", () =>
    Effect.gen(function* () {
      const out = yield* value(
        Effect.gen(function* () {
          const cond = new asyncio.Condition()
          const result: number[] = []
          const steps: string[] = []
          const snap = () => steps.push(`${JSON.stringify(result)} ${cond.locked()}`)
          const tasks = [
            yield* asyncio.createTask(c(cond, result, 1, false)),
            yield* asyncio.createTask(c(cond, result, 2, false)),
            yield* asyncio.createTask(c(cond, result, 3, false))
          ]
          yield* sleep0
          snap()
          assert.isTrue(yield* cond.acquire())
          yield* cond.notify()
          yield* sleep0
          snap()
          yield* cond.release()
          yield* sleep0
          snap()
          yield* cond.notify(2)
          yield* sleep0
          snap()
          yield* cond.release()
          yield* sleep0
          snap()
          yield* cond.release()
          yield* sleep0
          snap()
          return { steps, done: tasks.map((t) => t.done()) }
        })
      )
      assert.deepStrictEqual(out, {
        steps: ["[] false", "[] true", "[1] true", "[1] true", "[1,2] true", "[1,2,3] true"],
        done: [true, true, true]
      })
    })
  )

  it.effect("test_wait_cancel: cancelled while waiting, it still re-acquires the lock", () =>
    Effect.gen(function* () {
      const out = yield* value(
        Effect.gen(function* () {
          const cond = new asyncio.Condition()
          yield* cond.acquire()
          const wait = yield* asyncio.createTask(cond.wait())
          yield* asyncio.createTask(wait.cancel())
          const error = yield* Effect.flip(wait)
          return [error._tag, cond.waitersCount(), cond.locked()]
        })
      )
      assert.deepStrictEqual(out, ["CancelledError", 0, true])
    })
  )

  it.effect("test_wait_cancel_contested: notified, cancel and release in the same turn", () =>
    Effect.gen(function* () {
      const out = yield* value(
        Effect.gen(function* () {
          const cond = new asyncio.Condition()
          yield* cond.acquire()
          const waitTask = yield* asyncio.createTask(cond.wait())
          yield* sleep0
          const unlocked = !cond.locked()
          yield* cond.acquire()
          yield* cond.notify()
          yield* asyncio.createTask(waitTask.cancel())
          yield* asyncio.createTask(cond.release())
          yield* Effect.exit(waitTask)
          return [unlocked, cond.locked()]
        })
      )
      // the waiter holds the lock again however its wait ended
      assert.deepStrictEqual(out, [true, true])
    })
  )

  it.effect("test_wait_cancel_after_notify: bpo-32841, cancelled while re-acquiring", () =>
    Effect.gen(function* () {
      const out = yield* value(
        Effect.gen(function* () {
          let waited = false
          const cond = new asyncio.Condition()
          const waiter = yield* asyncio.createTask(
            cond.use(Effect.andThen(Effect.sync(() => (waited = true)), cond.wait()))
          )
          yield* sleep0
          yield* cond.acquire()
          yield* cond.notify()
          yield* sleep0
          yield* waiter.cancel()
          yield* sleep0
          yield* cond.release()
          yield* sleep0
          yield* sleep0
          return [waiter.cancelled(), waited, cond.locked()]
        })
      )
      assert.deepStrictEqual(out, [true, true, false])
    })
  )

  it.effect("test_wait_unacquired: RuntimeError", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(new asyncio.Condition().wait())
      assert.strictEqual(error.message, "cannot wait on un-acquired lock")
    })
  )

  it.effect("test_wait_for: waits until the predicate holds", () =>
    Effect.gen(function* () {
      const out = yield* value(
        Effect.gen(function* () {
          const cond = new asyncio.Condition()
          let presult = false
          const result: number[] = []
          const t = yield* asyncio.createTask(
            Effect.gen(function* () {
              yield* cond.acquire()
              if (yield* cond.waitFor(() => presult)) {
                result.push(1)
                yield* cond.release()
              }
              return true
            })
          )
          yield* sleep0
          const steps = [[...result]]
          yield* cond.acquire()
          yield* cond.notify()
          yield* cond.release()
          yield* sleep0
          steps.push([...result])
          presult = true
          yield* cond.acquire()
          yield* cond.notify()
          yield* cond.release()
          yield* sleep0
          steps.push([...result])
          return { steps, done: t.done(), value: yield* t }
        })
      )
      assert.deepStrictEqual(out, { steps: [[], [], [1]], done: true, value: true })
    })
  )

  it.effect("test_wait_for_unacquired: a true predicate returns at once, else RuntimeError", () =>
    Effect.gen(function* () {
      const cond = new asyncio.Condition()
      assert.deepStrictEqual(yield* cond.waitFor(() => [1, 2, 3]), [1, 2, 3])
      const error = yield* Effect.flip(cond.waitFor(() => false))
      assert.strictEqual(error._tag, "RuntimeError")
    })
  )

  it.effect("test_notify: notify(n) wakes the first n waiters", () =>
    Effect.gen(function* () {
      const out = yield* value(
        Effect.gen(function* () {
          const cond = new asyncio.Condition()
          const result: number[] = []
          const tasks = []
          for (const n of [1, 2, 3]) tasks.push(yield* asyncio.createTask(c(cond, result, n, true)))
          yield* sleep0
          const steps = [[...result]]
          yield* cond.acquire()
          yield* cond.notify(1)
          yield* cond.release()
          yield* sleep0
          steps.push([...result])
          yield* cond.acquire()
          yield* cond.notify(1)
          yield* cond.notify(2048)
          yield* cond.release()
          yield* yields(3)
          steps.push([...result])
          return { steps, done: tasks.map((t) => t.done()) }
        })
      )
      assert.deepStrictEqual(out, { steps: [[], [1], [1, 2, 3]], done: [true, true, true] })
    })
  )

  it.effect("test_notify_all: wakes every waiter", () =>
    Effect.gen(function* () {
      const out = yield* value(
        Effect.gen(function* () {
          const cond = new asyncio.Condition()
          const result: number[] = []
          const t1 = yield* asyncio.createTask(c(cond, result, 1, true))
          const t2 = yield* asyncio.createTask(c(cond, result, 2, true))
          yield* sleep0
          yield* cond.acquire()
          yield* cond.notifyAll()
          yield* cond.release()
          yield* yields(2)
          return { result, done: [t1.done(), t2.done()] }
        })
      )
      assert.deepStrictEqual(out, { result: [1, 2], done: [true, true] })
    })
  )

  it.effect("test_notify_unacquired: RuntimeError", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(new asyncio.Condition().notify())
      assert.strictEqual(error.message, "cannot notify on un-acquired lock")
    })
  )

  it.effect("test_notify_all_unacquired: RuntimeError", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(new asyncio.Condition().notifyAll())
      assert.strictEqual(error.message, "cannot notify on un-acquired lock")
    })
  )

  it.effect("test_repr: lock state and waiters", () =>
    Effect.gen(function* () {
      const out = yield* value(
        Effect.gen(function* () {
          const cond = new asyncio.Condition()
          const out = [cond.toString()]
          yield* cond.acquire()
          out.push(cond.toString())
          yield* asyncio.createTask(cond.use(cond.wait()))
          yield* asyncio.createTask(cond.use(cond.wait()))
          yield* cond.release()
          yield* yields(2)
          out.push(cond.toString())
          return out
        })
      )
      assert.deepStrictEqual(out, ["<Condition [unlocked]>", "<Condition [locked]>", "<Condition [unlocked, waiters:2]>"])
    })
  )

  it.effect("test_context_manager: use() holds the lock", () =>
    Effect.gen(function* () {
      const cond = new asyncio.Condition()
      assert.isFalse(cond.locked())
      assert.isTrue(yield* cond.use(Effect.sync(() => cond.locked())))
      assert.isFalse(cond.locked())
    })
  )

  it.effect("test_explicit_lock: a condition shares the lock it is given", () =>
    Effect.gen(function* () {
      const f = (lock: asyncio.Lock, cond: asyncio.Condition) =>
        Effect.gen(function* () {
          assert.strictEqual(cond.lock, lock)
          assert.isFalse(lock.locked() || cond.locked())
          assert.isTrue(yield* cond.use(Effect.sync(() => lock.locked() && cond.locked())))
          assert.isFalse(lock.locked() || cond.locked())
          assert.isTrue(yield* lock.use(Effect.sync(() => lock.locked() && cond.locked())))
          assert.isFalse(lock.locked() || cond.locked())
        })
      const lock1 = new asyncio.Lock()
      yield* f(lock1, new asyncio.Condition(lock1))
      const cond2 = new asyncio.Condition()
      yield* f(cond2.lock, cond2)
    })
  )

  it.effect("test_timeout_in_block: a timed-out wait leaves the lock held", () =>
    Effect.gen(function* () {
      const out = yield* value(
        Effect.gen(function* () {
          const cond = new asyncio.Condition()
          return yield* cond.use(
            Effect.map(Effect.timeoutOption(cond.wait(), Duration.seconds(0.5)), (o) => [o._tag, cond.locked()])
          )
        })
      )
      assert.deepStrictEqual(out, ["None", true])
    })
  )

  it.effect("test_cancelled_error_wakeup: the cancel message comes out unchanged", () =>
    Effect.gen(function* () {
      const out = yield* value(
        Effect.gen(function* () {
          const cond = new asyncio.Condition()
          const task = yield* asyncio.createTask(cond.use(cond.waitFor(() => false)))
          yield* sleep0
          yield* task.cancel("foo")
          const error = yield* Effect.flip(task)
          return [error._tag, error.message, cond.locked()]
        })
      )
      assert.deepStrictEqual(out, ["CancelledError", "foo", false])
    })
  )

  it.effect("test_cancelled_error_re_aquire: cancelled while re-acquiring the lock", () =>
    Effect.gen(function* () {
      const out = yield* value(
        Effect.gen(function* () {
          let wake = false
          let reachedAfter = false
          const cond = new asyncio.Condition()
          const task = yield* asyncio.createTask(
            cond.use(Effect.andThen(cond.waitFor(() => wake), Effect.sync(() => (reachedAfter = true))))
          )
          yield* sleep0
          yield* cond.acquire()
          wake = true
          yield* cond.notify()
          yield* sleep0
          yield* task.cancel("foo")
          yield* cond.release()
          const error = yield* Effect.flip(task)
          return [error.message, reachedAfter, cond.locked()]
        })
      )
      assert.deepStrictEqual(out, ["foo", false, false])
    })
  )

  const consumerTest = (relock: boolean) =>
    Effect.gen(function* () {
      const condition = new asyncio.Condition()
      let state = 0
      const consumer = condition.use(
        Effect.gen(function* () {
          while (true) {
            yield* condition.waitFor(() => state !== 0)
            if (state < 0) return
            state -= 1
          }
        })
      )
      const c0 = yield* asyncio.createTask(consumer)
      const c1 = yield* asyncio.createTask(consumer)
      yield* sleep0
      const seen = yield* condition.use(
        Effect.gen(function* () {
          state += 1
          yield* condition.notify(1)
          if (relock) yield* sleep0
          yield* c0.cancel()
          yield* Effect.timeoutOption(
            condition.waitFor(() => state === 0),
            Duration.seconds(0.01)
          )
          const seen = state
          state = -1
          yield* condition.notifyAll()
          return seen
        })
      )
      yield* c1
      return [seen, c0.cancelled()]
    })

  it.effect("test_cancelled_wakeup: gh-112202, a notify raced by a cancel is not lost", () =>
    Effect.gen(function* () {
      assert.deepStrictEqual(yield* value(consumerTest(false)), [0, true])
    })
  )

  it.effect("test_cancelled_wakeup_relock: cancelled while re-acquiring, the notify passes on", () =>
    Effect.gen(function* () {
      assert.deepStrictEqual(yield* value(consumerTest(true)), [0, true])
    })
  )
})
