/**
 * Futures: a port of CPython 3.13's Lib/test/test_asyncio/test_futures.py.
 *
 * Each test body runs as the main task of a loop on virtual time (`runOk`), which plays the part
 * of the test's `self.loop`; `test_utils.run_briefly(self.loop)` is one `sleep(0)` (the done
 * callbacks a `set_result` scheduled run at the next iteration, before the task resumes); `del fut`
 * and `gc.collect()` are the end of `asyncio.run`, where the loop reports the failures nobody
 * retrieved to its exception handler.
 *
 * CPython runs BaseFutureTests and BaseFutureDoneCallbackTests once per implementation (C Future,
 * C subclass, Python Future). Here the cases that complete or cancel a future run once per API
 * surface instead: the effects (`setResult`, `setException`, `cancel`: `InvalidStateError` is a
 * typed failure), their `*Unsafe` twins (which throw it synchronously), and those twins called
 * back by the loop, as asyncio code does (`loop.call_soon(fut.set_result, value)`).
 *
 * Not ported (57 test names in test_futures.py; 29 ported below, 28 left out):
 *
 * - concurrent.futures, wrap_future, threads:
 *     DuckTests.test_wrap_future, test_wrap_future, test_wrap_future_future,
 *     test_wrap_future_without_loop, test_wrap_future_use_running_loop,
 *     test_wrap_future_use_global_loop, test_wrap_future_cancel, test_wrap_future_cancel2
 * - duck-typed futures (the `_asyncio_future_blocking` protocol; by design the library accepts
 *   only its own futures, see futures.ts `futureImpl`):
 *     DuckTests.test_ensure_future
 * - `loop=` arguments and the global event loop (a future always belongs to the running loop):
 *     test_constructor_use_global_loop
 * - private state (`_cancel_message`, `_log_traceback`, `_source_traceback`, `_copy_future_state`):
 *     test_future_cancel_message_setter, test_log_traceback, test_future_source_traceback,
 *     test_copy_state
 * - Python's object model (`__new__` without `__init__`, subclassing without `super().__init__`,
 *   exception classes instantiated by set_exception, `__eq__` hooks run by remove_done_callback):
 *     test_uninitialized, BaseFutureInheritanceTests.test_inherit_without_calling_super_init,
 *     test_exception_class, test_remove_done_callbacks_list_mutation,
 *     test_remove_done_callbacks_list_clear, test_schedule_callbacks_list_mutation_2
 * - the generator protocol (`yield from` without `await`, `__iter__().send/throw`, StopIteration
 *   that cannot be raised into a generator):
 *     test_iter, test_future_stop_iteration_args, test_future_iter_throw,
 *     test_stop_iteration_exception, test_stop_iteration_subclass_exception
 * - gc, `__del__`, refcounts, C Future only:
 *     test_future_del_collect, CFutureTests.test_future_del_segfault,
 *     CFutureTests.test_future_iter_get_referents_segfault
 */
import { assert, describe, expectTypeOf, it } from "@effect/vitest"
import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import { futureImpl } from "../src/futures.js"
import { setResultUnlessCancelled } from "../src/internal/future.js"
import { runOk } from "./utils/virtual.js"

class Spam extends Error {
  override readonly name = "Spam"
}

/** What a call raised: `undefined` when it returned normally. */
const raised = (effect: Effect.Effect<unknown, unknown>): Effect.Effect<unknown> =>
  Effect.match(effect, { onFailure: (error) => error, onSuccess: () => undefined })

/** What a synchronous call threw: `undefined` when it returned normally. */
const thrown = (call: () => void): Effect.Effect<unknown> =>
  Effect.sync(() => {
    try {
      call()
      return undefined
    } catch (error) {
      return error
    }
  })

/**
 * `loop.call_soon(fut.set_result, value)`: `call` runs as a callback of the loop at its next
 * iteration; the task waits for that iteration (a `sleep(0)`) and resumes right after it. Gives
 * what `call` returned, or what it threw.
 */
