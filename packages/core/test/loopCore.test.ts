/**
 * The loop core (src/internal/loop.ts): the Effect runtime behaviours it relies on, each named,
 * so that an Effect upgrade that changes one fails here by name; then the timer heap and
 * `_run_once` rules of asyncio's `base_events.py` it ports.
 */
import { assert, describe, it } from "@effect/vitest"
import * as asyncio from "@effect-asyncio/core"
import { Cause, Context, Effect, Exit, Fiber, Scheduler } from "effect"
import { TestClock } from "effect/testing"
import { loopImpl } from "../src/events.js"
import {
  cancellationOf,
  catchingCancellation,
  deliverCancellation,
  fiberIsInterruptible,
  fiberIsRunning,
  withdrawCancellation
} from "../src/internal/loop.js"
import { runOk } from "./utils/virtual.js"

/** A fiber parked in an `Effect.callback`, and the resume function the callback was given. */
const parked = <A>(body: (wait: Effect.Effect<A>) => Effect.Effect<unknown>) => {
  let resume: ((effect: Effect.Effect<A>) => void) | undefined
  const wait = Effect.callback<A>((r) => {
    resume = r
  })
  const fiber = Effect.runFork(body(wait))
  return { fiber, resume: (effect: Effect.Effect<A>) => resume?.(effect) }
}

