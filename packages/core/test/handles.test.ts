/**
 * Handles and the loop's callbacks: a port of CPython 3.13's HandleTests and TimerTests
 * (Lib/test/test_asyncio/test_events.py), and of the call_soon / call_later / call_at / _run_once
 * cases of EventLoopTestsMixin (test_events.py) and BaseEventLoopTests (test_base_events.py).
 *
 * CPython builds `Handle(callback, args, loop)` and `TimerHandle(when, ...)` directly, on a mock
 * loop; here handles come from `loop.callSoon` / `loop.callAt` of a real loop, run as asyncio.run's
 * main task on virtual time (`runOk`), and the mock's `get_debug()` is the loop's `debug` option.
 * `loop._run_once()` is one `sleep(0)` of the main task: the iteration that resumes it begins
 * with `_run_once`'s bookkeeping. `run_forever()` until a callback stops the loop is awaiting a
 * future that callback completes.
 *
 * JavaScript cannot tell where a function was defined: where CPython's reprs show
 * `noop() at file:line`, the ` at file:line` part is optional here (the rest is not).
 *
 * Not ported:
 *
 * HandleTests and TimerTests (13 test names; 8 ported below, 5 left out)
 * - private state (`_source_traceback`, `format_helpers` / `coroutines._format_coroutine`):
 *     HandleTests.test_handle_source_traceback (its public face, `created at` in debug reprs, is
 *     in test_handle_repr_debug), HandleTests.test_coroutine_like_object_debug_formatting
 * - Python's object model (weakref slots, `__hash__`, rich comparison operators):
 *     HandleTests.test_handle_weakref, TimerTests.test_hash, TimerTests.test_timer_comparison
 *   (and, inside ported tests: `_callback` / `_args`; the functools.partial, partialmethod and
 *   types.coroutine callbacks of test_handle_repr / test_handle_repr_debug)
 *
 * EventLoopTestsMixin (test_events.py), the callback cases (4 ported: test_call_later,
 * test_call_soon, test_run_until_complete_stopped, test_close)
 * - threads: test_call_soon_threadsafe, test_call_soon_threadsafe_same_thread
 * - run_until_complete / run_forever / close are not public (asyncio.run owns the loop):
 *     test_run_until_complete_nesting, test_run_until_complete, test_close_running_event_loop
 * - private state (`_run_once_counter`): test_timeout_rounding
 * - the rest of the class (sockets, pipes, signals, executors, subprocesses) has no counterpart
 *
 * BaseEventLoopTests (test_base_events.py), the callback, _run_once and exception handler cases
 * (15 ported: test_close, test_call_soon, test_call_soon_non_callable, test_call_later,
 * test_call_later_negative_delays, test_time_and_call_at, test__run_once, test_set_debug,
 * test__run_once_schedule_handle, test__run_once_cancelled_event_cleanup, test_call_coroutine,
 * test_default_exc_handler_callback, test_set_exc_handler_invalid, test_set_exc_handler_custom,
 * test_set_exc_handler_broken)
 * - private methods (`_add_callback`): test__add_callback_handle, test__add_callback_cancelled_handle
 * - threads: test_check_thread
 * - run_forever is not public: test_run_once, test_run_forever_pre_stopped,
 *     test_custom_run_forever_integration, test_single_selecter_event_callback_after_stopping
 * - subclassing the loop (a custom `default_exception_handler`): test_default_exc_handler_broken
 * - no slow-callback warning (`slow_callback_duration`): test_log_slow_callbacks
 * - a task's unretrieved exception (`__del__`), not a callback: test_default_exc_handler_coro
 *   (its rule is in runners.test.ts, test_tb_logger_exception_unretrieved)
 * - the rest of the class (executors, task factories, sockets, subprocesses, asyncgens) is out
 *   of this file's scope
 */
import { assert, describe, it, vi } from "@effect/vitest"
import * as asyncio from "@effect-asyncio/core"
import { Cause, Effect, Exit } from "effect"
import { loopImpl } from "../src/events.js"
import { runOk, runVirtual } from "./utils/virtual.js"

/** test_events.py's module-level `noop(*args, **kwargs)` */
function noop(..._args: ReadonlyArray<unknown>): void {}