const calledBack = <X>(
  future: asyncio.Future<unknown, unknown>,
  call: () => X
): Effect.Effect<{ readonly value: X | undefined; readonly error: unknown }> =>
  Effect.suspend(() => {
    let outcome: { readonly value: X | undefined; readonly error: unknown } | undefined
    future.getLoop().callSoon(function calledBack() {
      try {
        outcome = { value: call(), error: undefined }
      } catch (error) {
        outcome = { value: undefined, error }
      }
    })
    return Effect.map(asyncio.sleep(0), () => {
      assert.isDefined(outcome, "the callback ran before the task resumed")
      return outcome
    })
  })

/** One API surface for completing and cancelling a future: the effects or their `*Unsafe` twins. */
interface Flavour {
  readonly name: string
  /** `f.set_result(value)`: what it raised (`undefined` if nothing) */
  readonly setResult: <A, E>(future: asyncio.Future<A, E>, value: A) => Effect.Effect<unknown>
  /** `f.set_exception(error)`: what it raised (`undefined` if nothing) */
  readonly setException: <A, E>(future: asyncio.Future<A, E>, error: E) => Effect.Effect<unknown>
  /** `f.cancel(msg)` */
  readonly cancel: <A, E>(future: asyncio.Future<A, E>, message?: unknown) => Effect.Effect<boolean>
}

const flavours: ReadonlyArray<Flavour> = [
  {
    name: "effects (InvalidStateError is a typed failure)",
    setResult: (future, value) => raised(future.setResult(value)),
    setException: (future, error) => raised(future.setException(error)),
    cancel: (future, message) => future.cancel(message)
  },
  {
    name: "*Unsafe twins (InvalidStateError is thrown)",
    setResult: (future, value) => thrown(() => future.setResultUnsafe(value)),
    setException: (future, error) => thrown(() => future.setExceptionUnsafe(error)),
    cancel: (future, message) => Effect.sync(() => future.cancelUnsafe(message))
  },
  {
    name: "*Unsafe twins called back by the loop (loop.callSoon(f.setResultUnsafe, value))",
    setResult: (future, value) =>
      Effect.map(
        calledBack(future, () => future.setResultUnsafe(value)),
        (r) => r.error
      ),
    setException: (future, error) =>
      Effect.map(
        calledBack(future, () => future.setExceptionUnsafe(error)),
        (r) => r.error
      ),
    cancel: (future, message) =>
      Effect.map(
        calledBack(future, () => future.cancelUnsafe(message)),
        (r) => r.value === true
      )
  }
]

/** Runs `body` as asyncio.run's main task; gives what the loop reported to its exception handler. */
const reportsOf = <A, E>(
  body: Effect.Effect<A, E, asyncio.EventLoop>,
  options: asyncio.EventLoopOptions = {}
): Effect.Effect<ReadonlyArray<asyncio.ExceptionContext>> =>
  Effect.gen(function* () {
    const reports: Array<asyncio.ExceptionContext> = []
    yield* runOk(body, { ...options, exceptionHandler: (_loop, context) => reports.push(context) })
    return reports
  })

/** `test_utils.run_briefly(self.loop)`: the callbacks ready now run, then the task resumes. */
const runBriefly = asyncio.sleep(0)

/** BaseFutureDoneCallbackTests._make_callback: a callback that appends `thing` to `bag`. */
const makeCallback =
  (bag: Array<number>, thing: number) =>
  (_future: unknown): void => {
    bag.push(thing)
  }

// test_future_repr's module-level callbacks (their names are what the repr shows)
function _fakefunc(f: unknown): unknown {
  return f
}
function first_cb(): void {}
function last_cb(): void {}

/**
 * `func_repr(func)`: `name() at file:line`. JavaScript cannot tell where a function was defined,
 * so the ` at file:line` part is optional here; the name and the `()` are not.
 */
const funcRepr = (name: string): string => `${name}\\(\\)(?: at \\S+)?`

