import { assert, describe, it } from "@effect/vitest"
import * as asyncio from "@effect-asyncio/core"
import { Cause, Deferred, Effect, Exit } from "effect"
import { runOk, runVirtual } from "./utils/virtual.js"

/** A task standing for a future: it finishes when the deferred is completed. */
const future = <A, E = never>() =>
  Effect.gen(function* () {
    const deferred = yield* Deferred.make<A, E>()
    const task = yield* asyncio.createTask(Deferred.await(deferred))
    return { deferred, task }
  })

describe("shield", () => {
  it.effect("test_shield_result: the inner result comes through", () =>
    Effect.gen(function* () {
      const main = Effect.gen(function* () {
        const inner = yield* future<number>()
        const outer = yield* asyncio.createTask(asyncio.shield(inner.task))
        yield* asyncio.sleep(0)
        yield* Deferred.succeed(inner.deferred, 42)
        return yield* outer
      })
      const { value } = yield* runOk(main)
      assert.strictEqual(value, 42)
    })
  )

  it.effect("test_shield_exception: the inner error comes through", () =>
    Effect.gen(function* () {
      const main = Effect.gen(function* () {
        const inner = yield* future<number, string>()
        const outer = yield* asyncio.createTask(asyncio.shield(inner.task))
        yield* asyncio.sleep(0)
        yield* Deferred.fail(inner.deferred, "exc")
        return yield* Effect.flip(outer)
      })
      const { value } = yield* runOk(main)
      assert.strictEqual(value, "exc")
    })
  )

  it.effect("test_shield_cancel_inner: a cancelled inner task cancels the caller", () =>
    Effect.gen(function* () {
      const main = Effect.gen(function* () {
        const inner = yield* future<number>()
        const outer = yield* asyncio.createTask(asyncio.shield(inner.task))
        yield* asyncio.sleep(0)
        yield* inner.task.cancel()
        const error = yield* Effect.flip(outer)
        return [error._tag, inner.task.cancelled()]
      })
      const { value } = yield* runOk(main)
      assert.deepStrictEqual(value, ["CancelledError", true])
    })
  )

  it.effect(
    "shield's _inner_done_callback: a cancelled inner task keeps its message for its own awaiters",
    () =>
      Effect.gen(function* () {
        // CPython 3.13: the callback only calls outer.cancel(); the caller sees CancelledError()
        // and `await inner` still gets CancelledError('m')
        const main = Effect.gen(function* () {
          const inner = yield* future<number>()
          const caller = yield* asyncio.createTask(asyncio.shield(inner.task))
          yield* asyncio.sleep(0)
          yield* inner.task.cancel("m")
          const seenByCaller = yield* Effect.flip(caller)
          const seenByInnerAwaiter = yield* Effect.flip(inner.task)
          return [seenByCaller.message, seenByInnerAwaiter.message]
        })
        const { value } = yield* runOk(main)
        assert.deepStrictEqual(value, ["", "m"])
      })
  )

  it.effect("test_shield_cancel_outer: cancelling the caller leaves the inner task running", () =>
    Effect.gen(function* () {
      const main = Effect.gen(function* () {
        const inner = yield* future<number>()
        const outer = yield* asyncio.createTask(asyncio.shield(inner.task))
        yield* asyncio.sleep(0)
        yield* outer.cancel()
        const error = yield* Effect.flip(outer)
        const innerCancelled = inner.task.cancelled()
        yield* Deferred.succeed(inner.deferred, 7)
        return [error._tag, outer.cancelled(), innerCancelled, yield* inner.task]
      })
      const { value } = yield* runOk(main)
      assert.deepStrictEqual(value, ["CancelledError", true, false, 7])
    })
  )

  it.effect("test_shield_shortcut: a done task gives its result at once", () =>
    Effect.gen(function* () {
      const main = Effect.gen(function* () {
        const task = yield* asyncio.createTask(Effect.succeed(42), { eagerStart: true })
        return [task.done(), yield* asyncio.shield(task)]
      })
      const { value } = yield* runOk(main)
      assert.deepStrictEqual(value, [true, 42])
    })
  )

  it.effect("test_shield_effect: cancelling the waiter of a shielded effect does not stop it", () =>
    Effect.gen(function* () {
      let proof = 0
      const main = Effect.gen(function* () {
        const waiter = yield* Deferred.make<void>()
        const inner = Effect.andThen(
          Deferred.await(waiter),
          Effect.sync(() => (proof += 1))
        )
        const outer = Effect.andThen(
          asyncio.shield(inner),
          Effect.sync(() => (proof += 100))
        )
        const task = yield* asyncio.createTask(outer)
        yield* asyncio.sleep(0)
        yield* task.cancel()
        const error = yield* Effect.flip(task)
        yield* Deferred.succeed(waiter, undefined)
        yield* asyncio.sleep(0)
        return error._tag
      })
      const { value } = yield* runOk(main)
      assert.strictEqual(value, "CancelledError")
      assert.strictEqual(proof, 1)
    })
  )

  it.effect("test_shield_gather: a shielded gather finishes after the caller is cancelled", () =>
    Effect.gen(function* () {
      const main = Effect.gen(function* () {
        const child1 = yield* future<number>()
        const child2 = yield* future<number>()
        const parent = yield* asyncio.createTask(asyncio.gather(child1.task, child2.task))
        const outer = yield* asyncio.createTask(asyncio.shield(parent))
        yield* asyncio.sleep(0)
        yield* outer.cancel()
        yield* asyncio.sleep(0)
        const cancelled = outer.cancelled()
        yield* Deferred.succeed(child1.deferred, 1)
        yield* Deferred.succeed(child2.deferred, 2)
        return [cancelled, yield* parent]
      })
      const { value } = yield* runOk(main)
      assert.deepStrictEqual(value, [true, [1, 2]])
    })
  )

  it.effect("a failure of the inner task after the caller was cancelled is reported as never retrieved", () =>
    Effect.gen(function* () {
      const reports: Array<string> = []
      const main = Effect.gen(function* () {
        const inner = yield* future<number, string>()
        const outer = yield* asyncio.createTask(asyncio.shield(inner.task))
        yield* asyncio.sleep(0)
        yield* outer.cancel()
        yield* Effect.flip(outer)
        yield* Deferred.fail(inner.deferred, "late")
        yield* asyncio.sleep(0)
      })
      yield* runOk(main, { exceptionHandler: (_loop, context) => reports.push(context.message) })
      // CPython 3.13 (same program, gc.collect() at the end): "Task exception was never
      // retrieved": `_outer_done_callback` removed the inner callback once the outer was cancelled
      assert.deepStrictEqual(reports, ["Task exception was never retrieved"])
    })
  )

  it.effect("a non-effect dies with TypeError", () =>
    Effect.gen(function* () {
      const bad: unknown = 1
      const { exit } = yield* runVirtual(asyncio.shield(bad as Effect.Effect<number>))
      assert.isTrue(Exit.isFailure(exit) && Cause.squash(exit.cause) instanceof asyncio.TypeError)
    })
  )
})