class ValueError extends Error {
  override readonly name = "ValueError"
}
class ZeroDivisionError extends Error {
  override readonly name = "ZeroDivisionError"
}
class AttributeError extends Error {
  override readonly name = "AttributeError"
}

/** `1/0` */
function zero_error(): never {
  throw new ZeroDivisionError("division by zero")
}

/** `test_utils.run_briefly(loop)`: a few iterations (its task takes two steps, then the loop stops). */
const runBriefly = Effect.andThen(asyncio.sleep(0), asyncio.sleep(0))

/** `loop._run_once()`: the main task resumes in the very next iteration. */
const runOnce = asyncio.sleep(0)

/** `test_utils.CLOCK_RES` */
const CLOCK_RES = 0.05

/** What the default exception handler writes (`console.error`), while `body` runs: asyncio's logger. */
const withLoggedErrors = <A, E, R>(
  body: (logged: ReadonlyArray<string>) => Effect.Effect<A, E, R>
): Effect.Effect<A, E, R> =>
  Effect.suspend(() => {
    const logged: Array<string> = []
    const spy = vi.spyOn(globalThis.console, "error").mockImplementation((...args: Array<unknown>) => {
      logged.push(args.map(String).join(" "))
    })
    return Effect.ensuring(
      body(logged),
      Effect.sync(() => spy.mockRestore())
    )
  })

/** Runs `body` as asyncio.run's main task; gives its result and the exception handler's reports. */
const withReports = <A, E>(
  body: Effect.Effect<A, E, asyncio.EventLoop>,
  options: asyncio.EventLoopOptions = {}
): Effect.Effect<{ readonly value: A; readonly reports: ReadonlyArray<asyncio.ExceptionContext> }> =>
  Effect.gen(function* () {
    const reports: Array<asyncio.ExceptionContext> = []
    const { value } = yield* runOk(body, {
      ...options,
      exceptionHandler: (_loop, context) => reports.push(context)
    })
    return { value, reports }
  })

/** What a synchronous call threw. */
const thrownBy = (call: () => unknown): unknown => {
  try {
    call()
  } catch (error) {
    return error
  }
  return assert.fail("nothing was thrown")
}

