/**
 * Testing asyncio programs on virtual time: `@effect-asyncio/core/testing`.
 *
 * Under Effect's `TestClock` (which `it.effect` of `@effect/vitest` provides), `runVirtual`
 * runs a program as `asyncio.run` does and moves the clock from one sleep to the next, so a
 * program that sleeps for an hour runs in microseconds, deterministically, and reports how many
 * virtual seconds it took.
 *
 * @module @effect-asyncio/core/testing
 * @since 0.1.0
 */
import { Clock, Effect, type Exit, Fiber } from "effect"
import { TestClock } from "effect/testing"
import { type EventLoop, type EventLoopOptions, loopOptions } from "./events.js"
import type { CancelledError } from "./exceptions.js"
import { runMainTask } from "./runners.js"

/**
 * Lets every fiber that is ready run until it suspends (twenty turns of the scheduler).
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { settle } from "@effect-asyncio/core/testing"
 *
 * let ran = false
 * const program = Effect.gen(function* () {
 *   yield* Effect.forkChild(Effect.sync(() => (ran = true)))
 *   yield* settle
 *   return ran
 * })
 * Effect.runPromise(program).then(console.log) // true
 * ```
 * @category Testing
 * @since 0.1.0
 */
export const settle: Effect.Effect<void> = Effect.gen(function* () {
  for (let i = 0; i < 20; i++) yield* Fiber.await(yield* Effect.forkChild(Effect.yieldNow))
})

/**
 * What `runVirtual` reports.
 *
 * @example
 * ```ts
 * import { Effect, Exit } from "effect"
 * import { TestClock } from "effect/testing"
 * import * as asyncio from "@effect-asyncio/core"
 * import { runVirtual, type VirtualRun } from "@effect-asyncio/core/testing"
 *
 * const main = Effect.gen(function* () {
 *   yield* asyncio.createTask(asyncio.sleep(5), { name: "leftover" }) // cancelled at shutdown
 *   return yield* asyncio.sleep(2, "done")
 * })
 * const program = Effect.map(runVirtual(main), (run: VirtualRun<string, never>) => [
 *   Exit.isSuccess(run.exit),
 *   run.elapsed,
 *   run.total
 * ])
 * Effect.runPromise(program.pipe(Effect.provide(TestClock.layer()))).then(console.log) // [true, 2, 2]
 * ```
 * @category Testing
 * @since 0.1.0
 */
export interface VirtualRun<A, E> {
  /** main's outcome, as `asyncio.run` would give it. */
  readonly exit: Exit.Exit<A, E | CancelledError>
  /** Virtual seconds from main's start to its end. */
  readonly elapsed: number
  /** Virtual seconds from the start to the end of the loop's shutdown (leftover tasks included). */
  readonly total: number
}

/**
 * `asyncio.runEffect(main)` under `TestClock`: the clock jumps from one sleep to the next (up to a
 * year of virtual time), so timing behaviour is tested exactly and instantly.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { TestClock } from "effect/testing"
 * import * as asyncio from "@effect-asyncio/core"
 * import { runVirtual } from "@effect-asyncio/core/testing"
 *
 * const main = Effect.gen(function* () {
 *   const a = yield* asyncio.createTask(asyncio.sleep(1.0))
 *   const b = yield* asyncio.createTask(asyncio.sleep(1.5))
 *   yield* a
 *   yield* b
 * })
 * const program = Effect.map(runVirtual(main), ({ elapsed }) => elapsed)
 * Effect.runPromise(program.pipe(Effect.provide(TestClock.layer()))).then(console.log) // 1.5
 * ```
 * @category Testing
 * @since 0.1.0
 */
export const runVirtual = <A, E>(
  main: Effect.Effect<A, E, EventLoop>,
  options: EventLoopOptions = {}
): Effect.Effect<VirtualRun<A, E>> =>
  Effect.gen(function* () {
    loopOptions(options, "runVirtual")
    const start = yield* Clock.currentTimeMillis
    let elapsed = Number.NaN
    let end = Number.NaN
    const run = runMainTask(main, options, (task, loop) => {
      const mainStart = loop.time()
      task.addDoneCallback(function recordElapsed() {
        elapsed = loop.time() - mainStart
      })
    }).pipe(Effect.ensuring(Effect.map(Clock.currentTimeMillis, (now) => (end = now))), Effect.exit)
    const fiber = yield* Effect.forkChild(run)
    yield* settle
    // a year of virtual time: every sleep of the program wakes in deadline order
    if (fiber.pollUnsafe() === undefined) yield* TestClock.adjust("365 days")
    const exit = yield* Fiber.join(fiber)
    return { exit, elapsed, total: (end - start) / 1000 }
  })
