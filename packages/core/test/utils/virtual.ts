/**
 * Running asyncio programs on virtual time (TestClock) in tests: the public
 * `@effect-asyncio/core/testing` plus a shortcut for programs expected to succeed.
 */

import type * as asyncio from "@effect-asyncio/core"
import { runVirtual } from "@effect-asyncio/core/testing"
import { Effect, Exit } from "effect"

export { runVirtual, settle, type VirtualRun } from "@effect-asyncio/core/testing"

/** `runVirtual` for a program expected to succeed: its result and virtual duration. */
export const runOk = <A, E>(
  main: Effect.Effect<A, E, asyncio.EventLoop>,
  options: asyncio.EventLoopOptions = {}
): Effect.Effect<{ readonly value: A; readonly elapsed: number }> =>
  Effect.flatMap(runVirtual(main, options), ({ exit, elapsed }) =>
    Exit.isSuccess(exit) ? Effect.succeed({ value: exit.value, elapsed }) : Effect.die(exit.cause)
  )
