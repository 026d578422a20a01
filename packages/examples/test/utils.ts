/**
 * Runs an example program as `asyncio.run` would, on virtual time (TestClock), and returns what
 * it printed (`TestConsole`, which `it.effect` provides) and how long it took in virtual seconds.
 */
import type * as asyncio from "@effect-asyncio/core"
import { runVirtual } from "@effect-asyncio/core/testing"
import { Effect, type Exit } from "effect"
import { TestConsole } from "effect/testing"

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
    const { exit, total } = yield* runVirtual(main)
    const lines = (yield* TestConsole.logLines).map(String)
    return { exit, lines, elapsed: total }
  })
