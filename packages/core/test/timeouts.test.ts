import { assert, describe, it } from "@effect/vitest"
import * as asyncio from "@effect-asyncio/core"
import { Cause, Deferred, Effect, Exit } from "effect"
import { pendingTaskCount, runOk, runVirtual } from "./utils/virtual.js"

class ZeroDivisionError extends Error {}

/** The error (typed or defect) a failed exit carries. */
const failure = (exit: Exit.Exit<unknown, unknown>): unknown =>
  Exit.isFailure(exit) ? Cause.squash(exit.cause) : undefined

/** Runs `timeout(delay, body)` keeping the Timeout object, and returns it with the exit. */
const withTimeout = <A, E>(
  delay: number | null,
  body: (cm: asyncio.Timeout) => Effect.Effect<A, E, asyncio.EventLoop>
) =>
  Effect.gen(function* () {
    let cm: asyncio.Timeout | undefined
    const exit = yield* Effect.exit(
      asyncio.timeout(delay, (timeout) => {
        cm = timeout
        return body(timeout)
      })
    )
    if (cm === undefined) throw new Error("body never called")
    return { cm, exit }
  })

const isTimeoutError = (exit: Exit.Exit<unknown, unknown>): boolean =>
  failure(exit) instanceof asyncio.TimeoutError