describe("Effect runtime behaviours the loop core relies on", () => {
  it("a context is keyed by the service's key string: two keys with one string name one service", () => {
    // the loop puts itself in its tasks' context under EVENT_LOOP_KEY; events.ts's EventLoop reads it
    const inner = Context.Service<{ readonly n: number }>("same-key")
    class Outer extends Context.Service<Outer, { readonly n: number }>()("same-key") {}
    const context = Context.add(Context.empty(), inner, { n: 1 })
    assert.strictEqual(Context.get(context as unknown as Context.Context<Outer>, Outer).n, 1)
  })

  it("Effect.runForkWith evaluates the fiber synchronously until it first suspends", () => {
    const seen: Array<string> = []
    const fiber = Effect.runForkWith(Context.empty())(
      Effect.gen(function* () {
        seen.push("before")
        yield* Effect.never
      })
    )
    assert.deepStrictEqual(seen, ["before"])
    assert.isUndefined(fiber.pollUnsafe())
    fiber.interruptUnsafe()
  })

  it("an Effect.callback resume after suspension runs the fiber inside the resume call", () => {
    const seen: Array<string> = []
    const { resume } = parked<number>((wait) =>
      Effect.flatMap(wait, (n) => Effect.sync(() => seen.push(`resumed ${n}`)))
    )
    assert.deepStrictEqual(seen, [])
    resume(Effect.succeed(1))
    assert.deepStrictEqual(seen, ["resumed 1"])
  })

  it("interruptUnsafe of a suspended, interruptible fiber runs its finalizers inside the call", () => {
    const seen: Array<string> = []
    const { fiber } = parked<void>((wait) =>
      Effect.ensuring(
        wait,
        Effect.sync(() => seen.push("finalizer"))
      )
    )
    fiber.interruptUnsafe()
    assert.deepStrictEqual(seen, ["finalizer"])
    assert.isTrue(Exit.isFailure(fiber.pollUnsafe() as Exit.Exit<unknown>))
  })

  it("interruptUnsafe of a suspended, uninterruptible fiber only records the interruption", () => {
    const seen: Array<string> = []
    const { fiber, resume } = parked<void>((wait) =>
      Effect.andThen(
        Effect.uninterruptible(wait),
        Effect.sync(() => seen.push("after the mask"))
      )
    )
    assert.isFalse(fiberIsInterruptible(fiber))
    fiber.interruptUnsafe()
    assert.isUndefined(fiber.pollUnsafe())
    resume(Effect.void)
    // the recorded interruption is raised when the mask ends
    assert.deepStrictEqual(seen, [])
    assert.isTrue(Cause.hasInterruptsOnly((fiber.pollUnsafe() as Exit.Failure<unknown, unknown>).cause))
  })

  it("an interrupted fiber skips Effect.exit while interruptible; inside uninterruptibleMask, Effect.exit(restore(body)) sees it", () => {
    const seen: Array<string> = []
    const plain = parked<void>((wait) =>
      Effect.flatMap(Effect.exit(wait), () => Effect.sync(() => seen.push("plain handler")))
    )
    plain.fiber.interruptUnsafe()
    const masked = parked<void>((wait) =>
      Effect.uninterruptibleMask((restore) =>
        Effect.flatMap(Effect.exit(restore(wait)), (exit) =>
          Effect.sync(() => seen.push(`masked handler: ${Exit.isFailure(exit)}`))
        )
      )
    )
    masked.fiber.interruptUnsafe()
    assert.deepStrictEqual(seen, ["masked handler: true"])
  })

  it("clearing a fiber's interruption while it handles it (withdrawCancellation) lets it run on, and be interrupted again", () => {
    const seen: Array<string> = []
    let second: ((effect: Effect.Effect<void>) => void) | undefined
    const { fiber } = parked<void>((wait) =>
      Effect.withFiber((self) =>
        catchingCancellation(wait, (exit) => {
          seen.push(`caught ${Exit.isFailure(exit)}, withdrawn ${withdrawCancellation(self)}`)
          return Effect.andThen(
            Effect.interruptible(
              Effect.callback<void>((r) => {
                second = r
              })
            ),
            Effect.sync(() => seen.push("ran on"))
          )
        })
      )
    )
    deliverCancellation(fiber, "first")
    assert.deepStrictEqual(seen, ["caught true, withdrawn true"])
    assert.isUndefined(fiber.pollUnsafe())
    second?.(Effect.void)
    assert.deepStrictEqual(seen, ["caught true, withdrawn true", "ran on"])
    assert.isTrue(Exit.isSuccess(fiber.pollUnsafe() as Exit.Exit<unknown>))
  })

  it("an interruption from elsewhere (no Cancellation annotation) is never withdrawn", () => {
    let withdrawn: boolean | undefined
    const { fiber } = parked<void>((wait) =>
      Effect.withFiber((self) =>
        catchingCancellation(wait, () => {
          withdrawn = withdrawCancellation(self)
          return Effect.void
        })
      )
    )
    fiber.interruptUnsafe()
    assert.isFalse(withdrawn)
    assert.isTrue(Exit.isFailure(fiber.pollUnsafe() as Exit.Exit<unknown>))
  })

  it("interrupt annotations travel on the Interrupt reason of the cause", () => {
    const { fiber } = parked<void>((wait) => wait)
    deliverCancellation(fiber, "the error")
    const exit = fiber.pollUnsafe() as Exit.Failure<unknown, unknown>
    assert.strictEqual(cancellationOf(exit.cause), "the error")
  })

  it("interruptUnsafe of the running fiber is deferred to its next operation", () => {
    const seen: Array<string> = []
    const fiber = Effect.runFork(
      Effect.gen(function* () {
        const self = yield* Effect.withFiber((f) => Effect.succeed(f))
        assert.isTrue(fiberIsRunning(self))
        self.interruptUnsafe()
        seen.push("same operation")
        yield* Effect.sync(() => seen.push("next operation"))
      })
    )
    assert.deepStrictEqual(seen, ["same operation"])
    assert.isFalse(fiberIsRunning(fiber))
  })

  it("an Effect.onExit handler that gives back undefined runs nothing more, and the exit goes on as it was", () => {
    const seen: Array<string> = []
    const exit = Effect.runSyncExit(
      Effect.onExit(Effect.succeed(1), (exit) => {
        seen.push(`handler saw ${Exit.isSuccess(exit)}`)
        return undefined as unknown as Effect.Effect<void>
      })
    )
    assert.deepStrictEqual(seen, ["handler saw true"])
    assert.deepStrictEqual(exit, Exit.succeed(1))
  })

  it("observers of a fiber run synchronously when it exits, in the order they were added", () => {
    const seen: Array<string> = []
    const { fiber, resume } = parked<void>((wait) => wait)
    fiber.addObserver(() => seen.push("first"))
    fiber.addObserver(() => seen.push("second"))
    resume(Effect.void)
    assert.deepStrictEqual(seen, ["first", "second"])
  })

  it("a fiber's scheduler (from its context) gets a forked child's first run, Effect.yieldNow, and never makes it yield on its own", () => {
    const queued: Array<() => void> = []
    const scheduler: Scheduler.Scheduler = {
      executionMode: "async",
      shouldYield: () => false,
      makeDispatcher: () => ({ scheduleTask: (task) => queued.push(task), flush: () => {} })
    }
    const seen: Array<string> = []
    Effect.runForkWith(Context.make(Scheduler.Scheduler, scheduler))(
      Effect.gen(function* () {
        yield* Effect.forkChild(Effect.sync(() => seen.push("child")))
        // far more operations than Effect's default budget before an automatic yield (2048)
        for (let i = 0; i < 5000; i++) yield* Effect.void
        seen.push("no automatic yield")
        yield* Effect.yieldNow
        seen.push("after yieldNow")
      })
    )
    assert.deepStrictEqual(seen, ["no automatic yield"])
    assert.strictEqual(queued.length, 2)
    for (const task of queued.splice(0)) task()
    assert.deepStrictEqual(seen, ["no automatic yield", "child", "after yieldNow"])
  })

  it.effect("TestClock: work the loop schedules while a sleep wakes is done before the clock moves on", () =>
    Effect.gen(function* () {
      const seen: Array<string> = []
      const fiber = yield* Effect.forkChild(
        asyncio.runEffect(
          Effect.gen(function* () {
            const loop = yield* asyncio.getRunningLoop
            loop.callLater(1, () => {
              // each callSoon is a later iteration of the loop, on the host's dispatcher
              loop.callSoon(() => loop.callSoon(() => seen.push(`chain at ${loop.time()}`)))
            })
            loop.callLater(2, () => seen.push(`second timer at ${loop.time()}`))
            yield* asyncio.sleep(3)
          })
        )
      )
      yield* TestClock.adjust("10 seconds")
      yield* Fiber.join(fiber)
      assert.deepStrictEqual(seen, ["chain at 1", "second timer at 2"])
    })
  )
})

