/**
 * Property test of TaskGroup: under random child failures, defects and outside cancellations,
 * - the group never returns while one of its children is alive,
 * - every child's finalizer runs exactly once,
 * - the group's error holds exactly the children that failed, and nothing else.
 *
 * Each child sleeps a distinct whole number of (virtual) seconds, then succeeds, fails or dies;
 * some fail in their cleanup when cancelled. The outside cancellation, if any, lands at a half
 * second. So the expected outcome follows from the scenario alone: the first failure (or the
 * outside cancellation, whichever comes first) cancels every child still sleeping.
 */
import { assert, describe, it } from "@effect/vitest"
import * as asyncio from "@effect-asyncio/core"
import { Cause, Data, Effect, Exit, Layer } from "effect"
import { TestClock } from "effect/testing"
import * as fc from "fast-check"
import { runVirtual } from "./utils/virtual.js"

class ChildFailed extends Data.TaggedError("ChildFailed")<{ readonly id: number }> {}
class ChildDied extends Error {
  constructor(readonly id: number) {
    super(`child ${id} died`)
  }
}

interface Child {
  readonly delay: number
  readonly outcome: "ok" | "fail" | "die"
  readonly failOnCancel: boolean
}

interface Scenario {
  readonly children: ReadonlyArray<Child>
  readonly cancelAt: number | null
  readonly bodyWaits: boolean
}

const scenario: fc.Arbitrary<Scenario> = fc.record({
  children: fc.uniqueArray(
    fc.record({
      delay: fc.integer({ min: 1, max: 12 }),
      outcome: fc.constantFrom<Child["outcome"]>("ok", "fail", "die"),
      failOnCancel: fc.boolean()
    }),
    { selector: (child) => child.delay, minLength: 1, maxLength: 7 }
  ),
  cancelAt: fc.option(fc.integer({ min: 0, max: 12 }).map((k) => k + 0.5)),
  bodyWaits: fc.boolean()
})

/** How long a body that does not just wait sleeps: the group cancels it after a failure. */
const BODY_SLEEP = 1000

/** What the scenario must give: the failing children's ids, when the group is cut short, by whom. */
const expected = (s: Scenario) => {
  const firstFailure = Math.min(...s.children.filter((c) => c.outcome !== "ok").map((c) => c.delay))
  // without failure, the group ends when its body and children are done
  const naturalEnd = s.bodyWaits ? Math.max(...s.children.map((c) => c.delay)) : BODY_SLEEP
  const cancelled = s.cancelAt !== null && s.cancelAt < Math.min(firstFailure, naturalEnd)
  const cutoff = Math.min(
    firstFailure,
    cancelled && s.cancelAt !== null ? s.cancelAt : Number.POSITIVE_INFINITY
  )
  const failed = s.children
    .map((child, id) => ({ child, id }))
    .filter(
      ({ child }) =>
        (child.delay === cutoff && child.outcome !== "ok") || (child.delay > cutoff && child.failOnCancel)
    )
    .map(({ id }) => id)
  return { failed, cutoff, cancelled }
}

const check = (s: Scenario) =>
  Effect.gen(function* () {
    const finalized = s.children.map(() => 0)
    const tasks: Array<asyncio.Task<void, ChildFailed>> = []
    const aliveAtReturn: Array<string> = []
    const child = (c: Child, id: number): Effect.Effect<void, ChildFailed> =>
      asyncio.sleep(c.delay).pipe(
        Effect.andThen(
          c.outcome === "fail"
            ? Effect.fail(new ChildFailed({ id }))
            : c.outcome === "die"
              ? Effect.die(new ChildDied(id))
              : Effect.void
        ),
        Effect.onInterrupt(() => (c.failOnCancel ? Effect.fail(new ChildFailed({ id })) : Effect.void)),
        Effect.ensuring(Effect.sync(() => (finalized[id] = (finalized[id] ?? 0) + 1)))
      )
    const group = asyncio.TaskGroup.run((tg) =>
      Effect.gen(function* () {
        for (const [id, c] of s.children.entries()) tasks.push(yield* tg.createTask(child(c, id)))
        if (!s.bodyWaits) yield* asyncio.sleep(BODY_SLEEP)
      })
    ).pipe(
      Effect.onExit(() =>
        Effect.sync(() => {
          for (const task of tasks) if (!task.done()) aliveAtReturn.push(task.getName())
        })
      )
    )
    const main = Effect.gen(function* () {
      const runner = yield* asyncio.createTask(group)
      if (s.cancelAt !== null) {
        yield* asyncio.sleep(s.cancelAt)
        yield* runner.cancel()
      }
      return yield* Effect.exit(
        Effect.flatMap(
          Effect.sync(() => runner),
          (task) => task
        )
      )
    })
    const reports: Array<string> = []
    const { exit } = yield* runVirtual(main, {
      exceptionHandler: (_loop, context) => reports.push(context.message)
    })
    assert.isTrue(Exit.isSuccess(exit), "main itself never fails")
    const outcome = Exit.isSuccess(exit) ? exit.value : undefined
    const { failed, cutoff, cancelled } = expected(s)

    assert.deepStrictEqual(aliveAtReturn, [], "the group returned while children were alive")
    // the group retrieves every child's exception: nothing is left for the loop to report
    assert.deepStrictEqual(reports, [])
    assert.deepStrictEqual(
      finalized,
      s.children.map(() => 1),
      "every finalizer runs exactly once"
    )

    if (failed.length > 0) {
      assert.isTrue(outcome !== undefined && Exit.isFailure(outcome))
      const error = outcome !== undefined && Exit.isFailure(outcome) ? Cause.squash(outcome.cause) : undefined
      assert.instanceOf(error, asyncio.ExceptionGroup)
      if (error instanceof asyncio.ExceptionGroup) {
        const ids = [
          ...error.exceptions.map((e) => (e instanceof ChildFailed ? e.id : -1)),
          ...error.defects.map((d) => (d instanceof ChildDied ? d.id : -1))
        ].sort((a, b) => a - b)
        assert.deepStrictEqual(
          ids,
          [...failed].sort((a, b) => a - b),
          "the group holds exactly the failed children"
        )
        assert.strictEqual(error.reasons.length, failed.length)
      }
    } else if (cancelled) {
      // cancelled from outside with no failure: the cancellation propagates
      assert.isTrue(outcome !== undefined && Exit.isFailure(outcome))
      const error = outcome !== undefined && Exit.isFailure(outcome) ? Cause.squash(outcome.cause) : undefined
      assert.instanceOf(error, asyncio.CancelledError)
    } else {
      assert.isTrue(outcome !== undefined && Exit.isSuccess(outcome), "no failure, no cancellation: success")
    }
    for (const [id, task] of tasks.entries()) {
      const c = s.children[id]
      const expectCancelled = c !== undefined && c.delay > cutoff && !c.failOnCancel
      assert.strictEqual(task.cancelled(), expectCancelled, `child ${id} cancelled`)
    }
  })

describe("TaskGroup properties", () => {
  it("never returns while a child lives; finalizers once; the group holds exactly the failures", async () => {
    await fc.assert(
      fc.asyncProperty(scenario, (s) =>
        Effect.runPromise(check(s).pipe(Effect.provide(Layer.fresh(TestClock.layer()))))
      ),
      { numRuns: 200 }
    )
  })
})
