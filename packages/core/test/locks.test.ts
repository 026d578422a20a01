/**
 * Ports of CPython 3.13's test_locks.py (LockTests, EventTests, ConditionTests, SemaphoreTests)
 * on virtual time, plus our own checks of the Effect-specific surface.
 */
import { assert, describe, it } from "@effect/vitest"
import * as asyncio from "@effect-asyncio/core"
import { Cause, Effect, Exit } from "effect"
import { inTask, runOk } from "./utils/virtual.js"

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
          const c = (n: number) =>
            Effect.as(
              Effect.tap(lock.acquire(), () => Effect.sync(() => result.push(n))),
              true
            )
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
          return {
            snapshots,
            done: [t1.done(), t2.done(), t3.done()],
            results: [yield* t1, yield* t2, yield* t3]
          }
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
      assert.deepStrictEqual(value, {
        lockedAfterA: true,
        w1: 1,
        w2: 2,
        mid: [false, true, true],
        end: false
      })
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
    inTask(
      Effect.gen(function* () {
        const lock = new asyncio.Lock()
        yield* lock.acquire()
        assert.isTrue(lock.locked())
        yield* lock.release()
        assert.isFalse(lock.locked())
      })
    )
  )

  it.effect("test_context_manager: unlocked after the body, even when it fails", () =>
    inTask(
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
  )

  it.effect("use(): a body that releases the lock itself makes the exit fail with RuntimeError", () =>
    inTask(
      Effect.gen(function* () {
        const lock = new asyncio.Lock()
        const error = yield* Effect.flip(lock.use(lock.release()))
        assert.strictEqual(error._tag, "RuntimeError")
      })
    )
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
    inTask(
      Effect.gen(function* () {
        const ev = new asyncio.Event()
        yield* ev.set()
        assert.isTrue(yield* ev.wait())
      })
    )
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
            Effect.flatMap(ev.wait(), (ok) =>
              Effect.sync(() => {
                if (ok) result.push(1)
                return true
              })
            )
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
      assert.deepStrictEqual(out, {
        cleared: false,
        waiters: 1,
        result: [1],
        after: 0,
        done: true,
        value: true
      })
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
            cond.use(
              Effect.andThen(
                Effect.sync(() => (waited = true)),
                cond.wait()
              )
            )
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
    inTask(
      Effect.gen(function* () {
        const error = yield* Effect.flip(new asyncio.Condition().wait())
        assert.strictEqual(error.message, "cannot wait on un-acquired lock")
      })
    )
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
    inTask(
      Effect.gen(function* () {
        const cond = new asyncio.Condition()
        assert.deepStrictEqual(yield* cond.waitFor(() => [1, 2, 3]), [1, 2, 3])
        const error = yield* Effect.flip(cond.waitFor(() => false))
        assert.strictEqual(error._tag, "RuntimeError")
      })
    )
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
          yield* sleep0
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
          yield* sleep0
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
      assert.deepStrictEqual(out, [
        "<Condition [unlocked]>",
        "<Condition [locked]>",
        "<Condition [unlocked, waiters:2]>"
      ])
    })
  )

  it.effect("test_context_manager: use() holds the lock", () =>
    inTask(
      Effect.gen(function* () {
        const cond = new asyncio.Condition()
        assert.isFalse(cond.locked())
        assert.isTrue(yield* cond.use(Effect.sync(() => cond.locked())))
        assert.isFalse(cond.locked())
      })
    )
  )

  it.effect("test_explicit_lock: a condition shares the lock it is given", () =>
    inTask(
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
  )

  it.effect("test_timeout_in_block: a timed-out wait leaves the lock held", () =>
    Effect.gen(function* () {
      const out = yield* value(
        Effect.gen(function* () {
          const cond = new asyncio.Condition()
          return yield* cond.use(
            Effect.map(Effect.flip(asyncio.waitFor(cond.wait(), 0.5)), (e) => [e._tag, cond.locked()])
          )
        })
      )
      assert.deepStrictEqual(out, ["TimeoutError", true])
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
            cond.use(
              Effect.andThen(
                cond.waitFor(() => wake),
                Effect.sync(() => (reachedAfter = true))
              )
            )
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
          yield* asyncio
            .timeout(
              0.01,
              condition.waitFor(() => state === 0)
            )
            .pipe(Effect.catchTag("TimeoutError", () => Effect.void))
          const seen = state
          state = -1
          yield* condition.notifyAll()
          return seen
        })
      )
      yield* c1
      return [seen, c0.cancelled()]
    })

  it.effect("test_cancelled_wakeup: a notify raced by a cancel is not lost", () =>
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

describe("Semaphore", () => {
  /** awaits every task, keeping failures (gather(..., return_exceptions=True)) */
  const settleAll = (tasks: ReadonlyArray<asyncio.Task<unknown, unknown>>) =>
    Effect.forEach(tasks, (task) => Effect.exit(task))

  it.effect("test_initial_value_zero: locked", () =>
    Effect.sync(() => assert.isTrue(new asyncio.Semaphore(0).locked()))
  )

  it.effect("test_repr: value and waiters", () =>
    Effect.gen(function* () {
      const out = yield* value(
        Effect.gen(function* () {
          const sem = new asyncio.Semaphore()
          const out = [sem.toString()]
          yield* sem.acquire()
          out.push(sem.toString())
          yield* asyncio.createTask(sem.acquire())
          yield* asyncio.createTask(sem.acquire())
          yield* sleep0
          out.push(sem.toString())
          return out
        })
      )
      assert.deepStrictEqual(out, [
        "<Semaphore [unlocked, value:1]>",
        "<Semaphore [locked]>",
        "<Semaphore [locked, waiters:2]>"
      ])
    })
  )

  it.effect("test_semaphore: default value 1", () =>
    Effect.sync(() => {
      const sem = new asyncio.Semaphore()
      assert.strictEqual(sem.permits(), 1)
      assert.isFalse(sem.locked())
    })
  )

  it.effect("test_semaphore_value: a negative value is asyncio's ValueError (a defect)", () =>
    Effect.gen(function* () {
      const exit = yield* Effect.exit(Effect.sync(() => new asyncio.Semaphore(-1)))
      assert.instanceOf(defectOf(exit), asyncio.ValueError)
      const minusInfinity = yield* Effect.exit(
        Effect.sync(() => new asyncio.BoundedSemaphore(Number.NEGATIVE_INFINITY))
      )
      assert.instanceOf(defectOf(minusInfinity), asyncio.ValueError)
      // CPython compares `value < 0`: NaN passes (and `NaN == 0` is false: it never blocks)
      assert.isFalse(new asyncio.BoundedSemaphore(Number.NaN).locked())
      // untyped callers: a non-number is a TypeError
      const bad = yield* Effect.exit(Effect.sync(() => new asyncio.Semaphore("3" as unknown as number)))
      assert.instanceOf(defectOf(bad), asyncio.TypeError)
    })
  )

  it.effect("test_acquire: permits are handed out in FIFO order", () =>
    Effect.gen(function* () {
      const out = yield* value(
        Effect.gen(function* () {
          const sem = new asyncio.Semaphore(3)
          const result: number[] = []
          assert.isTrue(yield* sem.acquire())
          assert.isTrue(yield* sem.acquire())
          assert.isFalse(sem.locked())
          const c = (n: number) =>
            Effect.as(
              Effect.andThen(
                sem.acquire(),
                Effect.sync(() => result.push(n))
              ),
              true
            )
          const t1 = yield* asyncio.createTask(c(1))
          const t2 = yield* asyncio.createTask(c(2))
          const t3 = yield* asyncio.createTask(c(3))
          yield* sleep0
          const a = [[...result], sem.locked(), sem.waitersCount(), sem.permits()]
          const t4 = yield* asyncio.createTask(c(4))
          yield* sem.release()
          yield* sem.release()
          const b = sem.permits()
          yield* sleep0
          const d = [result.length, sem.locked(), sem.waitersCount(), sem.permits(), t1.done()]
          const raced = [t2, t3, t4].filter((t) => t.done()).length
          yield* sem.release()
          yield* settleAll([t2, t3, t4])
          return { a, b, d, raced, result }
        })
      )
      assert.deepStrictEqual(out, {
        a: [[1], true, 2, 0],
        b: 0,
        d: [3, true, 1, 0, true],
        raced: 2,
        result: [1, 2, 3, 4]
      })
    })
  )

  it.effect("test_acquire_cancel: the cancelled waiter leaves", () =>
    Effect.gen(function* () {
      const out = yield* value(
        Effect.gen(function* () {
          const sem = new asyncio.Semaphore()
          yield* sem.acquire()
          const acquire = yield* asyncio.createTask(sem.acquire())
          yield* asyncio.createTask(acquire.cancel())
          const error = yield* Effect.flip(acquire)
          return [error._tag, sem.waitersCount(), sem.permits()]
        })
      )
      assert.deepStrictEqual(out, ["CancelledError", 0, 0])
    })
  )

  it.effect("test_acquire_cancel_before_awoken: the permit goes to the first live waiter", () =>
    Effect.gen(function* () {
      const out = yield* value(
        Effect.gen(function* () {
          const sem = new asyncio.Semaphore(0)
          const [t1, t2, t3, t4] = [
            yield* asyncio.createTask(sem.acquire()),
            yield* asyncio.createTask(sem.acquire()),
            yield* asyncio.createTask(sem.acquire()),
            yield* asyncio.createTask(sem.acquire())
          ]
          yield* sleep0
          yield* t1.cancel()
          yield* t2.cancel()
          yield* sem.release()
          yield* yields(2)
          const r = [t3.done(), t4.done()]
          yield* t3.cancel()
          yield* t4.cancel()
          yield* sleep0
          return r
        })
      )
      assert.deepStrictEqual(out, [true, false])
    })
  )

  it.effect("test_acquire_hang: a cancelled first waiter does not keep the permit", () =>
    Effect.gen(function* () {
      const out = yield* value(
        Effect.gen(function* () {
          const sem = new asyncio.Semaphore(0)
          const t1 = yield* asyncio.createTask(sem.acquire())
          const t2 = yield* asyncio.createTask(sem.acquire())
          yield* sleep0
          yield* t1.cancel()
          yield* sem.release()
          yield* yields(2)
          return [sem.locked(), t2.done()]
        })
      )
      assert.deepStrictEqual(out, [true, true])
    })
  )

  it.effect("test_acquire_no_hang: a waiter woken then cancelled gives the permit back", () =>
    Effect.gen(function* () {
      const out = yield* value(
        Effect.gen(function* () {
          const sem = new asyncio.Semaphore(1)
          let t2: asyncio.Task<void, never> | undefined
          let entered = false
          const t1 = yield* asyncio.createTask(
            Effect.andThen(
              sem.use(sleep0),
              Effect.suspend(() => (t2 === undefined ? Effect.void : Effect.asVoid(t2.cancel())))
            )
          )
          t2 = yield* asyncio.createTask(sem.use(Effect.sync(() => (entered = true))).pipe(Effect.asVoid))
          const [r1, r2] = yield* settleAll([t1, t2])
          const reacquired = yield* asyncio.waitFor(sem.acquire(), 1.0)
          return [
            Exit.isSuccess(r1 as Exit.Exit<unknown, unknown>),
            r2 !== undefined && Exit.isFailure(r2),
            entered,
            reacquired
          ]
        })
      )
      assert.deepStrictEqual(out, [true, true, false, true])
    })
  )

  it.effect("test_release_not_acquired: BoundedSemaphore over-release is asyncio's ValueError", () =>
    inTask(
      Effect.gen(function* () {
        const sem = new asyncio.BoundedSemaphore()
        const exit = yield* Effect.exit(sem.release())
        const defect = defectOf(exit)
        assert.instanceOf(defect, asyncio.ValueError)
        assert.strictEqual((defect as asyncio.ValueError).message, "BoundedSemaphore released too many times")
        assert.strictEqual(sem.permits(), 1)
        yield* sem.acquire()
        yield* sem.release()
        assert.strictEqual(sem.toString(), "<BoundedSemaphore [unlocked, value:1]>")
      })
    )
  )

  it.effect("test_release_no_waiters: release unlocks", () =>
    inTask(
      Effect.gen(function* () {
        const sem = new asyncio.Semaphore()
        yield* sem.acquire()
        assert.isTrue(sem.locked())
        yield* sem.release()
        assert.isFalse(sem.locked())
      })
    )
  )

  it.effect("test_acquire_fifo_order: re-acquiring queues behind earlier waiters", () =>
    Effect.gen(function* () {
      const out = yield* value(
        Effect.gen(function* () {
          const sem = new asyncio.Semaphore(1)
          const result: string[] = []
          const coro = (tag: string) =>
            Effect.gen(function* () {
              yield* sem.acquire()
              result.push(`${tag}_1`)
              yield* asyncio.sleep(0.01)
              yield* sem.release()
              yield* sem.acquire()
              result.push(`${tag}_2`)
              yield* asyncio.sleep(0.01)
              yield* sem.release()
            })
          const tasks = [
            yield* asyncio.createTask(coro("c1")),
            yield* asyncio.createTask(coro("c2")),
            yield* asyncio.createTask(coro("c3"))
          ]
          yield* settleAll(tasks)
          return result
        })
      )
      assert.deepStrictEqual(out, ["c1_1", "c2_1", "c3_1", "c1_2", "c2_2", "c3_2"])
    })
  )

  it.effect("test_acquire_fifo_order_2: a release-then-acquire goes to the back", () =>
    Effect.gen(function* () {
      const out = yield* value(
        Effect.gen(function* () {
          const sem = new asyncio.Semaphore(1)
          const result: number[] = []
          const push = (n: number) => Effect.sync(() => result.push(n))
          const t1 = yield* asyncio.createTask(Effect.andThen(sem.acquire(), push(1)))
          const t2 = yield* asyncio.createTask(
            Effect.gen(function* () {
              yield* sem.acquire()
              yield* push(2)
              yield* sem.release()
              yield* sem.acquire()
              yield* push(4)
            })
          )
          const t3 = yield* asyncio.createTask(Effect.andThen(sem.acquire(), push(3)))
          yield* sleep0
          yield* sem.release()
          yield* sem.release()
          yield* settleAll([t1, t2, t3])
          return result
        })
      )
      assert.deepStrictEqual(out, [1, 2, 3, 4])
    })
  )

  it.effect("test_acquire_fifo_order_3: a cancelled waiter is skipped", () =>
    Effect.gen(function* () {
      const out = yield* value(
        Effect.gen(function* () {
          const sem = new asyncio.Semaphore(0)
          const result: number[] = []
          const c = (n: number) =>
            Effect.andThen(
              sem.acquire(),
              Effect.sync(() => result.push(n))
            )
          const tasks = [
            yield* asyncio.createTask(c(1)),
            yield* asyncio.createTask(c(2)),
            yield* asyncio.createTask(c(3))
          ]
          yield* sleep0
          yield* tasks[0]?.cancel() ?? Effect.void
          yield* sleep0
          yield* sem.release()
          yield* sem.release()
          yield* settleAll(tasks)
          return result
        })
      )
      assert.deepStrictEqual(out, [2, 3])
    })
  )

  it.effect("test_acquire_fifo_order_4: a successful acquire wakes the next waiters", () =>
    Effect.gen(function* () {
      const out = yield* value(
        Effect.gen(function* () {
          const sem = new asyncio.Semaphore(0)
          const result: number[] = []
          const checks: unknown[] = []
          let t4: asyncio.Task<void, never> | undefined
          const push = (n: number) => Effect.sync(() => void result.push(n))
          const t1 = yield* asyncio.createTask(
            Effect.gen(function* () {
              checks.push(sem.permits())
              yield* sem.acquire()
              checks.push(sem.permits())
              t4 = yield* asyncio.createTask(push(4))
              yield* push(1)
            })
          )
          const t2 = yield* asyncio.createTask(
            Effect.gen(function* () {
              yield* sem.release()
              yield* sem.release()
              yield* sem.release()
              checks.push(sem.permits(), sem.locked())
              yield* sem.acquire()
              yield* push(2)
            })
          )
          const t3 = yield* asyncio.createTask(
            Effect.gen(function* () {
              yield* sem.acquire()
              checks.push(sem.locked())
              yield* push(3)
            })
          )
          yield* sleep0
          const mid = [sem.permits(), sem.waitersCount()]
          yield* sleep0
          yield* settleAll([t1, t2, t3])
          if (t4 !== undefined) yield* t4
          return { checks, mid, result }
        })
      )
      assert.deepStrictEqual(out, { checks: [0, 2, true, 0, true], mid: [2, 3], result: [1, 2, 3, 4] })
    })
  )

  it.effect("use(): permits are returned however the body ends", () =>
    inTask(
      Effect.gen(function* () {
        const sem = new asyncio.Semaphore(2)
        const error = yield* Effect.flip(sem.use(Effect.fail("boom")))
        assert.strictEqual(error, "boom")
        assert.strictEqual(sem.permits(), 2)
        const died = yield* Effect.exit(sem.use(Effect.die("bug")))
        assert.isTrue(Exit.isFailure(died))
        assert.strictEqual(sem.permits(), 2)
      })
    )
  )

  it.effect("seed: 10 fetches through Semaphore(3) run at most three at a time", () =>
    Effect.gen(function* () {
      const { value: out, elapsed } = yield* runOk(
        Effect.gen(function* () {
          const semaphore = new asyncio.Semaphore(3)
          let active = 0
          let maxActive = 0
          const log: string[] = []
          const fetch = (url: number) =>
            semaphore.use(
              Effect.gen(function* () {
                active += 1
                maxActive = Math.max(maxActive, active)
                log.push(`start ${url}`)
                yield* asyncio.sleep(1)
                active -= 1
                return `page ${url}`
              })
            )
          const tasks = []
          for (let url = 0; url < 10; url++) tasks.push(yield* asyncio.createTask(fetch(url)))
          const pages = []
          for (const task of tasks) pages.push(yield* task)
          return { maxActive, pages, log }
        })
      )
      assert.strictEqual(out.maxActive, 3)
      assert.strictEqual(out.pages.length, 10)
      assert.deepStrictEqual(
        out.log,
        Array.from({ length: 10 }, (_, i) => `start ${i}`)
      )
      // ceil(10 / 3) rounds of one second
      assert.strictEqual(elapsed, 4)
    })
  )
})
