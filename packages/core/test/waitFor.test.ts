import { assert, describe, it } from "@effect/vitest"
import * as asyncio from "@effect-asyncio/core"
import { Cause, Deferred, Effect, Exit } from "effect"
import { runOk, runVirtual } from "./utils/virtual.js"

const EPSILON = 0.001

/** test_waitfor.py's SlowTask: sleeps, and records that it exited. */
const slowTask = () => {
  const state = { exited: false }
  const run = asyncio.sleep(0.2).pipe(Effect.ensuring(Effect.sync(() => (state.exited = true))))
  return { state, run }
}

const failure = (exit: Exit.Exit<unknown, unknown>): unknown =>
  Exit.isFailure(exit) ? Cause.squash(exit.cause) : undefined

describe("waitFor", () => {
  it.effect("test_asyncio_wait_for_cancelled: cancelling the waiter cancels the effect", () =>
    Effect.gen(function* () {
      const t = slowTask()
      const main = Effect.gen(function* () {
        const waitForTask = yield* asyncio.createTask(asyncio.waitFor(t.run, 0.4))
        yield* asyncio.sleep(0)
        yield* waitForTask.cancel()
        yield* asyncio.wait([waitForTask])
        return waitForTask.cancelled()
      })
      const { value, elapsed } = yield* runOk(main)
      assert.isTrue(value)
      assert.isTrue(t.state.exited)
      assert.strictEqual(elapsed, 0)
    })
  )

  it.effect("test_asyncio_wait_for_timeout: on expiry the effect is cancelled and exits", () =>
    Effect.gen(function* () {
      const t = slowTask()
      const { value, elapsed } = yield* runOk(Effect.flip(asyncio.waitFor(t.run, 0.1)))
      assert.instanceOf(value, asyncio.TimeoutError)
      assert.isTrue(t.state.exited)
      assert.closeTo(elapsed, 0.1, 1e-9)
    })
  )

  it.effect("test_wait_for_timeout_less_then_0_or_0_future_done: a done task gives its result", () =>
    Effect.gen(function* () {
      const main = Effect.gen(function* () {
        const fut = yield* asyncio.createTask(Effect.succeed("done"))
        yield* asyncio.sleep(0)
        const result = yield* asyncio.waitFor(fut, 0)
        return [result, fut.done()]
      })
      const { value } = yield* runOk(main)
      assert.deepStrictEqual(value, ["done", true])
    })
  )

  it.effect("test_wait_for_timeout_less_then_0_or_0_coroutine_do_not_started: never runs the effect", () =>
    Effect.gen(function* () {
      let started = false
      const foo = Effect.sync(() => {
        started = true
      })
      const { value } = yield* runOk(Effect.flip(asyncio.waitFor(foo, 0)))
      assert.instanceOf(value, asyncio.TimeoutError)
      assert.isFalse(started)
    })
  )

  for (const timeout of [0, -1]) {
    it.effect(
      `test_wait_for_timeout_less_then_0_or_0 (timeout=${timeout}): a running task is cancelled`,
      () =>
        Effect.gen(function* () {
          let running: boolean | undefined
          const main = Effect.gen(function* () {
            const started = yield* Deferred.make<void>()
            const foo = Effect.gen(function* () {
              running = true
              yield* Deferred.succeed(started, undefined)
              yield* asyncio.sleep(10)
              return "done"
            }).pipe(Effect.ensuring(Effect.sync(() => (running = false))))
            const fut = yield* asyncio.createTask(foo)
            yield* Deferred.await(started)
            const error = yield* Effect.flip(asyncio.waitFor(fut, timeout))
            return [error._tag, fut.done(), fut.cancelled()]
          })
          const { value } = yield* runOk(main)
          assert.deepStrictEqual(value, ["TimeoutError", true, true])
          assert.isFalse(running)
        })
    )
  }

  it.effect("test_wait_for: a task that takes too long is cancelled", () =>
    Effect.gen(function* () {
      let running: boolean | undefined
      const main = Effect.gen(function* () {
        const foo = Effect.andThen(
          Effect.sync(() => (running = true)),
          asyncio.sleep(300)
        ).pipe(Effect.ensuring(Effect.sync(() => (running = false))), Effect.as("done"))
        const fut = yield* asyncio.createTask(foo)
        const error = yield* Effect.flip(asyncio.waitFor(fut, 0.1))
        return [error._tag, fut.done(), fut.cancelled()]
      })
      const { value, elapsed } = yield* runOk(main)
      assert.deepStrictEqual(value, ["TimeoutError", true, true])
      assert.isFalse(running)
      assert.closeTo(elapsed, 0.1, 1e-9)
    })
  )

  it.effect("test_wait_for_blocking: timeout=null waits forever", () =>
    Effect.gen(function* () {
      const { value } = yield* runOk(asyncio.waitFor(Effect.succeed("done"), null))
      assert.strictEqual(value, "done")
      const { value: later } = yield* runOk(asyncio.waitFor(asyncio.sleep(1000, "late"), undefined))
      assert.strictEqual(later, "late")
    })
  )

  it.effect("test_wait_for_race_condition: a result that arrives just in time is returned", () =>
    Effect.gen(function* () {
      const main = Effect.gen(function* () {
        const fut = yield* Deferred.make<string>()
        yield* asyncio.createTask(Deferred.succeed(fut, "ok"))
        return yield* asyncio.waitFor(Deferred.await(fut), 0.2)
      })
      const { value } = yield* runOk(main)
      assert.strictEqual(value, "ok")
    })
  )

  it.effect("test_wait_for_waits_for_task_cancellation: the task's cleanup finishes first", () =>
    Effect.gen(function* () {
      let taskDone = false
      const main = Effect.gen(function* () {
        const inner = asyncio.sleep(10).pipe(
          Effect.onInterrupt(() => asyncio.sleep(EPSILON)),
          Effect.ensuring(Effect.sync(() => (taskDone = true)))
        )
        const innerTask = yield* asyncio.createTask(inner)
        return yield* Effect.flip(asyncio.waitFor(innerTask, EPSILON))
      })
      const { value, elapsed } = yield* runOk(main)
      assert.instanceOf(value, asyncio.TimeoutError)
      assert.isTrue(taskDone)
      assert.closeTo(elapsed, 2 * EPSILON, 1e-9)
    })
  )

  it.effect("test_wait_for_waits_for_task_cancellation_w_timeout_0: same with timeout 0", () =>
    Effect.gen(function* () {
      let taskDone = false
      const main = Effect.gen(function* () {
        const inner = asyncio.sleep(10).pipe(
          Effect.onInterrupt(() => asyncio.sleep(EPSILON)),
          Effect.ensuring(Effect.sync(() => (taskDone = true)))
        )
        const innerTask = yield* asyncio.createTask(inner)
        yield* asyncio.sleep(EPSILON)
        return yield* Effect.flip(asyncio.waitFor(innerTask, 0))
      })
      const { value } = yield* runOk(main)
      assert.instanceOf(value, asyncio.TimeoutError)
      assert.isTrue(taskDone)
    })
  )

  it.effect("test_wait_for_reraises_exception_during_cancellation: an error while cancelling wins", () =>
    Effect.gen(function* () {
      class FooException extends Error {}
      const main = Effect.gen(function* () {
        const inner = asyncio.sleep(0.2).pipe(Effect.onInterrupt(() => Effect.die(new FooException())))
        const innerTask = yield* asyncio.createTask(inner)
        yield* asyncio.waitFor(innerTask, EPSILON)
      })
      const { exit } = yield* runVirtual(main)
      assert.instanceOf(failure(exit), FooException)
    })
  )

  for (const timeout of [null, 60]) {
    const name = timeout === null ? "test_cancel_blocking_wait_for" : "test_cancel_wait_for"
    it.effect(`${name}: cancelling the wait cancels the task (bpo-23219)`, () =>
      Effect.gen(function* () {
        const main = Effect.gen(function* () {
          const task = yield* asyncio.createTask(Effect.never)
          const waiting = yield* asyncio.createTask(asyncio.waitFor(task, timeout))
          yield* asyncio.createTask(waiting.cancel())
          const error = yield* Effect.flip(waiting)
          return [error._tag, task.cancelled()]
        })
        const { value } = yield* runOk(main)
        assert.deepStrictEqual(value, ["CancelledError", true])
      })
    )
  }

  it.effect("test_wait_for_issue86296: a cancelled waiter does not run on", () =>
    Effect.gen(function* () {
      let reachedEnd = false
      const main = Effect.gen(function* () {
        const innerTask = yield* asyncio.createTask(Effect.succeed("done"))
        const task = yield* asyncio.createTask(
          Effect.gen(function* () {
            yield* asyncio.waitFor(innerTask, 100)
            yield* asyncio.sleep(1)
            reachedEnd = true
          })
        )
        assert.isFalse(task.done())
        yield* asyncio.sleep(0)
        yield* task.cancel()
        const error = yield* Effect.flip(task)
        return [error._tag, innerTask.done(), yield* innerTask]
      })
      const { value } = yield* runOk(main)
      assert.deepStrictEqual(value, ["CancelledError", true, "done"])
      assert.isFalse(reachedEnd)
    })
  )

  it.effect("test_zero_timeout (WaitForShieldTests): the shield is cancelled, the task runs on", () =>
    Effect.gen(function* () {
      const main = Effect.gen(function* () {
        const task = yield* asyncio.createTask(asyncio.sleep(0.01, "done"))
        const error = yield* Effect.flip(asyncio.waitFor(asyncio.shield(task), 0))
        const during = [task.done(), task.cancelled()]
        yield* asyncio.sleep(0.1)
        return [error._tag, ...during, task.done()]
      })
      const { value } = yield* runOk(main)
      assert.deepStrictEqual(value, ["TimeoutError", false, false, true])
    })
  )

  it.effect("test_none_timeout (WaitForShieldTests): no timeout runs to completion", () =>
    Effect.gen(function* () {
      const main = Effect.gen(function* () {
        const task = yield* asyncio.createTask(asyncio.sleep(0.1, "done"))
        yield* asyncio.waitFor(asyncio.shield(task), null)
        return [task.done(), yield* task]
      })
      const { value } = yield* runOk(main)
      assert.deepStrictEqual(value, [true, "done"])
    })
  )

  it.effect("test_shielded_timeout (WaitForShieldTests): the shielded task is not cancelled", () =>
    Effect.gen(function* () {
      const main = Effect.gen(function* () {
        const task = yield* asyncio.createTask(asyncio.sleep(0.1, "done"))
        const error = yield* Effect.flip(asyncio.waitFor(asyncio.shield(task), 0.01))
        return [error._tag, task.done(), task.cancelled(), yield* task]
      })
      const { value } = yield* runOk(main)
      assert.deepStrictEqual(value, ["TimeoutError", false, false, "done"])
    })
  )

  it.effect("bad arguments die: a non-effect with TypeError, a NaN timeout with ValueError", () =>
    Effect.gen(function* () {
      const notAnEffect: unknown = "coro"
      const { exit } = yield* runVirtual(asyncio.waitFor(notAnEffect as Effect.Effect<string>, 1))
      assert.instanceOf(failure(exit), asyncio.TypeError)
      const { exit: nan } = yield* runVirtual(asyncio.waitFor(Effect.void, Number.NaN))
      assert.instanceOf(failure(nan), asyncio.ValueError)
    })
  )
})