describe("HandleTests (test_events.py)", () => {
  it.effect("test_handle", () =>
    runOk(
      Effect.gen(function* () {
        const loop = yield* asyncio.getRunningLoop
        const callback = (...args: ReadonlyArray<unknown>) => args
        const h = loop.callSoon(callback)
        // `h._callback is callback` and `h._args is args` are private
        assert.isFalse(h.cancelled())

        h.cancel()
        assert.isTrue(h.cancelled())
      }),
      { debug: true }
    )
  )

  // CPython 3.13: loop.call_soon(ev.set); loop.call_soon(lock.release); loop.call_soon(sem.release);
  //   loop.call_soon(cond.notify, 1) under the lock; loop.call_soon(tg.cancel) (3.15); a callback
  //   calling loop.call_soon via a bound method: all work (bound methods)
  it.effect(
    "the primitives' *Unsafe methods and the loop's methods keep their object when passed as callbacks",
    () =>
      Effect.gen(function* () {
        const { value } = yield* withReports(
          Effect.gen(function* () {
            const loop = yield* asyncio.getRunningLoop
            const event = new asyncio.Event()
            const lock = new asyncio.Lock()
            const semaphore = new asyncio.Semaphore(0)
            yield* lock.acquire()
            const { callSoon } = loop
            callSoon(event.setUnsafe)
            callSoon(lock.releaseUnsafe)
            loop.callSoon(semaphore.releaseUnsafe)
            yield* event.wait()
            yield* semaphore.acquire()
            // the docs' idiom: loop.call_soon(fut.set_result, 42); call_soon(task.cancel)
            const future = loop.createFuture<number>()
            loop.callSoon(future.setResultUnsafe, 42)
            const sleeper = yield* asyncio.createTask(asyncio.sleep(10))
            loop.callSoon(sleeper.cancelUnsafe)
            const outcomes = [yield* future, (yield* Effect.exit(sleeper))._tag]
            const seen = [event.isSet(), lock.locked(), semaphore.locked(), ...outcomes]
            const cut = yield* asyncio.TaskGroup.run((tg) =>
              Effect.gen(function* () {
                loop.callSoon(tg.cancelUnsafe)
                yield* asyncio.sleep(10)
                return "not cut"
              })
            )
            return [...seen, cut ?? "cut"]
          })
        )
        assert.deepStrictEqual(value, [true, false, true, 42, "Failure", "cut"])
      })
  )

  // CPython 3.13: loop.call_exception_handler({"message": "m", "extra": {"a": 1}, "items": [1, "x"],
  //   "n": None}) logs "m", "extra: {'a': 1}", "items: [1, 'x']", "n: None" (f'{key}: {value!r}')
  it.effect("the default exception handler shows each value as Python's repr", () =>
    Effect.gen(function* () {
      const lines: Array<string> = []
      const spy = vi.spyOn(console, "error").mockImplementation((text: unknown) => {
        lines.push(String(text))
      })
      yield* withReports(
        Effect.gen(function* () {
          const loop = yield* asyncio.getRunningLoop
          loop.defaultExceptionHandler({ message: "m", extra: { a: 1 }, items: [1, "x"], n: null } as never)
        })
      ).pipe(Effect.ensuring(Effect.sync(() => spy.mockRestore())))
      assert.deepStrictEqual(lines.join("\n").split("\n"), [
        "m",
        "extra: {'a': 1}",
        "items: [1, 'x']",
        "n: None"
      ])
    })
  )

  // CPython 3.13: loop.call_soon(job) with `async def job(): print("never printed")`
  //   -> RuntimeWarning: coroutine 'job' was never awaited (and the body never runs)
  it.effect(
    "a callback that returns an effect: a RuntimeWarning that it was never run; a future is not one",
    () =>
      Effect.gen(function* () {
        const warnings: Array<string> = []
        const spy = vi.spyOn(process, "emitWarning").mockImplementation((warning, type) => {
          warnings.push(`${String(type)}: ${String(warning)}`)
        })
        let ran = false
        const job = () =>
          Effect.sync(() => {
            ran = true
          })
        yield* withReports(
          Effect.gen(function* () {
            const loop = yield* asyncio.getRunningLoop
            loop.callSoon(job)
            loop.callSoon(() => loop.createFuture())
            yield* runOnce
          })
        ).pipe(Effect.ensuring(Effect.sync(() => spy.mockRestore())))
        assert.isFalse(ran)
        assert.deepStrictEqual(warnings, [
          "RuntimeWarning: the effect returned by the callback job() was never run (a callback's effect is not awaited: run it with loop.submit or createTask)"
        ])
      })
  )

  it.effect("test_callback_with_exception: reported with the message, the exception and the handle", () =>
    Effect.gen(function* () {
      const { value: h, reports } = yield* withReports(
        Effect.gen(function* () {
          const loop = yield* asyncio.getRunningLoop
          const callback = () => {
            throw new ValueError()
          }
          const h = loop.callSoon(callback)
          yield* runOnce
          return h
        }),
        { debug: true }
      )
      assert.strictEqual(reports.length, 1)
      const [context] = reports
      assert.isDefined(context)
      assert.match(context.message, /Exception in callback.*/s)
      assert.instanceOf(context.exception, ValueError)
      assert.strictEqual(context.handle, h)
      // the mock loop is in debug mode: the context has 'source_traceback' too, and nothing else
      assert.deepStrictEqual(Object.keys(context).sort(), [
        "exception",
        "handle",
        "message",
        "source_traceback"
      ])
      assert.isDefined(context.source_traceback)
    })
  )

  it.effect(
    "test_handle_repr: a callback shows its name (not its arguments); a cancelled handle, nothing",
    () =>
      runOk(
        Effect.gen(function* () {
          const loop = yield* asyncio.getRunningLoop
          // simple function
          const h = loop.callSoon(noop, 1, 2)
          // CPython: '<Handle noop() at %s:%s>': arguments are shown in debug mode only
          assert.match(String(h), /^<Handle noop\(\)(?: at \S+)?>$/)

          // cancelled handle
          h.cancel()
          assert.strictEqual(String(h), "<Handle cancelled>")
        })
      )
  )

  it.effect("test_handle_repr_debug: the callback with its arguments; a cancelled handle keeps them", () =>
    runOk(
      Effect.gen(function* () {
        const loop = yield* asyncio.getRunningLoop
        // simple function ('created at' has a case of its own below)
        const h = loop.callSoon(noop, 1, 2)
        assert.match(String(h), /^<Handle noop\(1, 2\)(?: at \S+)?(?: created at \S+)?>$/)

        // cancelled handle
        h.cancel()
        assert.match(String(h), /^<Handle cancelled noop\(1, 2\)(?: at \S+)?(?: created at \S+)?>$/)

        // double cancellation won't overwrite _repr
        h.cancel()
        assert.match(String(h), /^<Handle cancelled noop\(1, 2\)(?: at \S+)?(?: created at \S+)?>$/)
      }),
      { debug: true }
    )
  )

  it.effect("test_handle_repr_debug: a handle made in debug mode shows where it was created", () =>
    runOk(
      Effect.gen(function* () {
        const loop = yield* asyncio.getRunningLoop
        const h = loop.callSoon(noop, 1, 2)
        // CPython: '<Handle noop(1, 2) at %s:%s created at %s:%s>'
        assert.match(String(h), /^<Handle noop\(1, 2\)(?: at \S+)? created at \S+>$/)
        h.cancel()
        assert.match(String(h), /^<Handle cancelled noop\(1, 2\)(?: at \S+)? created at \S+>$/)
      }),
      { debug: true }
    )
  )
})

