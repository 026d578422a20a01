import { assert, describe, it } from "@effect/vitest"
import * as asyncio from "@effect-asyncio/core"
import { Cause, Effect, Exit } from "effect"
import { runOk, runVirtual } from "./utils/virtual.js"

class ZeroDivisionError extends Error {}

const failure = (exit: Exit.Exit<unknown, unknown>): unknown =>
  Exit.isFailure(exit) ? Cause.squash(exit.cause) : undefined

describe("wait", () => {
  it.effect("test_wait: ALL_COMPLETED waits for every task; waiting again takes no time", () =>
    Effect.gen(function* () {
      const main = Effect.gen(function* () {
        const loop = yield* asyncio.EventLoop
        const a = yield* asyncio.createTask(asyncio.sleep(0.1))
        const b = yield* asyncio.createTask(asyncio.sleep(0.15))
        const first = yield* asyncio.wait([b, a])
        const t1 = loop.time()
        const second = yield* asyncio.wait([b, a])
        return [first.done.size, first.pending.size, t1, second.done.size, loop.time()]
      })
      const { value } = yield* runOk(main)
      assert.deepStrictEqual(value, [2, 0, 0.15, 2, 0.15])
    })
  )

  it.effect("test_wait_duplicate_coroutines: a task passed twice appears once", () =>
    Effect.gen(function* () {
      const main = Effect.gen(function* () {
        const c = yield* asyncio.createTask(Effect.succeed("test"))
        const d = yield* asyncio.createTask(Effect.succeed("spam"))
        const { done, pending } = yield* asyncio.wait([c, c, d])
        const results = yield* Effect.forEach([...done], (task) => task)
        return [pending.size, new Set(results)]
      })
      const { value } = yield* runOk(main)
      assert.deepStrictEqual(value, [0, new Set(["test", "spam"])])
    })
  )

  it.effect("test_wait_errors: an empty input or a bad returnWhen dies with ValueError", () =>
    Effect.gen(function* () {
      const { exit } = yield* runVirtual(asyncio.wait([]))
      assert.instanceOf(failure(exit), asyncio.ValueError)
      assert.match(String(failure(exit)), /Set of Tasks\/Futures is empty/)
      const main = Effect.gen(function* () {
        const task = yield* asyncio.createTask(asyncio.sleep(10))
        const bad: unknown = -1
        return yield* asyncio.wait([task], { returnWhen: bad as asyncio.ReturnWhen })
      })
      const { exit: badReturnWhen } = yield* runVirtual(main)
      assert.instanceOf(failure(badReturnWhen), asyncio.ValueError)
      assert.match(String(failure(badReturnWhen)), /Invalid return_when value/)
    })
  )

  it.effect("test_wait_first_completed: FIRST_COMPLETED returns at the first done task", () =>
    Effect.gen(function* () {
      const main = Effect.gen(function* () {
        const loop = yield* asyncio.EventLoop
        const a = yield* asyncio.createTask(asyncio.sleep(10))
        const b = yield* asyncio.createTask(asyncio.sleep(0.1))
        const { done, pending } = yield* asyncio.wait([b, a], { returnWhen: asyncio.FIRST_COMPLETED })
        return [done.has(b) && done.size === 1, pending.has(a) && pending.size === 1, a.done(), loop.time()]
      })
      const { value } = yield* runOk(main)
      assert.deepStrictEqual(value, [true, true, false, 0.1])
    })
  )

  it.effect("test_wait_really_done: tasks done by the time the waiter runs are in done", () =>
    Effect.gen(function* () {
      const main = Effect.gen(function* () {
        const a = yield* asyncio.createTask(asyncio.sleep(0))
        const b = yield* asyncio.createTask(Effect.andThen(asyncio.sleep(0), asyncio.sleep(0)))
        const { done, pending } = yield* asyncio.wait([b, a], { returnWhen: asyncio.FIRST_COMPLETED })
        return [done.has(a), done.has(b), pending.size]
      })
      const { value } = yield* runOk(main)
      assert.deepStrictEqual(value, [true, true, 0])
    })
  )

  it.effect("test_wait_first_exception: a task that already failed returns at once", () =>
    Effect.gen(function* () {
      const main = Effect.gen(function* () {
        const loop = yield* asyncio.EventLoop
        const a = yield* asyncio.createTask(asyncio.sleep(10))
        const b = yield* asyncio.createTask(Effect.fail(new ZeroDivisionError("err")))
        const { done, pending } = yield* asyncio.wait([b, a], { returnWhen: asyncio.FIRST_EXCEPTION })
        return [done.has(b) && done.size === 1, pending.has(a) && pending.size === 1, loop.time()]
      })
      const { value } = yield* runOk(main)
      assert.deepStrictEqual(value, [true, true, 0])
    })
  )

  it.effect("test_wait_first_exception_in_wait: a failure while waiting returns", () =>
    Effect.gen(function* () {
      const main = Effect.gen(function* () {
        const loop = yield* asyncio.EventLoop
        const a = yield* asyncio.createTask(asyncio.sleep(10))
        const b = yield* asyncio.createTask(
          Effect.andThen(asyncio.sleep(0.01), Effect.fail(new ZeroDivisionError()))
        )
        const { done, pending } = yield* asyncio.wait([b, a], { returnWhen: asyncio.FIRST_EXCEPTION })
        return [done.has(b) && done.size === 1, pending.has(a), loop.time()]
      })
      const { value } = yield* runOk(main)
      assert.deepStrictEqual(value, [true, true, 0.01])
    })
  )

  it.effect("FIRST_EXCEPTION: cancellations do not count, a defect does", () =>
    Effect.gen(function* () {
      const main = Effect.gen(function* () {
        const loop = yield* asyncio.EventLoop
        const a = yield* asyncio.createTask(asyncio.sleep(10))
        const b = yield* asyncio.createTask(asyncio.sleep(5))
        const c = yield* asyncio.createTask(
          Effect.andThen(asyncio.sleep(2), Effect.die(new ZeroDivisionError()))
        )
        yield* asyncio.createTask(Effect.andThen(asyncio.sleep(1), b.cancel()))
        const { done } = yield* asyncio.wait([a, b, c], { returnWhen: asyncio.FIRST_EXCEPTION })
        return [done.size, loop.time()]
      })
      const { value } = yield* runOk(main)
      assert.deepStrictEqual(value, [2, 2])
    })
  )

  it.effect("test_wait_with_exception: a failed task is in done, its error readable", () =>
    Effect.gen(function* () {
      const main = Effect.gen(function* () {
        const loop = yield* asyncio.EventLoop
        const a = yield* asyncio.createTask(asyncio.sleep(0.1))
        const b = yield* asyncio.createTask(
          Effect.andThen(asyncio.sleep(0.15), Effect.fail(new ZeroDivisionError()))
        )
        const { done, pending } = yield* asyncio.wait([b, a])
        let errors = 0
        for (const task of done) if ((yield* task.exception()) !== undefined) errors += 1
        return [done.size, pending.size, errors, loop.time()]
      })
      const { value } = yield* runOk(main)
      assert.deepStrictEqual(value, [2, 0, 1, 0.15])
    })
  )

  it.effect("test_wait_with_timeout: the timeout returns early and cancels nothing", () =>
    Effect.gen(function* () {
      const main = Effect.gen(function* () {
        const loop = yield* asyncio.EventLoop
        const a = yield* asyncio.createTask(asyncio.sleep(0.1))
        const b = yield* asyncio.createTask(asyncio.sleep(0.15, "b"))
        const { done, pending } = yield* asyncio.wait([b, a], { timeout: 0.11 })
        const t = loop.time()
        return [done.has(a), pending.has(b), t, b.cancelled(), yield* b]
      })
      const { value } = yield* runOk(main)
      assert.deepStrictEqual(value, [true, true, 0.11, false, "b"])
    })
  )

  it.effect("test_wait_concurrent_complete: a task done at the timeout is in done", () =>
    Effect.gen(function* () {
      const main = Effect.gen(function* () {
        const loop = yield* asyncio.EventLoop
        const a = yield* asyncio.createTask(asyncio.sleep(0.1))
        const b = yield* asyncio.createTask(asyncio.sleep(0.15))
        // CPython runs wait() as a task, which starts after a and b: their sleeps come first
        yield* asyncio.sleep(0)
        const { done, pending } = yield* asyncio.wait([b, a], { timeout: 0.1 })
        return [done.has(a) && done.size === 1, pending.has(b), loop.time()]
      })
      const { value } = yield* runOk(main)
      assert.deepStrictEqual(value, [true, true, 0.1])
    })
  )

  it.effect("test_wait_with_iterator_of_tasks: any iterable of tasks", () =>
    Effect.gen(function* () {
      const main = Effect.gen(function* () {
        const a = yield* asyncio.createTask(asyncio.sleep(0.1))
        const b = yield* asyncio.createTask(asyncio.sleep(0.15))
        const { done, pending } = yield* asyncio.wait([b, a][Symbol.iterator]())
        return [done.size, pending.size]
      })
      const { value } = yield* runOk(main)
      assert.deepStrictEqual(value, [2, 0])
    })
  )

  it.effect("test_wait_generator: a generator of tasks", () =>
    Effect.gen(function* () {
      const main = Effect.gen(function* () {
        const tasks: Array<asyncio.Task<number>> = []
        for (let i = 0; i < 10; i++) tasks.push(yield* asyncio.createTask(Effect.succeed(i)))
        function* generate() {
          yield* tasks
        }
        const { done, pending } = yield* asyncio.wait(generate(), { returnWhen: asyncio.ALL_COMPLETED })
        return [done.size, pending.size]
      })
      const { value } = yield* runOk(main)
      assert.deepStrictEqual(value, [10, 0])
    })
  )

  it.effect("test_wait_invalid_args: a single task or a bare effect dies with TypeError", () =>
    Effect.gen(function* () {
      const main = Effect.gen(function* () {
        const task = yield* asyncio.createTask(asyncio.sleep(1))
        const single: unknown = task
        return yield* Effect.exit(asyncio.wait(single as Array<asyncio.Task<void>>))
      })
      const { value } = yield* runOk(main)
      assert.match(String(failure(value)), /expect a list of futures/)
      const bare: unknown = [asyncio.sleep(1)]
      const { exit } = yield* runVirtual(asyncio.wait(bare as Array<asyncio.Task<void>>))
      assert.instanceOf(failure(exit), asyncio.TypeError)
      assert.match(String(failure(exit)), /Passing coroutines is forbidden/)
    })
  )

  it.effect(
    "test_yield_wait_does_not_shield_cancel: cancelling a waiter leaves the tasks running, removes its callbacks",
    () =>
      Effect.gen(function* () {
        const main = Effect.gen(function* () {
          const a = yield* asyncio.createTask(asyncio.sleep(2, "a"))
          const waiter = yield* asyncio.createTask(asyncio.wait([a]))
          yield* asyncio.sleep(1)
          yield* waiter.cancel()
          const error = yield* Effect.flip(waiter)
          return [error._tag, a.cancelled(), a.removeDoneCallback(() => {}), yield* a]
        })
        const { value } = yield* runOk(main)
        assert.deepStrictEqual(value, ["CancelledError", false, 0, "a"])
      })
  )

  it.effect("the timeout is a timer of the loop: one set earlier for the same deadline fires first", () =>
    Effect.gen(function* () {
      // CPython 3.13 (loop time frozen between steps, as under TestClock): b's sleep(1) is set
      // before wait's call_later(1), both fire in one _run_once, b's first; b is done when the
      // waiter resumes: `wait([b], timeout=1)` -> 1 done, 0 pending
      const main = Effect.gen(function* () {
        // a timer due earlier arms the loop first (its wakeup is then re-armed for t=1)
        yield* asyncio.createTask(asyncio.sleep(0.5))
        const b = yield* asyncio.createTask(asyncio.sleep(1, "b"))
        yield* asyncio.sleep(0)
        const { done, pending } = yield* asyncio.wait([b], { timeout: 1 })
        return [done.size, pending.size]
      })
      const { value, elapsed } = yield* runOk(main)
      assert.deepStrictEqual(value, [1, 0])
      assert.strictEqual(elapsed, 1)
    })
  )
})
