import { assert, describe, expectTypeOf, it } from "@effect/vitest"
import * as asyncio from "@effect-asyncio/core"
import { Cause, Deferred, Effect, Exit } from "effect"
import { pendingTaskCount, runOk, runVirtual } from "./utils/virtual.js"

class Boom extends Error {}

/** A task standing for a future: it finishes when the deferred is completed. */
const future = <A, E = never>() =>
  Effect.gen(function* () {
    const deferred = yield* Deferred.make<A, E>()
    const task = yield* asyncio.createTask(Deferred.await(deferred))
    return { deferred, task }
  })

const failure = (exit: Exit.Exit<unknown, unknown>): unknown =>
  Exit.isFailure(exit) ? Cause.squash(exit.cause) : undefined

describe("gather", () => {
  it.effect("test_success: results in argument order, not completion order", () =>
    Effect.gen(function* () {
      const { value, elapsed } = yield* runOk(
        asyncio.gather(asyncio.sleep(3, "a"), asyncio.sleep(1, "b"), asyncio.sleep(2, "c"))
      )
      assert.deepStrictEqual(value, ["a", "b", "c"])
      assert.strictEqual(elapsed, 3)
    })
  )

  it.effect("test_result_exception_success: returnExceptions puts the error in its place", () =>
    Effect.gen(function* () {
      const { value } = yield* runOk(
        asyncio.gather(asyncio.sleep(1, 1), Effect.fail("bad"), asyncio.sleep(2, 3), {
          returnExceptions: true
        })
      )
      assert.deepStrictEqual(value, [1, "bad", 3])
    })
  )

  it.effect("test_one_exception: the first error reaches the caller, the others keep running", () =>
    Effect.gen(function* () {
      const log: Array<string> = []
      const main = Effect.gen(function* () {
        const a = yield* asyncio.createTask(asyncio.sleep(1, "a"))
        const b = yield* asyncio.createTask(Effect.andThen(asyncio.sleep(2), Effect.fail("first")))
        const c = yield* asyncio.createTask(
          Effect.andThen(
            asyncio.sleep(3),
            Effect.sync(() => log.push("c still ran"))
          )
        )
        const error = yield* Effect.flip(asyncio.gather(a, b, c))
        const loop = yield* asyncio.EventLoop
        log.push(`${error} at ${loop.time()} c.done=${c.done()}`)
        yield* c
        return log
      })
      const { value } = yield* runOk(main)
      assert.deepStrictEqual(value, ["first at 2 c.done=false", "c still ran"])
    })
  )

  it.effect("test_return_exceptions: every error and result, once all are done", () =>
    Effect.gen(function* () {
      const { value, elapsed } = yield* runOk(
        asyncio.gather(
          Effect.andThen(asyncio.sleep(1), Effect.fail(new Boom("x"))),
          asyncio.sleep(3, "ok"),
          Effect.andThen(asyncio.sleep(2), Effect.fail("y")),
          { returnExceptions: true }
        )
      )
      assert.instanceOf(value[0], Boom)
      assert.deepStrictEqual(value.slice(1), ["ok", "y"])
      assert.strictEqual(elapsed, 3)
    })
  )

  it.effect("test_constructor_empty_sequence_use_running_loop: gather() is []", () =>
    Effect.gen(function* () {
      const { value } = yield* runOk(asyncio.gather())
      assert.deepStrictEqual(value, [])
      const { value: withOptions } = yield* runOk(asyncio.gather({ returnExceptions: true }))
      assert.deepStrictEqual(withOptions, [])
    })
  )

  it.effect("test_constructor_heterogenous_futures: tasks and effects mix", () =>
    Effect.gen(function* () {
      const main = Effect.gen(function* () {
        const t = yield* asyncio.createTask(asyncio.sleep(1, "task"))
        return yield* asyncio.gather(t, asyncio.sleep(1, 2), Effect.succeed(true))
      })
      const { value } = yield* runOk(main)
      assert.deepStrictEqual(value, ["task", 2, true])
    })
  )

  it.effect("test_one_cancellation: a child cancelled from outside fails the gather", () =>
    Effect.gen(function* () {
      const main = Effect.gen(function* () {
        const a = yield* asyncio.createTask(asyncio.sleep(1, "a"))
        const b = yield* asyncio.createTask(asyncio.sleep(10, "b"))
        const c = yield* asyncio.createTask(asyncio.sleep(3, "c"))
        yield* asyncio.createTask(Effect.andThen(asyncio.sleep(2), b.cancel("from outside")))
        const error = yield* Effect.flip(asyncio.gather(a, b, c))
        const loop = yield* asyncio.EventLoop
        return [error._tag, error.message, loop.time(), c.done()]
      })
      const { value } = yield* runOk(main)
      assert.deepStrictEqual(value, ["CancelledError", "from outside", 2, false])
    })
  )

  it.effect("test_result_exception_one_cancellation: returnExceptions holds CancelledError('')", () =>
    Effect.gen(function* () {
      const main = Effect.gen(function* () {
        const a = yield* asyncio.createTask(asyncio.sleep(1, "a"))
        const b = yield* asyncio.createTask(asyncio.sleep(10, "b"))
        const c = yield* asyncio.createTask(Effect.andThen(asyncio.sleep(3), Effect.fail("c")))
        yield* asyncio.createTask(Effect.andThen(asyncio.sleep(2), b.cancel("msg")))
        return yield* asyncio.gather(a, b, c, { returnExceptions: true })
      })
      const { value, elapsed } = yield* runOk(main)
      assert.strictEqual(value[0], "a")
      assert.instanceOf(value[1], asyncio.CancelledError)
      // CPython 3.13 builds it from `fut._cancel_message`, which a task's own `Future.cancel()`
      // resets: the message is lost here (while `await b` would still raise CancelledError('msg'))
      assert.strictEqual((value[1] as asyncio.CancelledError).message, "")
      assert.strictEqual(value[2], "c")
      assert.strictEqual(elapsed, 3)
    })
  )

  it.effect("test_duplicate_coroutines: the same effect twice runs once", () =>
    Effect.gen(function* () {
      let runs = 0
      const c = Effect.sync(() => {
        runs += 1
        return "abc"
      })
      const { value } = yield* runOk(asyncio.gather(c, c, Effect.succeed("def"), c))
      assert.deepStrictEqual(value, ["abc", "abc", "def", "abc"])
      assert.strictEqual(runs, 1)
    })
  )

  it.effect("test_duplicate_coroutines: the same task twice is awaited once", () =>
    Effect.gen(function* () {
      const main = Effect.gen(function* () {
        const t = yield* asyncio.createTask(asyncio.sleep(1, 7))
        return yield* asyncio.gather(t, t)
      })
      const { value } = yield* runOk(main)
      assert.deepStrictEqual(value, [7, 7])
    })
  )

  it.effect("test_cancellation_broadcast: cancelling the gather cancels every child", () =>
    Effect.gen(function* () {
      let proof = 0
      const main = Effect.gen(function* () {
        const inner = Effect.andThen(
          asyncio.sleep(10),
          Effect.sync(() => (proof += 1))
        )
        const child1 = yield* asyncio.createTask(inner)
        const child2 = yield* asyncio.createTask(inner)
        const outer = yield* asyncio.createTask(
          Effect.andThen(
            asyncio.gather(child1, child2),
            Effect.sync(() => (proof += 100))
          )
        )
        yield* asyncio.sleep(1)
        assert.isTrue(yield* outer.cancel())
        const error = yield* Effect.flip(outer)
        return [error._tag, child1.cancelled(), child2.cancelled()]
      })
      const { value } = yield* runOk(main)
      assert.deepStrictEqual(value, ["CancelledError", true, true])
      assert.strictEqual(proof, 0)
    })
  )

  it.effect("a cancelled gather resumes its caller as asyncio does: at the first cancelled child", () =>
    Effect.gen(function* () {
      const main = (returnExceptions: boolean) =>
        Effect.gen(function* () {
          const loop = yield* asyncio.EventLoop
          const start = loop.time()
          const quick = yield* asyncio.createTask(asyncio.sleep(10))
          const slowCleanup = yield* asyncio.createTask(
            asyncio.sleep(10).pipe(Effect.onInterrupt(() => asyncio.sleep(5)))
          )
          const outer = yield* asyncio.createTask(asyncio.gather(quick, slowCleanup, { returnExceptions }))
          yield* asyncio.sleep(1)
          yield* outer.cancel()
          yield* Effect.flip(outer)
          const resumedAt = loop.time() - start
          yield* asyncio.wait([slowCleanup])
          return [resumedAt, loop.time() - start, quick.cancelled(), slowCleanup.cancelled()]
        })
      const { value: first } = yield* runOk(main(false))
      assert.deepStrictEqual(first, [1, 6, true, true])
      // with returnExceptions the gathering future waits for every child
      const { value: all } = yield* runOk(main(true))
      assert.deepStrictEqual(all, [6, 6, true, true])
    })
  )

  it.effect("test_cancel_gather_2: the cancel message reaches the children", () =>
    Effect.gen(function* () {
      const main = Effect.gen(function* () {
        const child = yield* asyncio.createTask(asyncio.sleep(10))
        const outer = yield* asyncio.createTask(asyncio.gather(child, { returnExceptions: true }))
        yield* asyncio.sleep(0.2)
        yield* outer.cancel("my message")
        const error = yield* Effect.flip(outer)
        // the child's own CancelledError('my message') went to the gather (CPython's
        // `_make_cancelled_error` hands it out once): a later await gets a bare one
        const childError = yield* Effect.flip(child)
        return [error.message, child.cancelled(), childError.message]
      })
      const { value } = yield* runOk(main)
      // CPython 3.13, same program: outer ('my message',), child cancelled, then ()
      assert.deepStrictEqual(value, ["my message", true, ""])
    })
  )

  it.effect("test_exception_marking: a later failure of a child is marked retrieved", () =>
    Effect.gen(function* () {
      const reports: Array<string> = []
      const main = Effect.gen(function* () {
        const inner = (delay: number) =>
          Effect.andThen(asyncio.sleep(delay), Effect.fail(new Boom("should not be ignored")))
        const error = yield* Effect.flip(asyncio.gather(inner(1), inner(2)))
        yield* asyncio.sleep(5)
        return error
      })
      const { value } = yield* runOk(main, {
        exceptionHandler: (_loop, context) => reports.push(context.message)
      })
      assert.instanceOf(value, Boom)
      assert.deepStrictEqual(reports, [])
    })
  )

  it.effect("test_issue46672: a non-effect argument dies with TypeError before any child starts", () =>
    Effect.gen(function* () {
      let ran = false
      const c = Effect.sync(() => {
        ran = true
      })
      const bad: unknown = 42
      const { exit } = yield* runVirtual(asyncio.gather(c, bad as Effect.Effect<number>))
      assert.instanceOf(failure(exit), asyncio.TypeError)
      assert.isFalse(ran)
    })
  )

  it.effect("a defect in a child stays a defect, even with returnExceptions", () =>
    Effect.gen(function* () {
      const { exit } = yield* runVirtual(
        asyncio.gather(asyncio.sleep(1, 1), Effect.die(new Boom("defect")), { returnExceptions: true })
      )
      assert.isTrue(Exit.isFailure(exit) && Cause.hasDies(exit.cause))
    })
  )

  it.effect("test_gather_shield: cancelling gather cancels the shields, not the inner tasks", () =>
    Effect.gen(function* () {
      const main = Effect.gen(function* () {
        const child1 = yield* future<number>()
        const child2 = yield* future<number>()
        const parent = yield* asyncio.createTask(
          asyncio.gather(asyncio.shield(child1.task), asyncio.shield(child2.task))
        )
        yield* asyncio.sleep(0)
        yield* parent.cancel()
        const error = yield* Effect.flip(parent)
        yield* Deferred.succeed(child1.deferred, 1)
        yield* Deferred.succeed(child2.deferred, 2)
        return [error._tag, yield* child1.task, yield* child2.task]
      })
      const { value } = yield* runOk(main)
      assert.deepStrictEqual(value, ["CancelledError", 1, 2])
    })
  )

  it.effect("a child that fails while the cancelled gather cancels it: the caller raises its error", () =>
    Effect.gen(function* () {
      // CPython 3.13: without return_exceptions the gathering future takes the first child's
      // exception, even while it is being cancelled: `await t` raises ValueError('in cleanup')
      // and t.cancelled() is False; with return_exceptions it is CancelledError()
      const child = asyncio.sleep(10).pipe(Effect.onInterrupt(() => Effect.fail(new Boom("in cleanup"))))
      const main = (returnExceptions: boolean) =>
        Effect.gen(function* () {
          const t = yield* asyncio.createTask(asyncio.gather(child, asyncio.sleep(10), { returnExceptions }))
          yield* asyncio.sleep(0.5)
          yield* t.cancel()
          const exit = yield* Effect.exit(t)
          return [
            failure(exit) instanceof Boom,
            failure(exit) instanceof asyncio.CancelledError,
            t.cancelled()
          ]
        })
      assert.deepStrictEqual((yield* runOk(main(false))).value, [true, false, false])
      assert.deepStrictEqual((yield* runOk(main(true))).value, [false, true, true])
    })
  )

  it.effect("no fiber is left running after a failed gather", () =>
    Effect.gen(function* () {
      let live = -1
      const main = Effect.gen(function* () {
        yield* Effect.flip(asyncio.gather(asyncio.sleep(5), Effect.fail("now")))
        const loop = yield* asyncio.EventLoop
        return loop
      })
      const { value: loop } = yield* runOk(main)
      live = pendingTaskCount(loop)
      assert.strictEqual(live, 0)
    })
  )

  it("types: a tuple of results and the union of errors", () => {
    const a = Effect.succeed(1) as Effect.Effect<number, "ea">
    const b = Effect.succeed("s") as Effect.Effect<string, "eb">
    const plain = asyncio.gather(a, b)
    expectTypeOf(plain).toEqualTypeOf<
      Effect.Effect<[number, string], "ea" | "eb" | asyncio.CancelledError, asyncio.EventLoop>
    >()
    const outcomes = asyncio.gather(a, b, { returnExceptions: true })
    expectTypeOf(outcomes).toEqualTypeOf<
      Effect.Effect<
        [number | "ea" | asyncio.CancelledError, string | "eb" | asyncio.CancelledError],
        never,
        asyncio.EventLoop
      >
    >()
    const explicit = asyncio.gather(a, b, { returnExceptions: false })
    expectTypeOf(explicit).toEqualTypeOf<typeof plain>()
    const none = asyncio.gather()
    expectTypeOf(none).toEqualTypeOf<Effect.Effect<[], asyncio.CancelledError, asyncio.EventLoop>>()
    const many = [a, a, a]
    expectTypeOf(asyncio.gather(...many)).toEqualTypeOf<
      Effect.Effect<Array<number>, "ea" | asyncio.CancelledError, asyncio.EventLoop>
    >()
  })
})