describe("TimerTests (test_events.py)", () => {
  it.effect("test_when", () =>
    runOk(
      Effect.gen(function* () {
        const loop = yield* asyncio.getRunningLoop
        const when = loop.time() + 5
        const h = loop.callAt(when, () => false)
        assert.strictEqual(h.when(), when)
        h.cancel()
      })
    )
  )

  it.effect("test_timer", () =>
    runOk(
      Effect.gen(function* () {
        const loop = yield* asyncio.getRunningLoop
        const callback = (...args: ReadonlyArray<unknown>) => args
        const when = loop.time()
        const h = loop.callAt(when, callback, 1, 2, 3)
        // `h._callback is callback`, `h._args is args` (and None after cancel()) are private
        assert.isFalse(h.cancelled())

        // cancel
        h.cancel()
        assert.isTrue(h.cancelled())
      })
    )
  )

  it.effect("test_timer_repr", () =>
    runOk(
      Effect.gen(function* () {
        const loop = yield* asyncio.getRunningLoop
        // simple function
        const h = loop.callAt(123, noop)
        assert.match(String(h), /^<TimerHandle when=123 noop\(\)(?: at \S+)?>$/)

        // cancelled handle
        h.cancel()
        assert.strictEqual(String(h), "<TimerHandle cancelled when=123>")
      })
    )
  )

  it.effect("test_timer_repr_debug: a cancelled timer keeps its callback", () =>
    runOk(
      Effect.gen(function* () {
        const loop = yield* asyncio.getRunningLoop
        // simple function ('created at' has a case of its own below)
        const h = loop.callAt(123, noop)
        assert.match(String(h), /^<TimerHandle when=123 noop\(\)(?: at \S+)?(?: created at \S+)?>$/)

        // cancelled handle
        h.cancel()
        assert.match(String(h), /^<TimerHandle cancelled when=123 noop\(\)(?: at \S+)?(?: created at \S+)?>$/)
      }),
      { debug: true }
    )
  )

  it.effect("test_timer_repr_debug: a timer made in debug mode shows where it was created", () =>
    runOk(
      Effect.gen(function* () {
        const loop = yield* asyncio.getRunningLoop
        const h = loop.callAt(123, noop)
        // CPython: '<TimerHandle when=123 noop() at %s:%s created at %s:%s>'
        assert.match(String(h), /^<TimerHandle when=123 noop\(\)(?: at \S+)? created at \S+>$/)
        h.cancel()
        assert.match(String(h), /^<TimerHandle cancelled when=123 noop\(\)(?: at \S+)? created at \S+>$/)
      }),
      { debug: true }
    )
  )
})

