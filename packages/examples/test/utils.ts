/**
 * Runs an example program as `asyncio.run` would, on virtual time (TestClock), and returns what
 * it printed (`TestConsole`, which `it.effect` provides) and how long it took in virtual seconds.
 */
import * as asyncio from "@effect-asyncio/core"
import { Clock, Effect, type Exit, Fiber } from "effect"
import { TestClock, TestConsole } from "effect/testing"

/** Lets every fiber that is ready run until it suspends. */
const settle: Effect.Effect<void> = Effect.gen(function* () {
  for (let i = 0; i < 20; i++) yield* Fiber.await(yield* Effect.forkChild(Effect.yieldNow))
})

export interface ExampleRun<A, E> {
  readonly exit: Exit.Exit<A, E | asyncio.CancelledError>
  /** The lines the program printed with `Console.log`, in order. */
  readonly lines: ReadonlyArray<string>
  /** Virtual seconds from `asyncio.run` to the loop's shutdown. */
  readonly elapsed: number
}

/** `asyncio.run(main)` under TestClock: a program that sleeps for minutes runs in microseconds. */
export const runExample = <A, E>(
  main: Effect.Effect<A, E, asyncio.EventLoop>
): Effect.Effect<ExampleRun<A, E>> =>
  Effect.gen(function* () {
    const start = yield* Clock.currentTimeMillis
    let end = Number.NaN
    const run = asyncio
      .runEffect(main)
      .pipe(Effect.ensuring(Effect.map(Clock.currentTimeMillis, (now) => (end = now))), Effect.exit)
    const fiber = yield* Effect.forkChild(run)
    yield* settle
    // one year of virtual time: every sleep of the program wakes in order
    if (fiber.pollUnsafe() === undefined) yield* TestClock.adjust("365 days")
    const exit = yield* Fiber.join(fiber)
    const lines = (yield* TestConsole.logLines).map(String)
    return { exit, lines, elapsed: (end - start) / 1000 }
  })