describe("the loop's timers (base_events.py `_scheduled`, `_run_once`)", () => {
  it.effect("cancelled timers are dropped once they are most of the heap, and never fire", () =>
    Effect.gen(function* () {
      const { value } = yield* runOk(
        Effect.gen(function* () {
          const loop = yield* asyncio.getRunningLoop
          const impl = loopImpl(loop)
          const fired: Array<number> = []
          const timers = Array.from({ length: 300 }, (_, i) =>
            loop.callLater(1 + i / 100, () => fired.push(i))
          )
          // as asyncio's _MIN_SCHEDULED_TIMER_HANDLES (100) and _MIN_CANCELLED_TIMER_HANDLES_FRACTION
          // (0.5): 150 cancelled of 300 is not more than half, the 151st is; the heap is rebuilt
          // at the next iteration (`_run_once`), not by cancel()
          for (let i = 0; i < 150; i++) timers[2 * i + 1]?.cancel()
          yield* asyncio.sleep(0)
          const before = impl.timerCount()
          timers[0]?.cancel()
          timers[0]?.cancel() // a second cancel counts nothing
          const notYet = impl.timerCount()
          yield* asyncio.sleep(0)
          const after = impl.timerCount()
          yield* asyncio.sleep(10)
          return { before, notYet, after, fired }
        })
      )
      // 300 timers (+ none of main's: main is not sleeping when counted)
      assert.deepStrictEqual([value.before, value.notYet, value.after], [300, 300, 149])
      const expected = Array.from({ length: 300 }, (_, i) => i).filter((i) => i % 2 === 0 && i !== 0)
      assert.deepStrictEqual(value.fired, expected)
    })
  )

  it.effect("a small heap keeps its cancelled timers until they reach the top", () =>
    Effect.gen(function* () {
      const { value } = yield* runOk(
        Effect.gen(function* () {
          const loop = yield* asyncio.getRunningLoop
          const fired: Array<number> = []
          const timers = Array.from({ length: 50 }, (_, i) => loop.callLater(1 + i, () => fired.push(i)))
          for (const timer of timers.slice(10)) timer.cancel()
          yield* asyncio.sleep(0)
          const count = loopImpl(loop).timerCount()
          yield* asyncio.sleep(100)
          return { count, fired }
        })
      )
      assert.strictEqual(value.count, 50)
      assert.deepStrictEqual(value.fired, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
    })
  )

  it.effect("cancelling a timer that has fired counts nothing", () =>
    Effect.gen(function* () {
      const { value } = yield* runOk(
        Effect.gen(function* () {
          const loop = yield* asyncio.getRunningLoop
          const fired: Array<number> = []
          const first = loop.callLater(1, () => fired.push(0))
          yield* asyncio.sleep(2)
          first.cancel()
          // 101 live timers, 50 cancelled: the compaction threshold is reached only if the fired
          // timer was (wrongly) counted as a cancelled one in the heap
          const timers = Array.from({ length: 101 }, (_, i) =>
            loop.callLater(10 + i, () => fired.push(i + 1))
          )
          // the latest 50: cancelled timers at the top of the heap would leave it anyway
          for (const timer of timers.slice(51)) timer.cancel()
          yield* asyncio.sleep(0)
          const count = loopImpl(loop).timerCount()
          yield* asyncio.sleep(200)
          return { count, fired }
        })
      )
      assert.strictEqual(value.count, 101)
      assert.deepStrictEqual(value.fired, [0, ...Array.from({ length: 51 }, (_, i) => i + 1)])
    })
  )

  it.effect("a deadline equal to the clock is due even far from the clock's origin (no spin)", () =>
    Effect.gen(function* () {
      // a year on: at 3e7 s, adding asyncio's 1e-9 s resolution to the time changes nothing
      yield* TestClock.adjust("365 days")
      const { value } = yield* runOk(
        Effect.gen(function* () {
          const loop = yield* asyncio.getRunningLoop
          const start = loop.time()
          yield* asyncio.sleep(0.009)
          return loop.time() - start
        })
      )
      assert.closeTo(value, 0.009, 1e-6)
    })
  )

  it.effect("the ready queue runs callbacks in FIFO order, and those they add at the next iteration", () =>
    Effect.gen(function* () {
      const { value } = yield* runOk(
        Effect.gen(function* () {
          const loop = yield* asyncio.getRunningLoop
          const seen: Array<string> = []
          loop.callSoon(() => {
            seen.push("a")
            loop.callSoon(() => seen.push("c (added by a)"))
          })
          loop.callSoon(() => seen.push("b"))
          yield* asyncio.sleep(0)
          yield* asyncio.sleep(0)
          return seen
        })
      )
      assert.deepStrictEqual(value, ["a", "b", "c (added by a)"])
    })
  )
})
