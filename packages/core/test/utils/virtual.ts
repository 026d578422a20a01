/**
 * Running asyncio programs on virtual time (TestClock) in tests.
 */

import * as asyncio from "@effect-asyncio/core"
import { Effect, Exit, Fiber } from "effect"
import { TestClock } from "effect/testing"

/** Lets every fiber that is ready run until it suspends. */
export const settle: Effect.Effect<void> = Effect.gen(function* () {
  for (let i = 0; i < 20; i++) yield* Fiber.await(yield* Effect.forkChild(Effect.yieldNow))
})

/** The outcome of a program run on virtual time, and when (virtual seconds) main returned. */
export interface VirtualRun<A, E> {
  readonly exit: Exit.Exit<A, E | asyncio.CancelledError>
  readonly elapsed: number
}

/**
 * `asyncio.runEffect(main)` under TestClock: time jumps from one sleep to the next, so a program
 * that sleeps for an hour runs in microseconds; `elapsed` is main's virtual duration.
 */
export const runVirtual = <A, E>(
  main: Effect.Effect<A, E, asyncio.EventLoop>,
  options: asyncio.EventLoopOptions = {}
): Effect.Effect<VirtualRun<A, E>> =>
  Effect.gen(function* () {
    let elapsed = Number.NaN
    const timed = Effect.gen(function* () {
      const loop = yield* asyncio.EventLoop
      const start = loop.time()
      return yield* main.pipe(Effect.ensuring(Effect.sync(() => (elapsed = loop.time() - start))))
    })
    const fiber = yield* Effect.forkChild(Effect.exit(asyncio.runEffect(timed, options)))
    yield* settle
    // one year of virtual time: every sleep of the program wakes in order
    if (fiber.pollUnsafe() === undefined) yield* TestClock.adjust("365 days")
    const exit = yield* Fiber.join(fiber)
    return { exit, elapsed }
  })

/** `runVirtual` for a program expected to succeed: its result and virtual duration. */
export const runOk = <A, E>(
  main: Effect.Effect<A, E, asyncio.EventLoop>,
  options: asyncio.EventLoopOptions = {}
): Effect.Effect<{ readonly value: A; readonly elapsed: number }> =>
  Effect.flatMap(runVirtual(main, options), ({ exit, elapsed }) =>
    Exit.isSuccess(exit) ? Effect.succeed({ value: exit.value, elapsed }) : Effect.die(exit.cause)
  )