describe("EventLoopTestsMixin (test_events.py): callbacks", () => {
  it.effect("test_call_later", () =>
    Effect.gen(function* () {
      const results: Array<string> = []
      yield* runOk(
        Effect.gen(function* () {
          const loop = yield* asyncio.getRunningLoop
          const stopped = loop.createFuture<void>()
          const callback = (arg: string) => {
            results.push(arg)
            stopped.setResultUnsafe(undefined)
          }
          loop.callLater(0.1, callback, "hello world")
          yield* stopped
        })
      )
      assert.deepStrictEqual(results, ["hello world"])
    })
  )

  it.effect("test_call_soon", () =>
    Effect.gen(function* () {
      const results: Array<[string, string]> = []
      yield* runOk(
        Effect.gen(function* () {
          const loop = yield* asyncio.getRunningLoop
          const stopped = loop.createFuture<void>()
          const callback = (arg1: string, arg2: string) => {
            results.push([arg1, arg2])
            stopped.setResultUnsafe(undefined)
          }
          loop.callSoon(callback, "hello", "world")
          yield* stopped
        })
      )
      assert.deepStrictEqual(results, [["hello", "world"]])
    })
  )

  it.effect("test_run_until_complete_stopped: loop.stop() before main is done fails the run", () =>
    Effect.gen(function* () {
      // asyncio.run(main) is run_until_complete(main); CPython 3.13 raises
      // RuntimeError('Event loop stopped before Future completed.'), a defect here
      const { exit } = yield* runVirtual(
        Effect.gen(function* () {
          const loop = yield* asyncio.getRunningLoop
          loop.stop()
          yield* asyncio.sleep(0.1)
        })
      )
      assert.isTrue(Exit.isFailure(exit))
      const defect = Exit.isFailure(exit) ? Cause.squash(exit.cause) : undefined
      assert.instanceOf(defect, asyncio.RuntimeError)
      assert.strictEqual(defect.message, "Event loop stopped before Future completed.")
    })
  )

  it.effect("test_close: a closed loop refuses callbacks and tasks", () =>
    Effect.gen(function* () {
      // the loop asyncio.run closed; run_forever, run_until_complete, call_soon_threadsafe,
      // add_signal_handler and run_in_executor have no counterpart
      const { value: loop } = yield* runOk(asyncio.getRunningLoop)
      const func = () => false
      assert.isTrue(loop.isClosed())

      // operation blocked when the loop is closed
      assert.instanceOf(
        thrownBy(() => loop.callSoon(func)),
        asyncio.RuntimeError
      )
      assert.instanceOf(
        thrownBy(() => loop.callLater(1.0, func)),
        asyncio.RuntimeError
      )
      assert.instanceOf(
        thrownBy(() => loop.callAt(loop.time() + 0.0, func)),
        asyncio.RuntimeError
      )
      // create_task raises RuntimeError: a defect here (misuse, not a failure of the program)
      const exit = yield* Effect.exit(
        Effect.provideService(asyncio.createTask(Effect.void), asyncio.EventLoop, loop)
      )
      assert.isTrue(Exit.isFailure(exit))
      assert.instanceOf(Exit.isFailure(exit) ? Cause.squash(exit.cause) : undefined, asyncio.RuntimeError)
    })
  )
})