describe("BaseFutureTests (test_futures.py)", () => {
  it("test_generic_alias: Future is generic in its result (and error) type", () => {
    // Python's Future[str] is a GenericAlias with __args__ == (str,); TypeScript's generics are that rule
    expectTypeOf<asyncio.Future<string>>().toExtend<Effect.Effect<string, asyncio.CancelledError>>()
    expectTypeOf<ReturnType<asyncio.Future<string>["result"]>>().toEqualTypeOf<
      Effect.Effect<string, asyncio.CancelledError | asyncio.InvalidStateError>
    >()
    expectTypeOf<ReturnType<asyncio.Future<number, Spam>["asEffect"]>>().toEqualTypeOf<
      Effect.Effect<number, Spam | asyncio.CancelledError>
    >()
  })

  it.effect("test_isfuture", () =>
    runOk(
      Effect.gen(function* () {
        class MyFuture {
          _asyncio_future_blocking = false
        }
        assert.isFalse(asyncio.isFuture(MyFuture))
        // by design, no duck typing: CPython says True for MyFuture(), the library only knows its own futures
        assert.isFalse(asyncio.isFuture(new MyFuture()))
        assert.isFalse(asyncio.isFuture(1))

        // As `isinstance(Mock(), Future)` returns `False`
        assert.isFalse(asyncio.isFuture({ done: () => false, cancel: () => false }))

        const f = yield* asyncio.createFuture<number>()
        assert.isTrue(asyncio.isFuture(f))
        assert.isFalse(asyncio.isFuture(f.constructor))

        // As `isinstance(Mock(Future), Future)` returns `True`: an object of the future's class
        assert.isTrue(asyncio.isFuture(Object.create(Object.getPrototypeOf(f))))

        f.cancelUnsafe()
      })
    )
  )

  it("test_constructor_without_loop: creating a future needs the loop (a compile error without one)", () => {
    // CPython raises RuntimeError('no current event loop') at run time; here EventLoop is required
    const make = asyncio.createFuture<number>()
    expectTypeOf<Effect.Services<typeof make>>().toEqualTypeOf<asyncio.EventLoop>()
    // @ts-expect-error no running event loop: EventLoop is not provided
    const rejected = () => Effect.runSync(make)
    expectTypeOf(rejected).toBeFunction()
  })

  it.effect("test_constructor_use_running_loop: a future belongs to the running loop", () =>
    runOk(
      Effect.gen(function* () {
        const loop = yield* asyncio.getRunningLoop
        const f = yield* asyncio.createFuture<number>()
        assert.strictEqual(f.getLoop(), loop)
        const g = loop.createFuture<number>()
        assert.strictEqual(g.getLoop(), loop)
      })
    )
  )

  it("test_constructor_positional: createFuture takes no argument", () => {
    // Python raises TypeError for Future(42); TypeScript refuses the call
    const loop = {} as asyncio.EventLoopService
    // @ts-expect-error Future doesn't accept a positional argument
    const rejected = () => loop.createFuture(42)
    // @ts-expect-error neither does asyncio.createFuture
    const rejectedToo = () => asyncio.createFuture(42)
    expectTypeOf(rejected).toBeFunction()
    expectTypeOf(rejectedToo).toBeFunction()
  })

  it.effect("test_future_cancel_message_getter: the message of cancel(msg) is the CancelledError's", () =>
    Effect.gen(function* () {
      // CPython reads the private `_cancel_message`; its public face is the CancelledError that
      // awaiting gives: CPython 3.13 raises CancelledError('my message') each time
      const { value } = yield* runOk(
        Effect.gen(function* () {
          const f = yield* asyncio.createFuture<number>()
          f.cancelUnsafe("my message")
          const first = yield* Effect.flip(f)
          const second = yield* Effect.flip(f)
          return [first, second]
        })
      )
      for (const error of value) {
        assert.instanceOf(error, asyncio.CancelledError)
        assert.strictEqual(error.message, "my message")
      }
    })
  )

  it.effect("test_yield_from_twice: the second await of a done future does not suspend", () =>
    Effect.gen(function* () {
      // CPython 3.13 logs A, after first turn, B 42, C 42, between: awaiting the done future
      // again gives 42 at once, before a callback scheduled in between gets its turn
      const log: Array<string> = []
      yield* runOk(
        Effect.gen(function* () {
          const loop = yield* asyncio.getRunningLoop
          const f = yield* asyncio.createFuture<number>()
          const fixture = Effect.gen(function* () {
            log.push("A")
            const x = yield* f
            log.push(`B ${x}`)
            loop.callSoon(() => log.push("between"))
            const y = yield* f
            log.push(`C ${y}`)
          })
          const t = yield* asyncio.createTask(fixture)
          yield* asyncio.sleep(0)
          log.push("after first turn")
          f.setResultUnsafe(42)
          yield* t
          yield* asyncio.sleep(0)
        })
      )
      assert.deepStrictEqual(log, ["A", "after first turn", "B 42", "C 42", "between"])
    })
  )

  it.effect("test_future_repr: in debug mode a pending future shows where it was created", () =>
    runOk(
      Effect.gen(function* () {
        const loop = yield* asyncio.getRunningLoop
        loop.setDebug(true)
        const f_pending_debug = loop.createFuture<number>()
        loop.setDebug(false)
        // CPython: '<Future pending created at {file}:{line}>'
        assert.match(String(f_pending_debug), /^<Future pending created at \S+>$/)
        f_pending_debug.cancelUnsafe()
      })
    )
  )

  it.effect("test_future_repr: pending, cancelled, finished with a result", () =>
    runOk(
      Effect.gen(function* () {
        const loop = yield* asyncio.getRunningLoop
        const f_pending = loop.createFuture<number>()
        assert.strictEqual(String(f_pending), "<Future pending>")
        f_pending.cancelUnsafe()

        const f_cancelled = loop.createFuture<number>()
        f_cancelled.cancelUnsafe()
        assert.strictEqual(String(f_cancelled), "<Future cancelled>")

        const f_result = loop.createFuture<number>()
        f_result.setResultUnsafe(4)
        assert.strictEqual(String(f_result), "<Future finished result=4>")
        assert.strictEqual(yield* f_result.result(), 4)
      })
    )
  )

  it.effect("test_future_repr: finished with an exception", () =>
    runOk(
      Effect.gen(function* () {
        const loop = yield* asyncio.getRunningLoop
        // Python's RuntimeError() is the error with an empty message
        const exc = new asyncio.RuntimeError({ message: "" })
        const f_exception = loop.createFuture<number, asyncio.RuntimeError>()
        f_exception.setExceptionUnsafe(exc)
        assert.strictEqual(String(f_exception), "<Future finished exception=RuntimeError()>")
        assert.strictEqual(yield* f_exception.exception(), exc)
      })
    )
  )

  it.effect("test_future_repr: the done callbacks of a pending future show as cb=[...]", () =>
    runOk(
      Effect.gen(function* () {
        const loop = yield* asyncio.getRunningLoop
        const f_one_callbacks = loop.createFuture<number>()
        f_one_callbacks.addDoneCallback(_fakefunc)
        assert.match(
          String(f_one_callbacks),
          new RegExp(`^<Future pending cb=\\[${funcRepr("_fakefunc")}\\]>$`)
        )
        f_one_callbacks.cancelUnsafe()
        assert.strictEqual(String(f_one_callbacks), "<Future cancelled>")

        const f_two_callbacks = loop.createFuture<number>()
        f_two_callbacks.addDoneCallback(first_cb)
        f_two_callbacks.addDoneCallback(last_cb)
        assert.match(
          String(f_two_callbacks),
          new RegExp(`^<Future pending cb=\\[${funcRepr("first_cb")}, ${funcRepr("last_cb")}\\]>$`)
        )
        f_two_callbacks.cancelUnsafe()
      })
    )
  )

  it.effect("test_future_repr: more than two callbacks show as first, <N more>, last", () =>
    runOk(
      Effect.gen(function* () {
        const loop = yield* asyncio.getRunningLoop
        const f_many_callbacks = loop.createFuture<number>()
        f_many_callbacks.addDoneCallback(first_cb)
        for (let i = 0; i < 8; i++) f_many_callbacks.addDoneCallback(_fakefunc)
        f_many_callbacks.addDoneCallback(last_cb)
        const cb_regex = `${funcRepr("first_cb")}, <8 more>, ${funcRepr("last_cb")}`
        assert.match(String(f_many_callbacks), new RegExp(`^<Future pending cb=\\[${cb_regex}\\]>$`))
        f_many_callbacks.cancelUnsafe()
        assert.strictEqual(String(f_many_callbacks), "<Future cancelled>")
      })
    )
  )

  it.effect("test_tb_logger_abandoned: a pending future left behind is not reported", () =>
    Effect.gen(function* () {
      const reports = yield* reportsOf(
        Effect.gen(function* () {
          yield* asyncio.createFuture<number>()
        })
      )
      assert.deepStrictEqual(reports, [])
    })
  )

  it.effect("test_set_result_unless_cancelled: a cancelled future stays cancelled", () =>
    runOk(
      Effect.gen(function* () {
        // CPython tests the private helper futures._set_result_unless_cancelled; so does this port
        const fut = yield* asyncio.createFuture<number>()
        fut.cancelUnsafe()
        setResultUnlessCancelled(futureImpl(fut), 2)
        assert.isTrue(fut.cancelled())
      })
    )
  )
})

