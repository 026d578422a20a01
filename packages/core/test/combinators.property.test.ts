import { assert, describe, it } from "@effect/vitest"
import * as asyncio from "@effect-asyncio/core"
import { Effect, Exit } from "effect"
import * as fc from "fast-check"
import { pendingTaskCount, runOk } from "./utils/virtual.js"

/** One child of a random mix: when it ends (virtual ms), how, and whether someone cancels it first. */
interface Child {
  readonly millis: number
  readonly outcome: "ok" | "fail"
  readonly cancelAt: number | null
}

const child: fc.Arbitrary<Child> = fc.record({
  millis: fc.integer({ min: 0, max: 50 }),
  outcome: fc.constantFrom("ok" as const, "fail" as const),
  cancelAt: fc.option(fc.integer({ min: 0, max: 50 }), { nil: null })
})

const children = fc.array(child, { minLength: 1, maxLength: 8 })

/** Child `i`: sleeps, then succeeds with `i` or fails with `E<i>`. */
const body = (spec: Child, i: number): Effect.Effect<number, string> =>
  Effect.andThen(
    asyncio.sleep(spec.millis / 1000),
    spec.outcome === "ok" ? Effect.succeed(i) : Effect.fail(`E${i}`)
  )

/** Starts every child as a task, and a canceller task for those with `cancelAt`. */
const start = (specs: ReadonlyArray<Child>) =>
  Effect.gen(function* () {
    const tasks: Array<asyncio.Task<number, string>> = []
    for (const [i, spec] of specs.entries()) tasks.push(yield* asyncio.createTask(body(spec, i)))
    for (const [i, spec] of specs.entries()) {
      const task = tasks[i]
      if (spec.cancelAt !== null && task !== undefined) {
        yield* asyncio.createTask(Effect.andThen(asyncio.sleep(spec.cancelAt / 1000), task.cancel()))
      }
    }
    return tasks
  })

/** Runs a property example on the test's own services (TestClock). */
const check = <A extends ReadonlyArray<unknown>>(
  arbitraries: { [K in keyof A]: fc.Arbitrary<A[K]> },
  property: (...values: A) => Effect.Effect<void>
) =>
  Effect.gen(function* () {
    const context = yield* Effect.context<never>()
    yield* Effect.promise(() =>
      fc.assert(
        fc.asyncProperty(...(arbitraries as unknown as [fc.Arbitrary<A[0]>]), (...values) =>
          Effect.runPromiseWith(context)(property(...(values as unknown as A)))
        ),
        { numRuns: 60 }
      )
    )
  })

/** The loop's live tasks besides the one running main. */
const othersAlive = Effect.map(asyncio.EventLoop, (loop) => pendingTaskCount(loop) - 1)