describe("BaseEventLoopTests (test_base_events.py): callbacks and _run_once", () => {
  it.effect("test_close: the loop is closed once asyncio.run is done", () =>
    Effect.gen(function* () {
      // close() itself, and run_forever() on a closed loop, belong to asyncio.run here
      const { value: loop } = yield* runOk(
        Effect.gen(function* () {
          const loop = yield* asyncio.getRunningLoop
          assert.isFalse(loop.isClosed())
          return loop
        })
      )
      assert.isTrue(loop.isClosed())
    })
  )

  it.effect("test_call_soon", () =>
    runOk(
      Effect.gen(function* () {
        const loop = yield* asyncio.getRunningLoop
        let called = 0
        const cb = () => {
          called += 1
        }
        const h = loop.callSoon(cb)
        assert.isTrue(asyncio.isHandle(h))
        // `h._callback == cb` is private; `h in loop._ready`: it runs at the next iteration
        assert.strictEqual(called, 0)
        yield* runOnce
        assert.strictEqual(called, 1)
      })
    )
  )

  it.effect("test_call_soon_non_callable", () =>
    runOk(
      Effect.gen(function* () {
        const loop = yield* asyncio.getRunningLoop
        loop.setDebug(true)
        // @ts-expect-error a callable object is required
        const error = thrownBy(() => loop.callSoon(1))
        assert.instanceOf(error, asyncio.TypeError)
        assert.match(error.message, /a callable object/)
      })
    )
  )

  it.effect("test_call_later", () =>
    runOk(
      Effect.gen(function* () {
        const loop = yield* asyncio.getRunningLoop
        let called = 0
        const cb = () => {
          called += 1
        }
        const h = loop.callLater(10.0, cb)
        // isinstance(h, TimerHandle)
        assert.isTrue(asyncio.isHandle(h))
        assert.isFunction(h.when)
        // in loop._scheduled (the loop's internal heap), not in loop._ready
        assert.strictEqual(loopImpl(loop).timerCount(), 1)
        yield* runOnce
        assert.strictEqual(called, 0)
        // delay must not be None
        // @ts-expect-error a number of seconds is required
        const withNone = () => loop.callLater(null, cb)
        assert.instanceOf(thrownBy(withNone), asyncio.TypeError)
        h.cancel()
      })
    )
  )

  it.effect("test_call_later_negative_delays", () =>
    Effect.gen(function* () {
      const calls: Array<string> = []
      yield* runOk(
        Effect.gen(function* () {
          const loop = yield* asyncio.getRunningLoop
          const cb = (arg: string) => {
            calls.push(arg)
          }
          loop.callLater(-1, cb, "a")
          loop.callLater(-2, cb, "b")
          yield* runBriefly
          assert.deepStrictEqual(calls, ["b", "a"])
        })
      )
    })
  )

  it.effect("test_time_and_call_at", () =>
    runOk(
      Effect.gen(function* () {
        const loop = yield* asyncio.getRunningLoop
        const stopped = loop.createFuture<void>()
        const cb = () => stopped.setResultUnsafe(undefined)
        const delay = 0.1

        const when = loop.time() + delay
        loop.callAt(when, cb)
        const t0 = loop.time()
        yield* stopped
        const dt = loop.time() - t0

        // 50 ms: maximum granularity of the event loop
        assert.isAtLeast(dt, delay - CLOCK_RES)
        // when cannot be None
        // @ts-expect-error a number of seconds is required
        const withNone = () => loop.callAt(null, cb)
        assert.instanceOf(thrownBy(withNone), asyncio.TypeError)
      })
    )
  )

  it.effect("test__run_once: cancelled timers at the head are dropped; the loop waits for the next one", () =>
    Effect.gen(function* () {
      // CPython 3.13, the same program: 2 timers, then 1 ([h2]) after one iteration, h2 at 10.0
      const { value } = yield* runOk(
        Effect.gen(function* () {
          const loop = yield* asyncio.getRunningLoop
          const woke = loop.createFuture<number>()
          const h1 = loop.callLater(5.0, () => true)
          loop.callLater(10.0, () => woke.setResultUnsafe(loop.time()))
          h1.cancel()
          const before = loopImpl(loop).timerCount()
          yield* runOnce
          const after = loopImpl(loop).timerCount()
          // select(timeout): the loop sleeps until h2, 10 seconds from the start
          return { before, after, t: yield* woke }
        })
      )
      assert.strictEqual(value.before, 2)
      assert.strictEqual(value.after, 1)
      assert.isTrue(9.5 < value.t && value.t < 10.5, String(value.t))
    })
  )

  it.effect("test_set_debug", () =>
    runOk(
      Effect.gen(function* () {
        const loop = yield* asyncio.getRunningLoop
        loop.setDebug(true)
        assert.isTrue(loop.getDebug())
        loop.setDebug(false)
        assert.isFalse(loop.getDebug())
      })
    )
  )

  it.effect(
    "test__run_once_schedule_handle: a callback a due timer schedules runs at the next iteration",
    () =>
      Effect.gen(function* () {
        // CPython 3.13 logs, for the same program: marker, step 1, timer, step 2, soon, step 3: the
        // timer joins the ready queue behind what was ready; the handle its callback made waits
        // for the next iteration (CPython: `processed` and `list(loop._ready) == [handle]`)
        const log: Array<string> = []
        yield* runOk(
          Effect.gen(function* () {
            const loop = yield* asyncio.getRunningLoop
            const cb = () => {
              log.push("timer")
              loop.callSoon(() => log.push("soon"))
            }
            loop.callAt(loop.time() - 1, cb)
            loop.callSoon(() => log.push("marker"))
            yield* asyncio.sleep(0)
            log.push("step 1")
            yield* asyncio.sleep(0)
            log.push("step 2")
            yield* asyncio.sleep(0)
            log.push("step 3")
          })
        )
        assert.deepStrictEqual(log, ["marker", "step 1", "timer", "step 2", "soon", "step 3"])
      })
  )

  it.effect("test__run_once_cancelled_event_cleanup", () =>
    runOk(
      Effect.gen(function* () {
        // `_timer_cancelled_count` is private: the heap's size (`len(loop._scheduled)`) is checked
        const loop = yield* asyncio.getRunningLoop
        const scheduled = () => loopImpl(loop).timerCount()
        // base_events._MIN_SCHEDULED_TIMER_HANDLES and _MIN_CANCELLED_TIMER_HANDLES_FRACTION
        const MIN_SCHEDULED_TIMER_HANDLES = 100
        const MIN_CANCELLED_TIMER_HANDLES_FRACTION = 0.5

        const cb = () => {}

        // Set up one "blocking" event that will not be cancelled to
        // ensure later cancelled events do not make it to the head
        // of the queue and get cleaned.
        let not_cancelled_count = 1
        loop.callLater(3000, cb)

        // Add less than threshold (base_events._MIN_SCHEDULED_TIMER_HANDLES)
        // cancelled handles, ensure they aren't removed

        let cancelled_count = 2
        for (let x = 0; x < 2; x++) loop.callLater(3600, cb).cancel()

        // Add some cancelled events that will be at head and removed
        cancelled_count += 2
        for (let x = 0; x < 2; x++) loop.callLater(100, cb).cancel()

        // This test is invalid if _MIN_SCHEDULED_TIMER_HANDLES is too low
        assert.isAtMost(cancelled_count + not_cancelled_count, MIN_SCHEDULED_TIMER_HANDLES)

        yield* runOnce

        cancelled_count -= 2

        assert.strictEqual(scheduled(), cancelled_count + not_cancelled_count)

        // Need enough events to pass _MIN_CANCELLED_TIMER_HANDLES_FRACTION
        // so that deletion of cancelled events will occur on next _run_once
        const add_cancel_count =
          Math.ceil(MIN_SCHEDULED_TIMER_HANDLES * MIN_CANCELLED_TIMER_HANDLES_FRACTION) + 1

        const add_not_cancel_count = Math.max(MIN_SCHEDULED_TIMER_HANDLES - add_cancel_count, 0)

        // Add some events that will not be cancelled
        not_cancelled_count += add_not_cancel_count
        for (let x = 0; x < add_not_cancel_count; x++) loop.callLater(3600, cb)

        // Add enough cancelled events
        cancelled_count += add_cancel_count
        for (let x = 0; x < add_cancel_count; x++) loop.callLater(3600, cb).cancel()

        // Ensure all handles are still scheduled
        assert.strictEqual(scheduled(), cancelled_count + not_cancelled_count)

        yield* runOnce

        // Ensure cancelled events were removed (so only uncancelled events remain scheduled:
        // CPython also checks `not x._cancelled` for each, which the count implies here)
        assert.strictEqual(scheduled(), not_cancelled_count)
      })
    )
  )

  it.effect("test_call_coroutine: an effect is not a callback", () =>
    runOk(
      Effect.gen(function* () {
        const loop = yield* asyncio.getRunningLoop
        loop.setDebug(true)
        // the coroutine object's counterpart is an effect; a coroutine function's (a function
        // returning an effect) cannot be told from a callback; call_soon_threadsafe and
        // run_in_executor have no counterpart
        const coro_obj = Effect.void
        // @ts-expect-error an effect is not a callback
        const soon = () => loop.callSoon(coro_obj)
        assert.instanceOf(thrownBy(soon), asyncio.TypeError)
        // @ts-expect-error an effect is not a callback
        const later = () => loop.callLater(60, coro_obj)
        assert.instanceOf(thrownBy(later), asyncio.TypeError)
        // @ts-expect-error an effect is not a callback
        const at = () => loop.callAt(loop.time() + 60, coro_obj)
        assert.instanceOf(thrownBy(at), asyncio.TypeError)
      })
    )
  )
})

