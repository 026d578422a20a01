import { describe, expectTypeOf, it } from "@effect/vitest"
import * as asyncio from "@effect-asyncio/core"
import { Effect, type Stream } from "effect"

// only types matter here: every combinator is lazy, nothing below runs
const a = Effect.fail("ea") as Effect.Effect<number, "ea">
const task = undefined as unknown as asyncio.Task<string, "et">

describe("combinator types", () => {
  it("waitFor adds TimeoutError; a task keeps its CancelledError", () => {
    expectTypeOf(asyncio.waitFor(a, 1)).toEqualTypeOf<
      Effect.Effect<number, "ea" | asyncio.TimeoutError, asyncio.EventLoop>
    >()
    expectTypeOf(asyncio.waitFor(task, 1)).toEqualTypeOf<
      Effect.Effect<string, "et" | asyncio.CancelledError | asyncio.TimeoutError, asyncio.EventLoop>
    >()
  })

  it("timeout and timeoutAt add TimeoutError, with a body or a function of the Timeout", () => {
    expectTypeOf(asyncio.timeout(1, a)).toEqualTypeOf<
      Effect.Effect<number, "ea" | asyncio.TimeoutError, asyncio.EventLoop>
    >()
    expectTypeOf(asyncio.timeoutAt(null, (_cm: asyncio.Timeout) => a)).toEqualTypeOf<
      Effect.Effect<number, "ea" | asyncio.TimeoutError, asyncio.EventLoop>
    >()
  })

  it("shield adds CancelledError", () => {
    expectTypeOf(asyncio.shield(a)).toEqualTypeOf<
      Effect.Effect<number, "ea" | asyncio.CancelledError, asyncio.EventLoop>
    >()
  })

  it("wait keeps the task type in both sets", () => {
    expectTypeOf(asyncio.wait([task])).toEqualTypeOf<
      Effect.Effect<asyncio.WaitResult<asyncio.Task<string, "et">>, never, asyncio.EventLoop>
    >()
  })

  it("asCompleted: effects of results, a stream of tasks", () => {
    const effect = asyncio.asCompleted([a, task])
    type Iterator = Effect.Success<typeof effect>
    expectTypeOf<Iterator extends Iterable<infer X> ? X : never>().toEqualTypeOf<
      Effect.Effect<number | string, "ea" | "et" | asyncio.CancelledError | asyncio.TimeoutError>
    >()
    expectTypeOf<Iterator["stream"]>().toEqualTypeOf<
      Stream.Stream<asyncio.Task<number, "ea"> | asyncio.Task<string, "et">, asyncio.TimeoutError>
    >()
  })
})