for (const flavour of flavours) {
  describe(`BaseFutureTests (test_futures.py), with the ${flavour.name}`, () => {
    it.effect("test_initial_state", () =>
      runOk(
        Effect.gen(function* () {
          const f = yield* asyncio.createFuture<number>()
          assert.isFalse(f.cancelled())
          assert.isFalse(f.done())
          yield* flavour.cancel(f)
          assert.isTrue(f.cancelled())
        })
      )
    )

    it.effect("test_cancel", () =>
      runOk(
        Effect.gen(function* () {
          const f = yield* asyncio.createFuture<number | undefined, Spam>()
          assert.isTrue(yield* flavour.cancel(f))
          assert.isTrue(f.cancelled())
          assert.isTrue(f.done())
          assert.instanceOf(yield* Effect.flip(f.result()), asyncio.CancelledError)
          assert.instanceOf(yield* Effect.flip(f.exception()), asyncio.CancelledError)
          assert.instanceOf(yield* flavour.setResult(f, undefined), asyncio.InvalidStateError)
          // CPython passes None: the state is checked first
          assert.instanceOf(yield* flavour.setException(f, new Spam()), asyncio.InvalidStateError)
          assert.isFalse(yield* flavour.cancel(f))
        })
      )
    )

    it.effect("test_result", () =>
      runOk(
        Effect.gen(function* () {
          const f = yield* asyncio.createFuture<number | undefined, Spam>()
          assert.instanceOf(yield* Effect.flip(f.result()), asyncio.InvalidStateError)

          assert.isUndefined(yield* flavour.setResult(f, 42))
          assert.isFalse(f.cancelled())
          assert.isTrue(f.done())
          assert.strictEqual(yield* f.result(), 42)
          assert.strictEqual(yield* f.exception(), undefined)
          assert.instanceOf(yield* flavour.setResult(f, undefined), asyncio.InvalidStateError)
          assert.instanceOf(yield* flavour.setException(f, new Spam()), asyncio.InvalidStateError)
          assert.isFalse(yield* flavour.cancel(f))
        })
      )
    )

    it.effect("test_exception", () =>
      runOk(
        Effect.gen(function* () {
          const exc = new asyncio.RuntimeError({ message: "" })
          const f = yield* asyncio.createFuture<number | undefined, asyncio.RuntimeError | Spam>()
          assert.instanceOf(yield* Effect.flip(f.exception()), asyncio.InvalidStateError)

          assert.isUndefined(yield* flavour.setException(f, exc))
          assert.isFalse(f.cancelled())
          assert.isTrue(f.done())
          const failure = yield* Effect.flip(f.result())
          assert.instanceOf(failure, asyncio.RuntimeError)
          assert.strictEqual(yield* f.exception(), exc)
          assert.instanceOf(yield* flavour.setResult(f, undefined), asyncio.InvalidStateError)
          assert.instanceOf(yield* flavour.setException(f, new Spam()), asyncio.InvalidStateError)
          assert.isFalse(yield* flavour.cancel(f))
        })
      )
    )

    it.effect("test_yield_from_twice: both awaits give the result set in between", () =>
      Effect.gen(function* () {
        const log: Array<string> = []
        yield* runOk(
          Effect.gen(function* () {
            const f = yield* asyncio.createFuture<number>()
            const t = yield* asyncio.createTask(
              Effect.gen(function* () {
                log.push("A")
                log.push(`B ${yield* f}`)
                log.push(`C ${yield* f}`)
              })
            )
            yield* asyncio.sleep(0)
            assert.deepStrictEqual(log, ["A"])
            assert.isUndefined(yield* flavour.setResult(f, 42))
            yield* t
          })
        )
        assert.deepStrictEqual(log, ["A", "B 42", "C 42"])
      })
    )

    it.effect("test_tb_logger_not_called_after_cancel", () =>
      Effect.gen(function* () {
        const reports = yield* reportsOf(
          Effect.gen(function* () {
            const fut = yield* asyncio.createFuture<number, Spam>()
            assert.isUndefined(yield* flavour.setException(fut, new Spam()))
            yield* flavour.cancel(fut)
          })
        )
        assert.deepStrictEqual(reports, [])
      })
    )

    it.effect("test_tb_logger_result_unretrieved", () =>
      Effect.gen(function* () {
        const reports = yield* reportsOf(
          Effect.gen(function* () {
            const fut = yield* asyncio.createFuture<number>()
            assert.isUndefined(yield* flavour.setResult(fut, 42))
          })
        )
        assert.deepStrictEqual(reports, [])
      })
    )

    it.effect("test_tb_logger_result_retrieved", () =>
      Effect.gen(function* () {
        const reports = yield* reportsOf(
          Effect.gen(function* () {
            const fut = yield* asyncio.createFuture<number>()
            assert.isUndefined(yield* flavour.setResult(fut, 42))
            yield* fut.result()
          })
        )
        assert.deepStrictEqual(reports, [])
      })
    )

    it.effect("test_tb_logger_exception_unretrieved", () =>
      Effect.gen(function* () {
        const reports = yield* reportsOf(
          Effect.gen(function* () {
            const fut = yield* asyncio.createFuture<number, asyncio.RuntimeError>()
            assert.isUndefined(
              yield* flavour.setException(fut, new asyncio.RuntimeError({ message: "boom" }))
            )
            yield* runBriefly
          })
        )
        assert.strictEqual(reports.length, 1)
      })
    )

    it.effect("test_tb_logger_exception_retrieved", () =>
      Effect.gen(function* () {
        const reports = yield* reportsOf(
          Effect.gen(function* () {
            const fut = yield* asyncio.createFuture<number, asyncio.RuntimeError>()
            assert.isUndefined(
              yield* flavour.setException(fut, new asyncio.RuntimeError({ message: "boom" }))
            )
            yield* fut.exception()
          })
        )
        assert.deepStrictEqual(reports, [])
      })
    )

    it.effect("test_tb_logger_exception_result_retrieved", () =>
      Effect.gen(function* () {
        const reports = yield* reportsOf(
          Effect.gen(function* () {
            const fut = yield* asyncio.createFuture<number, asyncio.RuntimeError>()
            assert.isUndefined(
              yield* flavour.setException(fut, new asyncio.RuntimeError({ message: "boom" }))
            )
            assert.instanceOf(yield* Effect.flip(fut.result()), asyncio.RuntimeError)
          })
        )
        assert.deepStrictEqual(reports, [])
      })
    )

    for (const debug of [false, true]) {
      const name = debug
        ? "test_future_exception_never_retrieved_debug"
        : "test_future_exception_never_retrieved"
      it.effect(`${name}: reported once, with the exception`, () =>
        Effect.gen(function* () {
          class MemoryError extends Error {
            override readonly name = "MemoryError"
          }
          const exc = new MemoryError()
          const reports = yield* reportsOf(
            Effect.gen(function* () {
              const future = yield* asyncio.createFuture<number, MemoryError>()
              assert.isUndefined(yield* flavour.setException(future, exc))
              yield* runBriefly
            }),
            { debug }
          )
          // CPython: m_log.error.assert_called_once_with(ANY, exc_info=(type(exc), exc, tb)), and
          // the message the default handler logs matches '^Future exception was never retrieved\n'
          assert.strictEqual(reports.length, 1)
          const [report] = reports
          assert.isDefined(report)
          assert.strictEqual(report.exception, exc)
          assert.match(asyncio.formatExceptionContext(report), /^Future exception was never retrieved\n/)
        })
      )
    }

    it.effect("test_set_result_unless_cancelled: after cancel() by this API", () =>
      runOk(
        Effect.gen(function* () {
          const fut = yield* asyncio.createFuture<number>()
          yield* flavour.cancel(fut)
          setResultUnlessCancelled(futureImpl(fut), 2)
          assert.isTrue(fut.cancelled())
        })
      )
    )
  })

  describe(`BaseFutureDoneCallbackTests (test_futures.py), with the ${flavour.name}`, () => {
    it.effect("test_callbacks_remove_first_callback", () =>
      runOk(
        Effect.gen(function* () {
          const bag: Array<number> = []
          const f = yield* asyncio.createFuture<string>()

          const cb1 = makeCallback(bag, 42)
          const cb2 = makeCallback(bag, 17)
          const cb3 = makeCallback(bag, 100)

          f.addDoneCallback(cb1)
          f.addDoneCallback(cb2)
          f.addDoneCallback(cb3)

          f.removeDoneCallback(cb1)
          f.removeDoneCallback(cb1)

          assert.deepStrictEqual(bag, [])
          assert.isUndefined(yield* flavour.setResult(f, "foo"))

          yield* runBriefly

          assert.deepStrictEqual(bag, [17, 100])
          assert.strictEqual(yield* f.result(), "foo")
        })
      )
    )

    it.effect("test_callbacks_remove_first_and_second_callback", () =>
      runOk(
        Effect.gen(function* () {
          const bag: Array<number> = []
          const f = yield* asyncio.createFuture<string>()

          const cb1 = makeCallback(bag, 42)
          const cb2 = makeCallback(bag, 17)
          const cb3 = makeCallback(bag, 100)

          f.addDoneCallback(cb1)
          f.addDoneCallback(cb2)
          f.addDoneCallback(cb3)

          f.removeDoneCallback(cb1)
          f.removeDoneCallback(cb2)
          f.removeDoneCallback(cb1)

          assert.deepStrictEqual(bag, [])
          assert.isUndefined(yield* flavour.setResult(f, "foo"))

          yield* runBriefly

          assert.deepStrictEqual(bag, [100])
          assert.strictEqual(yield* f.result(), "foo")
        })
      )
    )

    it.effect("test_callbacks_remove_third_callback", () =>
      runOk(
        Effect.gen(function* () {
          const bag: Array<number> = []
          const f = yield* asyncio.createFuture<string>()

          const cb1 = makeCallback(bag, 42)
          const cb2 = makeCallback(bag, 17)
          const cb3 = makeCallback(bag, 100)

          f.addDoneCallback(cb1)
          f.addDoneCallback(cb2)
          f.addDoneCallback(cb3)

          f.removeDoneCallback(cb3)
          f.removeDoneCallback(cb3)

          assert.deepStrictEqual(bag, [])
          assert.isUndefined(yield* flavour.setResult(f, "foo"))

          yield* runBriefly

          assert.deepStrictEqual(bag, [42, 17])
          assert.strictEqual(yield* f.result(), "foo")
        })
      )
    )

    it.effect("test_callbacks_invoked_on_set_result", () =>
      runOk(
        Effect.gen(function* () {
          const bag: Array<number> = []
          const f = yield* asyncio.createFuture<string>()
          f.addDoneCallback(makeCallback(bag, 42))
          f.addDoneCallback(makeCallback(bag, 17))

          assert.deepStrictEqual(bag, [])
          assert.isUndefined(yield* flavour.setResult(f, "foo"))

          yield* runBriefly

          assert.deepStrictEqual(bag, [42, 17])
          assert.strictEqual(yield* f.result(), "foo")
        })
      )
    )

    it.effect("test_callbacks_invoked_on_set_exception", () =>
      runOk(
        Effect.gen(function* () {
          const bag: Array<number> = []
          const f = yield* asyncio.createFuture<string, asyncio.RuntimeError>()
          f.addDoneCallback(makeCallback(bag, 100))

          assert.deepStrictEqual(bag, [])
          const exc = new asyncio.RuntimeError({ message: "" })
          assert.isUndefined(yield* flavour.setException(f, exc))

          yield* runBriefly

          assert.deepStrictEqual(bag, [100])
          assert.strictEqual(yield* f.exception(), exc)
        })
      )
    )

    it.effect("test_remove_done_callback", () =>
      runOk(
        Effect.gen(function* () {
          const bag: Array<number> = []
          const f = yield* asyncio.createFuture<string>()
          const cb1 = makeCallback(bag, 1)
          const cb2 = makeCallback(bag, 2)
          const cb3 = makeCallback(bag, 3)

          // Add one cb1 and one cb2.
          f.addDoneCallback(cb1)
          f.addDoneCallback(cb2)

          // One instance of cb2 removed. Now there's only one cb1.
          assert.strictEqual(f.removeDoneCallback(cb2), 1)

          // Never had any cb3 in there.
          assert.strictEqual(f.removeDoneCallback(cb3), 0)

          // After this there will be 6 instances of cb1 and one of cb2.
          f.addDoneCallback(cb2)
          for (let i = 0; i < 5; i++) f.addDoneCallback(cb1)

          // Remove all instances of cb1. One cb2 remains.
          assert.strictEqual(f.removeDoneCallback(cb1), 6)

          assert.deepStrictEqual(bag, [])
          assert.isUndefined(yield* flavour.setResult(f, "foo"))

          yield* runBriefly

          assert.deepStrictEqual(bag, [2])
          assert.strictEqual(yield* f.result(), "foo")
        })
      )
    )

    it.effect("test_schedule_callbacks_list_mutation_1: removing scheduled callbacks removes nothing", () =>
      Effect.gen(function* () {
        // CPython only checks that nothing crashes; CPython 3.13 logs 'removed after set 0',
        // 'mut removed 0', 'str', 'str': the callbacks were scheduled by set_result, all of them run
        const log: Array<string> = []
        yield* runOk(
          Effect.gen(function* () {
            const str = (_future: unknown) => log.push("str")
            const mut = (f: asyncio.Future<number>) => log.push(`mut removed ${f.removeDoneCallback(str)}`)
            const fut = yield* asyncio.createFuture<number>()
            fut.addDoneCallback(mut)
            fut.addDoneCallback(str)
            fut.addDoneCallback(str)
            assert.isUndefined(yield* flavour.setResult(fut, 1))
            log.push(`removed after set ${fut.removeDoneCallback(str)}`)
            yield* runBriefly
          })
        )
        assert.deepStrictEqual(log, ["removed after set 0", "mut removed 0", "str", "str"])
      })
    )
  })
}