describe("BaseEventLoopTests (test_base_events.py): exceptions in callbacks", () => {
  it.effect("test_default_exc_handler_callback: logged with the callback's name and the exception", () =>
    withLoggedErrors((logged) =>
      runOk(
        Effect.gen(function* () {
          const loop = yield* asyncio.getRunningLoop
          const zero_error = (fut: asyncio.Future<boolean>) => {
            fut.setResultUnsafe(true)
            throw new ZeroDivisionError("division by zero")
          }

          // Test call_soon (events.Handle)
          const fut = loop.createFuture<boolean>()
          loop.callSoon(zero_error, fut)
          yield* fut
          assert.match(logged.at(-1) ?? "", /Exception in callback.*zero/s)
          assert.include(logged.at(-1) ?? "", "ZeroDivisionError")

          // Test call_later (events.TimerHandle)
          const fut2 = loop.createFuture<boolean>()
          loop.callLater(0.01, zero_error, fut2)
          const count = logged.length
          yield* fut2
          assert.strictEqual(logged.length, count + 1)
          assert.match(logged.at(-1) ?? "", /Exception in callback.*zero/s)
          assert.include(logged.at(-1) ?? "", "ZeroDivisionError")
        })
      )
    )
  )

  it.effect("test_set_exc_handler_invalid", () =>
    runOk(
      Effect.gen(function* () {
        const loop = yield* asyncio.getRunningLoop
        // @ts-expect-error a handler is a function
        const error = thrownBy(() => loop.setExceptionHandler("spam"))
        assert.instanceOf(error, asyncio.TypeError)
        assert.match(error.message, /A callable object or None/)
      })
    )
  )

  it.effect("test_set_exc_handler_custom", () =>
    runOk(
      Effect.gen(function* () {
        const loop = yield* asyncio.getRunningLoop
        const run_loop = Effect.gen(function* () {
          const handle = loop.callSoon(zero_error)
          yield* runOnce
          return handle
        })

        loop.setDebug(true)

        assert.isUndefined(loop.getExceptionHandler())
        const calls: Array<readonly [asyncio.EventLoopService, asyncio.ExceptionContext]> = []
        const mock_handler: asyncio.ExceptionHandler = (handlerLoop, context) => {
          calls.push([handlerLoop, context])
        }
        loop.setExceptionHandler(mock_handler)
        assert.strictEqual(loop.getExceptionHandler(), mock_handler)
        const handle = yield* run_loop
        const [call] = calls
        assert.strictEqual(calls.length, 1)
        assert.isDefined(call)
        const [calledLoop, context] = call
        assert.strictEqual(calledLoop, loop)
        assert.isDefined(context.exception)
        assert.match(context.message, /Exception in callback.*zero_error/s)
        assert.strictEqual(context.handle, handle)
        calls.length = 0

        loop.setExceptionHandler(undefined)
        yield* withLoggedErrors((logged) =>
          Effect.gen(function* () {
            yield* run_loop
            assert.match(logged.at(-1) ?? "", /Exception in callback.*zero/s)
            assert.include(logged.at(-1) ?? "", "ZeroDivisionError")
          })
        )

        assert.strictEqual(calls.length, 0)
        // the loop is in debug mode: CPython's context also has 'source_traceback' (the
        // handle's), and nothing else (checked last, so that the rest runs)
        assert.deepStrictEqual(Object.keys(context).sort(), [
          "exception",
          "handle",
          "message",
          "source_traceback"
        ])
      })
    )
  )

  it.effect("test_set_exc_handler_broken: a handler that throws is reported by the default one", () =>
    runOk(
      Effect.gen(function* () {
        const loop = yield* asyncio.getRunningLoop
        const run_loop = Effect.gen(function* () {
          loop.callSoon(zero_error)
          yield* runOnce
        })

        const handler = () => {
          throw new AttributeError("spam")
        }

        loop.setExceptionHandler(handler)

        yield* withLoggedErrors((logged) =>
          Effect.gen(function* () {
            yield* run_loop
            assert.match(logged.at(-1) ?? "", /Unhandled error in exception handler/s)
            assert.include(logged.at(-1) ?? "", "AttributeError")
          })
        )
      })
    )
  )
})