describe("timeout", () => {
  it.effect("test_timeout_basic: the body is cancelled and TimeoutError raised", () =>
    Effect.gen(function* () {
      const { value, elapsed } = yield* runOk(withTimeout(0.01, () => asyncio.sleep(10)))
      assert.isTrue(isTimeoutError(value.exit))
      assert.isTrue(value.cm.expired())
      assert.closeTo(elapsed, 0.01, 1e-9)
    })
  )

  it.effect("test_timeout_at_basic: an absolute deadline, kept by when()", () =>
    Effect.gen(function* () {
      const main = Effect.gen(function* () {
        const loop = yield* asyncio.EventLoop
        const deadline = loop.time() + 0.01
        let cm: asyncio.Timeout | undefined
        const exit = yield* Effect.exit(
          asyncio.timeoutAt(deadline, (timeout) => {
            cm = timeout
            return asyncio.sleep(10)
          })
        )
        return [isTimeoutError(exit), cm?.expired(), cm?.when() === deadline]
      })
      const { value } = yield* runOk(main)
      assert.deepStrictEqual(value, [true, true, true])
    })
  )

  it.effect("test_nested_timeouts: only the outermost raises TimeoutError; the inner sees cancellation", () =>
    Effect.gen(function* () {
      let cancelled = false
      const main = Effect.gen(function* () {
        const loop = yield* asyncio.EventLoop
        const deadline = loop.time() + 0.01
        let cm1: asyncio.Timeout | undefined
        let cm2: asyncio.Timeout | undefined
        const exit = yield* Effect.exit(
          asyncio.timeoutAt(deadline, (outer) => {
            cm1 = outer
            return asyncio.timeoutAt(deadline, (inner) => {
              cm2 = inner
              return asyncio.sleep(10).pipe(Effect.onInterrupt(() => Effect.sync(() => (cancelled = true))))
            })
          })
        )
        return [isTimeoutError(exit), cm1?.expired(), cm2?.expired()]
      })
      const { value } = yield* runOk(main)
      assert.deepStrictEqual(value, [true, true, true])
      assert.isTrue(cancelled)
    })
  )

  it.effect("test_waiter_cancelled: the body sees its cancellation (finalizers run)", () =>
    Effect.gen(function* () {
      let cancelled = false
      const { value } = yield* runOk(
        withTimeout(0.01, () =>
          asyncio.sleep(10).pipe(Effect.onInterrupt(() => Effect.sync(() => (cancelled = true))))
        )
      )
      assert.isTrue(isTimeoutError(value.exit))
      assert.isTrue(cancelled)
    })
  )

  it.effect("test_timeout_not_called: a body in time returns normally", () =>
    Effect.gen(function* () {
      const main = Effect.gen(function* () {
        const { cm, exit } = yield* withTimeout(10, () => asyncio.sleep(0.01, "value"))
        const loop = yield* asyncio.EventLoop
        return [Exit.isSuccess(exit) && exit.value, cm.expired(), (cm.when() ?? 0) > loop.time()]
      })
      const { value } = yield* runOk(main)
      assert.deepStrictEqual(value, ["value", false, true])
    })
  )

  it.effect("test_timeout_disabled: timeout(null) never expires", () =>
    Effect.gen(function* () {
      const { value } = yield* runOk(withTimeout(null, () => asyncio.sleep(100, "late")))
      assert.isTrue(Exit.isSuccess(value.exit))
      assert.isFalse(value.cm.expired())
      assert.isNull(value.cm.when())
    })
  )

  it.effect("test_timeout_at_disabled: timeoutAt(null) never expires", () =>
    Effect.gen(function* () {
      let cm: asyncio.Timeout | undefined
      const { value } = yield* runOk(
        asyncio.timeoutAt(null, (timeout) => {
          cm = timeout
          return asyncio.sleep(0.01, "ok")
        })
      )
      assert.strictEqual(value, "ok")
      assert.isFalse(cm?.expired())
      assert.isNull(cm?.when())
    })
  )

  it.effect("test_timeout_zero: a zero delay expires at the first suspension", () =>
    Effect.gen(function* () {
      const main = Effect.gen(function* () {
        const loop = yield* asyncio.EventLoop
        const t0 = loop.time()
        const { cm, exit } = yield* withTimeout(0, () => asyncio.sleep(10))
        const t1 = loop.time()
        const when = cm.when() ?? Number.NaN
        return [isTimeoutError(exit), cm.expired(), t0 <= when && when <= t1, t1 - t0]
      })
      const { value } = yield* runOk(main)
      assert.deepStrictEqual(value, [true, true, true, 0])
    })
  )

  it.effect("test_timeout_zero_sleep_zero: even sleep(0) is cancelled", () =>
    Effect.gen(function* () {
      const { value } = yield* runOk(withTimeout(0, () => asyncio.sleep(0)))
      assert.isTrue(isTimeoutError(value.exit))
      assert.isTrue(value.cm.expired())
    })
  )

  it.effect("test_timeout_in_the_past_sleep_zero: a negative delay expires at once", () =>
    Effect.gen(function* () {
      const main = Effect.gen(function* () {
        const loop = yield* asyncio.EventLoop
        const t0 = loop.time()
        const { cm, exit } = yield* withTimeout(-11, () => asyncio.sleep(0))
        return [isTimeoutError(exit), cm.expired(), (cm.when() ?? 0) <= t0]
      })
      const { value } = yield* runOk(main)
      assert.deepStrictEqual(value, [true, true, true])
    })
  )

  it.effect("test_foreign_exception_passed: the body's own error passes unchanged", () =>
    Effect.gen(function* () {
      const { value } = yield* runOk(withTimeout(0.01, () => Effect.fail("KeyError")))
      assert.deepStrictEqual(value.exit, Exit.fail("KeyError"))
      assert.isFalse(value.cm.expired())
    })
  )

  it.effect("test_foreign_exception_on_timeout: an error raised while cancelling replaces TimeoutError", () =>
    Effect.gen(function* () {
      const crash = asyncio.sleep(1).pipe(Effect.onInterrupt(() => Effect.die(new ZeroDivisionError("1/0"))))
      const { value } = yield* runOk(withTimeout(0.01, () => crash))
      assert.instanceOf(failure(value.exit), ZeroDivisionError)
      assert.isTrue(value.cm.expired())
    })
  )

  it.effect(
    "test_timeout_exception_context (difference): an uninterruptible finalizer is not cut short",
    () =>
      Effect.gen(function* () {
        // asyncio cancels the `await sleep(1)` in `finally:` and raises TimeoutError; Effect runs
        // finalizers uninterruptibly, so the body's own error comes out after the full second
        const { value, elapsed } = yield* runOk(
          withTimeout(0.01, () => Effect.fail("ZeroDivisionError").pipe(Effect.ensuring(asyncio.sleep(1))))
        )
        assert.deepStrictEqual(value.exit, Exit.fail("ZeroDivisionError"))
        assert.isTrue(value.cm.expired())
        assert.strictEqual(elapsed, 1)
      })
  )

  it.effect(
    "test_timeout_taskgroup (reduced): a child crashing in cleanup gives an ExceptionGroup of the crash, not TimeoutError",
    () =>
      Effect.gen(function* () {
        // reduced: CPython's body also runs `try: raise ValueError finally: await sleep(1)` and checks
        // the `__context__`/`__cause__` chain (TimeoutError from CancelledError from ValueError);
        // Effect's Cause keeps no such chain, and an `Effect.ensuring` finalizer would not be cut
        // short (see test_timeout_exception_context), so the body only sleeps
        const child = asyncio
          .sleep(2)
          .pipe(Effect.onInterrupt(() => Effect.fail(new ZeroDivisionError("division by zero"))))
        const { value, elapsed } = yield* runOk(
          withTimeout(0.01, () =>
            asyncio.TaskGroup.run((tg) => Effect.andThen(tg.createTask(child), asyncio.sleep(1)))
          )
        )
        const eg = failure(value.exit)
        assert.instanceOf(eg, asyncio.ExceptionGroup)
        if (eg instanceof asyncio.ExceptionGroup) {
          assert.strictEqual(eg.exceptions.length, 1)
          assert.instanceOf(eg.exceptions[0], ZeroDivisionError)
          assert.deepStrictEqual(eg.defects, [])
        }
        assert.isTrue(value.cm.expired())
        assert.closeTo(elapsed, 0.01, 1e-9)
      })
  )

  it.effect(
    "test_foreign_cancel_doesnt_timeout_if_not_expired: a cancellation from inside passes through",
    () =>
      Effect.gen(function* () {
        let cm: asyncio.Timeout | undefined
        const main = Effect.gen(function* () {
          const task = yield* asyncio.createTask(
            asyncio.timeout(10, (timeout) => {
              cm = timeout
              return Effect.andThen(
                Effect.flatMap(asyncio.currentTask, (current) => current?.cancel() ?? Effect.void),
                asyncio.sleep(10)
              )
            })
          )
          const error = yield* Effect.flip(task)
          return [error._tag, task.cancelled()]
        })
        const { value } = yield* runOk(main)
        assert.deepStrictEqual(value, ["CancelledError", true])
        assert.isFalse(cm?.expired())
      })
  )

  it.effect("outer cancellation passes through an expired inner timeout (the uncancel rule)", () =>
    Effect.gen(function* () {
      let cm: asyncio.Timeout | undefined
      const main = Effect.gen(function* () {
        const task = yield* asyncio.createTask(
          asyncio.timeout(1, (timeout) => {
            cm = timeout
            return asyncio.sleep(10)
          })
        )
        // the deadline and the outer cancel land at the same instant
        yield* asyncio.sleep(1)
        yield* task.cancel()
        const error = yield* Effect.flip(task)
        return [error._tag, task.cancelled()]
      })
      const { value } = yield* runOk(main)
      assert.deepStrictEqual(value, ["CancelledError", true])
      assert.isTrue(cm?.expired())
    })
  )

  it.effect("test_outer_task_is_not_cancelled: the task survives its timeout", () =>
    Effect.gen(function* () {
      const main = Effect.gen(function* () {
        const task = yield* asyncio.createTask(
          asyncio
            .timeout(0.001, asyncio.sleep(10))
            .pipe(Effect.catchTag("TimeoutError", () => Effect.succeed("timed out")))
        )
        const result = yield* task
        return [result, task.cancelled(), task.done(), task.cancelling()]
      })
      const { value } = yield* runOk(main)
      assert.deepStrictEqual(value, ["timed out", false, true, 0])
    })
  )

  it.effect(
    "test_nested_timeouts_loop_busy (virtual): an outer deadline stops work after an inner timeout",
    () =>
      Effect.gen(function* () {
        const main = Effect.gen(function* () {
          const inner = asyncio.timeout(0.01, asyncio.sleep(1)).pipe(
            Effect.flip,
            Effect.map((error) => error._tag)
          )
          return yield* asyncio.timeout(0.1, Effect.andThen(inner, asyncio.sleep(10))).pipe(Effect.flip)
        })
        const { value, elapsed } = yield* runOk(main)
        assert.instanceOf(value, asyncio.TimeoutError)
        assert.closeTo(elapsed, 0.1, 1e-9)
      })
  )

  it.effect(
    "test_nested_timeouts_concurrent (virtual): the outer deadline passes during busy work; only the outer raises TimeoutError",
    () =>
      Effect.gen(function* () {
        let inner: asyncio.Timeout | undefined
        let innerExit: Exit.Exit<unknown, unknown> | undefined
        const body = asyncio
          .timeout(0.1, (cm) => {
            inner = cm
            // CPython's `time.sleep(0.01)` ("crunch some numbers") blocks the loop past the outer
            // deadline; on virtual time, a sleep nothing can interrupt holds the body the same way
            return Effect.andThen(Effect.uninterruptible(asyncio.sleep(0.01)), asyncio.sleep(1))
          })
          .pipe(Effect.onExit((exit) => Effect.sync(() => (innerExit = exit))))
        const { value, elapsed } = yield* runOk(withTimeout(0.002, () => body))
        assert.isTrue(isTimeoutError(value.exit))
        assert.isTrue(value.cm.expired())
        // the inner deadline (0.1) never came: the cancellation passed through it, not a TimeoutError
        // (CPython's inner `assertRaises(TimeoutError)` lets that CancelledError through unchecked)
        assert.isFalse(inner?.expired())
        assert.isTrue(
          innerExit !== undefined && Exit.isFailure(innerExit) && Cause.hasInterruptsOnly(innerExit.cause)
        )
        // cancelled as the busy work ended, at the body's next suspension
        assert.closeTo(elapsed, 0.01, 1e-9)
      })
  )

  it.effect("test_reschedule: another task moves and disables the deadline", () =>
    Effect.gen(function* () {
      const main = Effect.gen(function* () {
        const loop = yield* asyncio.EventLoop
        const fut = yield* Deferred.make<asyncio.Timeout>()
        const deadline1 = loop.time() + 10
        const deadline2 = deadline1 + 20
        const task = yield* asyncio.createTask(
          asyncio.timeoutAt(deadline1, (cm) => Effect.andThen(Deferred.succeed(fut, cm), asyncio.sleep(50)))
        )
        const cm = yield* Deferred.await(fut)
        const seen: Array<number | null> = [cm.when()]
        yield* cm.reschedule(deadline2)
        seen.push(cm.when())
        yield* cm.reschedule(null)
        seen.push(cm.when())
        yield* asyncio.sleep(40) // past both deadlines: nothing fires
        yield* task.cancel()
        const error = yield* Effect.flip(task)
        return { seen, deadline1, deadline2, tag: error._tag, expired: cm.expired() }
      })
      const { value } = yield* runOk(main)
      assert.deepStrictEqual(value.seen, [value.deadline1, value.deadline2, null])
      assert.strictEqual(value.tag, "CancelledError")
      assert.isFalse(value.expired)
    })
  )

  it.effect("reschedule to an earlier deadline expires sooner", () =>
    Effect.gen(function* () {
      const main = Effect.gen(function* () {
        const loop = yield* asyncio.EventLoop
        const { cm, exit } = yield* withTimeout(10, (timeout) =>
          Effect.andThen(timeout.reschedule(loop.time() + 2), asyncio.sleep(10))
        )
        return [isTimeoutError(exit), cm.expired(), loop.time()]
      })
      const { value } = yield* runOk(main)
      assert.deepStrictEqual(value, [true, true, 2])
    })
  )

  it.effect("test_repr_active: <Timeout [active] when=...>", () =>
    Effect.gen(function* () {
      const { value } = yield* runOk(withTimeout(10, (cm) => Effect.sync(() => cm.toString())))
      assert.match(
        Exit.isSuccess(value.exit) ? value.exit.value : "",
        /^<Timeout \[active\] when=\d+(\.\d*)?>$/
      )
    })
  )

  it.effect("test_repr_expired: <Timeout [expired]>", () =>
    Effect.gen(function* () {
      const { value } = yield* runOk(withTimeout(0.01, () => asyncio.sleep(10)))
      assert.strictEqual(value.cm.toString(), "<Timeout [expired]>")
    })
  )

  it.effect("test_repr_finished: <Timeout [finished]>", () =>
    Effect.gen(function* () {
      const { value } = yield* runOk(withTimeout(10, () => asyncio.sleep(0)))
      assert.strictEqual(value.cm.toString(), "<Timeout [finished]>")
    })
  )

  it.effect("test_repr_disabled: <Timeout [active] when=None>", () =>
    Effect.gen(function* () {
      const { value } = yield* runOk(withTimeout(null, (cm) => Effect.sync(() => cm.toString())))
      assert.deepStrictEqual(value.exit, Exit.succeed("<Timeout [active] when=None>"))
    })
  )

  it.effect("test_nested_timeout_in_finally: a timeout inside the cleanup of a timed-out body", () =>
    Effect.gen(function* () {
      let inner: unknown
      const main = asyncio.timeout(
        0.01,
        asyncio.sleep(1).pipe(
          Effect.onInterrupt(() =>
            asyncio.timeout(0.01, asyncio.sleep(10)).pipe(
              Effect.exit,
              Effect.andThen((exit) =>
                Effect.sync(() => {
                  inner = failure(exit)
                })
              )
            )
          )
        )
      )
      const { exit } = yield* runVirtual(main)
      assert.isTrue(isTimeoutError(exit))
      assert.instanceOf(inner, asyncio.TimeoutError)
    })
  )

  it.effect("test_timeout_after_cancellation: a timeout in the cleanup of a cancelled task", () =>
    Effect.gen(function* () {
      let seen: unknown
      const main = Effect.gen(function* () {
        const task = yield* asyncio.createTask(
          asyncio.sleep(1).pipe(
            Effect.onInterrupt(() =>
              asyncio.timeout(0, asyncio.sleep(1)).pipe(
                Effect.exit,
                Effect.andThen((exit) =>
                  Effect.sync(() => {
                    seen = failure(exit)
                  })
                )
              )
            )
          )
        )
        yield* asyncio.sleep(0)
        yield* task.cancel()
        return (yield* Effect.flip(task))._tag
      })
      const { value } = yield* runOk(main)
      assert.strictEqual(value, "CancelledError")
      assert.instanceOf(seen, asyncio.TimeoutError)
    })
  )

  it.effect("test_timeout_already_entered: entering the same Timeout inside itself dies", () =>
    Effect.gen(function* () {
      const { value } = yield* runOk(withTimeout(0.01, (cm) => cm.run(Effect.void)))
      const error = failure(value.exit)
      assert.instanceOf(error, asyncio.RuntimeError)
      assert.match((error as asyncio.RuntimeError).message, /has already been entered/)
    })
  )

  it.effect("test_timeout_double_enter: entering a finished Timeout again dies", () =>
    Effect.gen(function* () {
      const main = Effect.gen(function* () {
        const { cm } = yield* withTimeout(0.01, () => Effect.void)
        return yield* Effect.exit(cm.run(Effect.void))
      })
      const { value } = yield* runOk(main)
      assert.match(String(failure(value)), /has already been entered/)
      assert.isTrue(Exit.isFailure(value) && Cause.hasDies(value.cause))
    })
  )

  it.effect("test_timeout_finished: reschedule after the block fails with RuntimeError 'finished'", () =>
    Effect.gen(function* () {
      const main = Effect.gen(function* () {
        const { cm } = yield* withTimeout(0.01, () => Effect.void)
        return yield* Effect.exit(cm.reschedule(0.02))
      })
      const { value } = yield* runOk(main)
      assert.match(String(failure(value)), /Cannot change state of finished Timeout/)
      // a state error, not a bad argument: a typed RuntimeError (README, Errors), as TaskGroup's
      assert.isTrue(Exit.isFailure(value) && Cause.hasFails(value.cause))
    })
  )

  it.effect("test_timeout_expired: reschedule after expiry fails with RuntimeError 'expired'", () =>
    Effect.gen(function* () {
      const main = Effect.gen(function* () {
        const { cm } = yield* withTimeout(0.01, () => asyncio.sleep(1))
        return yield* Effect.exit(cm.reschedule(0.02))
      })
      const { value } = yield* runOk(main)
      assert.match(String(failure(value)), /Cannot change state of expired Timeout/)
    })
  )

  it.effect("test_timeout_expiring: reschedule while the body is being cancelled fails with 'expiring'", () =>
    Effect.gen(function* () {
      const { value } = yield* runOk(
        withTimeout(0.01, (cm) => asyncio.sleep(1).pipe(Effect.onInterrupt(() => cm.reschedule(0.02))))
      )
      assert.match(String(failure(value.exit)), /Cannot change state of expiring Timeout/)
    })
  )

  it.effect("test_timeout_not_entered: reschedule before entering fails with RuntimeError", () =>
    Effect.gen(function* () {
      const exit = yield* Effect.exit(new asyncio.Timeout(0.01).reschedule(0.02))
      assert.match(String(failure(exit)), /has not been entered/)
    })
  )

  it.effect("test_timeout_without_task: entering outside a task dies with RuntimeError", () =>
    Effect.gen(function* () {
      const cm = new asyncio.Timeout(0.01)
      const exit = yield* Effect.exit(cm.run(Effect.void).pipe(Effect.provide(asyncio.EventLoop.layer())))
      assert.match(String(failure(exit)), /inside a task/)
      assert.match(String(failure(yield* Effect.exit(cm.reschedule(0.02)))), /has not been entered/)
    })
  )

  it.effect("a NaN delay dies with ValueError", () =>
    Effect.gen(function* () {
      const { exit } = yield* runVirtual(asyncio.timeout(Number.NaN, Effect.void))
      assert.instanceOf(failure(exit), asyncio.ValueError)
    })
  )

  it.effect("the body runs in the same task (currentTask) and no fiber is left", () =>
    Effect.gen(function* () {
      const main = Effect.gen(function* () {
        const outside = yield* asyncio.currentTask
        const inside = yield* asyncio.timeout(1, asyncio.currentTask)
        yield* Effect.flip(asyncio.timeout(1, asyncio.sleep(2)))
        return [outside === inside, yield* asyncio.EventLoop] as const
      })
      const { value } = yield* runOk(main)
      assert.isTrue(value[0])
      assert.strictEqual(pendingTaskCount(value[1]), 0)
    })
  )

  it.effect("an error the body raises while cancelled from outside replaces the cancellation", () =>
    Effect.gen(function* () {
      // CPython 3.13: `async with timeout(5): await child()` (and wait_for(child(), 5)) in a
      // task cancelled at 0.5, child raising ValueError('in cleanup') on CancelledError: the
      // task ends with ValueError('in cleanup'), t.cancelled() is False
      const child = asyncio
        .sleep(10)
        .pipe(Effect.onInterrupt(() => Effect.fail(new ZeroDivisionError("in cleanup"))))
      const cancelledAt = (body: Effect.Effect<unknown, unknown, asyncio.EventLoop>) =>
        Effect.gen(function* () {
          const t = yield* asyncio.createTask(body)
          yield* asyncio.sleep(0.5)
          yield* t.cancel()
          const exit = yield* Effect.exit(t)
          return [failure(exit) instanceof ZeroDivisionError, t.cancelled()]
        })
      assert.deepStrictEqual((yield* runOk(cancelledAt(asyncio.timeout(5, child)))).value, [true, false])
      assert.deepStrictEqual((yield* runOk(cancelledAt(asyncio.waitFor(child, 5)))).value, [true, false])
    })
  )

  it.effect("the deadline is a timer of the loop: due with a task's timer, it fires in turn with it", () =>
    Effect.gen(function* () {
      // CPython 3.13 prints: A woke, timeout handled, B woke, after sleep0 (the deadline is a
      // `call_at` handle, set after A's sleep and before B's, all due at 1)
      const log: Array<string> = []
      const woke = (name: string) =>
        Effect.andThen(
          asyncio.sleep(1),
          Effect.sync(() => log.push(`${name} woke`))
        )
      const main = Effect.gen(function* () {
        const a = yield* asyncio.createTask(woke("A"))
        yield* asyncio.sleep(0)
        let b: asyncio.Task<number> | undefined
        const exit = yield* Effect.exit(
          asyncio.timeout(
            1,
            Effect.gen(function* () {
              b = yield* asyncio.createTask(woke("B"))
              yield* asyncio.sleep(5)
            })
          )
        )
        if (isTimeoutError(exit)) log.push("timeout handled")
        yield* asyncio.sleep(0)
        log.push("after sleep0")
        yield* a
        if (b !== undefined) yield* b
      })
      const { elapsed } = yield* runOk(main)
      assert.deepStrictEqual(log, ["A woke", "timeout handled", "B woke", "after sleep0"])
      assert.closeTo(elapsed, 1, 1e-9)
    })
  )
})
