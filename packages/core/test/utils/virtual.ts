/**
 * Running asyncio programs on virtual time (TestClock) in tests: the public
 * `@effect-asyncio/core/testing` plus a shortcut for programs expected to succeed.
 */

import type * as asyncio from "@effect-asyncio/core"
import { runVirtual } from "@effect-asyncio/core/testing"
import { Effect, Exit } from "effect"
import { loopImpl } from "../../src/events.js"

export { runVirtual, settle, type VirtualRun } from "@effect-asyncio/core/testing"

/** `runVirtual` for a program expected to succeed: its result and virtual duration. */
export const runOk = <A, E>(
  main: Effect.Effect<A, E, asyncio.EventLoop>,
  options: asyncio.EventLoopOptions = {}
): Effect.Effect<{ readonly value: A; readonly elapsed: number }> =>
  Effect.flatMap(runVirtual(main, options), ({ exit, elapsed }) =>
    Exit.isSuccess(exit) ? Effect.succeed({ value: exit.value, elapsed }) : Effect.die(exit.cause)
  )

/** Runs a test body as the main task of a loop on virtual time (for bodies that need a loop). */
export const inTask = <A, E>(body: Effect.Effect<A, E, asyncio.EventLoop>): Effect.Effect<void> =>
  Effect.asVoid(runOk(body))

/** The loop's registry of pending tasks, counted (tests look at it after the loop closed too). */
export const pendingTaskCount = (loop: asyncio.EventLoopService): number => loopImpl(loop).tasks.size

/** The loop's pending tasks (the registry `allTasks` reads), for tests. */
export const pendingTasks = (
  loop: asyncio.EventLoopService
): ReadonlyArray<asyncio.Task<unknown, unknown>> => [...loopImpl(loop).tasks]