describe("combinators: properties", () => {
  it.effect("gather: result i belongs to argument i; nothing left running", () =>
    check([children], (specs) =>
      Effect.gen(function* () {
        const main = Effect.gen(function* () {
          const tasks = yield* start(specs)
          const results = yield* asyncio.gather(...tasks, { returnExceptions: true })
          return { results, tasks, alive: yield* othersAlive }
        })
        const { value } = yield* runOk(main)
        assert.strictEqual(value.results.length, specs.length)
        for (const [i, result] of value.results.entries()) {
          const task = value.tasks[i]
          if (task?.cancelled()) assert.instanceOf(result, asyncio.CancelledError)
          else assert.strictEqual(result, specs[i]?.outcome === "ok" ? i : `E${i}`)
        }
        // only the cancellers may still be sleeping
        const cancellers = specs.filter((spec) => spec.cancelAt !== null).length
        assert.isAtMost(value.alive, cancellers)
        assert.isTrue(value.tasks.every((task) => task.done()))
      })
    )
  )

  it.effect("gather without returnExceptions: all results, or the error of the first child to fail", () =>
    check([children], (specs) =>
      Effect.gen(function* () {
        const main = Effect.gen(function* () {
          const tasks = yield* start(specs)
          const exit = yield* Effect.exit(asyncio.gather(...tasks))
          const loop = yield* asyncio.EventLoop
          const at = loop.time()
          yield* asyncio.wait(tasks)
          return { exit, tasks, at }
        })
        const { value } = yield* runOk(main)
        const failed = value.tasks.filter(
          (task) => task.cancelled() || Exit.isFailure(Effect.runSync(Effect.exit(task.result())))
        )
        if (failed.length === 0) {
          assert.deepStrictEqual(
            value.exit._tag === "Success" ? value.exit.value : null,
            specs.map((_, i) => i)
          )
        } else {
          assert.strictEqual(value.exit._tag, "Failure")
        }
      })
    )
  )

  it.effect("gather without returnExceptions fails with the earliest error; the other children run on", () =>
    check(
      [
        fc.uniqueArray(fc.integer({ min: 0, max: 50 }), { minLength: 1, maxLength: 8 }),
        fc.array(fc.boolean(), { minLength: 8, maxLength: 8 })
      ],
      (delays, fails) =>
        Effect.gen(function* () {
          const specs: Array<Child> = delays.map((millis, i) => ({
            millis,
            outcome: fails[i] === true ? "fail" : "ok",
            cancelAt: null
          }))
          const main = Effect.gen(function* () {
            const tasks = yield* start(specs)
            const exit = yield* Effect.exit(asyncio.gather(...tasks))
            yield* asyncio.wait(tasks)
            return { exit, tasks }
          })
          const { value } = yield* runOk(main)
          const failing = specs
            .map((spec, i) => ({ ...spec, i }))
            .filter((spec) => spec.outcome === "fail")
            .sort((x, y) => x.millis - y.millis)
          const first = failing[0]
          if (first === undefined) {
            assert.deepStrictEqual(value.exit, Exit.succeed(specs.map((_, i) => i)))
          } else {
            assert.deepStrictEqual(value.exit, Exit.fail(`E${first.i}`))
          }
          // nobody cancelled the others: each ended by itself
          assert.isTrue(value.tasks.every((task) => task.done() && !task.cancelled()))
        })
    )
  )

  it.effect("cancelling a gather cancels every child still running", () =>
    check([children, fc.integer({ min: 0, max: 60 })], (specs, cancelAt) =>
      Effect.gen(function* () {
        const main = Effect.gen(function* () {
          const children = [...specs.entries()].map(([i, spec]) => body(spec, i))
          const gathering = yield* asyncio.createTask(asyncio.gather(...children, { returnExceptions: true }))
          yield* asyncio.sleep(cancelAt / 1000)
          yield* gathering.cancel()
          yield* asyncio.wait([gathering])
          return yield* othersAlive
        })
        const { value } = yield* runOk(main)
        assert.strictEqual(value, 0)
      })
    )
  )

  it.effect("wait: done and pending partition the input, and match the tasks' state", () =>
    check(
      [
        children,
        fc.option(fc.integer({ min: 0, max: 60 }), { nil: null }),
        fc.constantFrom(asyncio.FIRST_COMPLETED, asyncio.FIRST_EXCEPTION, asyncio.ALL_COMPLETED)
      ],
      (specs, timeoutMillis, returnWhen) =>
        Effect.gen(function* () {
          const main = Effect.gen(function* () {
            const tasks = yield* start(specs)
            const input = [...tasks, ...tasks.slice(0, 2)] // duplicates appear once
            const { done, pending } = yield* asyncio.wait(input, {
              timeout: timeoutMillis === null ? null : timeoutMillis / 1000,
              returnWhen
            })
            const states = {
              done: [...done].map((t) => t.done()),
              pending: [...pending].map((t) => t.done())
            }
            yield* asyncio.wait(tasks)
            return { tasks, done, pending, states }
          })
          // the failures nobody retrieved are reported at shutdown (captured here, not printed): only
          // failed children, and every one of them but those FIRST_EXCEPTION's `_on_completion` read
          // (`f.exception()`) or whose canceller called `cancel()` (as CPython's, it clears the log flag)
          const reported: Array<asyncio.ExceptionContext> = []
          const { value } = yield* runOk(main, {
            exceptionHandler: (_loop, context) => reported.push(context)
          })
          const { tasks, done, pending, states } = value
          const line = (task: asyncio.Task<number, string>) =>
            `Task exception was never retrieved: ${task.getName()}`
          const failed = tasks.filter((task, i) => !task.cancelled() && specs[i]?.outcome === "fail")
          const seen = reported.map(
            (context) =>
              `${context.message}: ${(context.future as asyncio.Task<unknown, unknown> | undefined)?.getName()}`
          )
          assert.includeMembers(failed.map(line), seen)
          if (returnWhen !== asyncio.FIRST_EXCEPTION) {
            const untouched = failed.filter((task) => specs[tasks.indexOf(task)]?.cancelAt === null)
            assert.includeMembers(seen, untouched.map(line))
          }
          assert.strictEqual(done.size + pending.size, tasks.length)
          for (const task of tasks) assert.notStrictEqual(done.has(task), pending.has(task))
          assert.isTrue(states.done.every((d) => d))
          assert.isTrue(states.pending.every((d) => !d))
          if (timeoutMillis === null && returnWhen === asyncio.ALL_COMPLETED)
            assert.strictEqual(pending.size, 0)
          if (timeoutMillis === null) assert.isAbove(done.size, 0)
        })
    )
  )

  it.effect("asCompleted: each input comes out once, in completion order; no task left", () =>
    check([fc.uniqueArray(fc.integer({ min: 0, max: 100 }), { minLength: 1, maxLength: 8 })], (delays) =>
      Effect.gen(function* () {
        const main = Effect.gen(function* () {
          const order: Array<number> = []
          for (const next of yield* asyncio.asCompleted(delays.map((d) => asyncio.sleep(d / 1000, d)))) {
            order.push(yield* next)
          }
          return { order, alive: yield* othersAlive }
        })
        const { value } = yield* runOk(main)
        assert.deepStrictEqual(
          value.order,
          [...delays].sort((a, b) => a - b)
        )
        assert.strictEqual(value.alive, 0)
      })
    )
  )

  it.effect(
    "asCompleted with a timeout: served results come first in order, the rest time out and run on",
    () =>
      check(
        [
          fc.uniqueArray(fc.integer({ min: 1, max: 100 }), { minLength: 1, maxLength: 8 }),
          fc.integer({ min: 0, max: 100 })
        ],
        (delays, timeoutMillis) =>
          Effect.gen(function* () {
            const main = Effect.gen(function* () {
              const tasks = yield* Effect.forEach(delays, (d) =>
                asyncio.createTask(asyncio.sleep(d / 1000, d))
              )
              const served: Array<number> = []
              let timeouts = 0
              for (const next of yield* asyncio.asCompleted(tasks, { timeout: timeoutMillis / 1000 })) {
                const outcome = yield* Effect.exit(next)
                if (outcome._tag === "Success") served.push(outcome.value)
                else timeouts += 1
              }
              const cancelled = tasks.filter((task) => task.cancelled()).length
              yield* asyncio.wait(tasks)
              return { served, timeouts, cancelled }
            })
            const { value } = yield* runOk(main)
            assert.deepStrictEqual(
              value.served,
              [...value.served].sort((a, b) => a - b)
            )
            assert.strictEqual(value.served.length + value.timeouts, delays.length)
            assert.isTrue(value.served.every((d) => d <= timeoutMillis))
            assert.strictEqual(value.cancelled, 0)
          })
      )
  )
})
