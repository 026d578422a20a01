/**
 * The loop's timer heap (internal/scheduling.ts), as asyncio's `_scheduled` in base_events.py.
 */
import { assert, describe, it } from "@effect/vitest"
import { Clock, Effect } from "effect"
import { TestClock } from "effect/testing"
import { LoopTimers } from "../src/internal/scheduling.js"

/** Timers whose callbacks run at once (the ready queue is not what is tested here). */
const makeTimers = Effect.map(Clock.Clock, (clock) => new LoopTimers(clock, (callback) => callback()))

describe("LoopTimers (base_events.py _scheduled)", () => {
  it.effect("cancelled timers are dropped once they are most of the heap, and never fire", () =>
    Effect.gen(function* () {
      const timers = yield* makeTimers
      const fired: Array<number> = []
      const cancels = Array.from({ length: 300 }, (_, i) => timers.callAt(1 + i / 100, () => fired.push(i)))
      // as asyncio's _MIN_SCHEDULED_TIMER_HANDLES (100) and _MIN_CANCELLED_TIMER_HANDLES_FRACTION
      // (0.5): 150 cancelled of 300 is not more than half, the 151st is
      for (let i = 0; i < 150; i++) cancels[2 * i + 1]?.()
      assert.strictEqual(timers.size(), 300)
      cancels[0]?.()
      assert.strictEqual(timers.size(), 149)
      cancels[0]?.() // a second cancel counts nothing
      yield* TestClock.adjust("10 seconds")
      const expected = Array.from({ length: 300 }, (_, i) => i).filter((i) => i % 2 === 0 && i !== 0)
      assert.deepStrictEqual(fired, expected)
      assert.strictEqual(timers.size(), 0)
    })
  )

  it.effect("a small heap keeps its cancelled timers until they reach the top", () =>
    Effect.gen(function* () {
      const timers = yield* makeTimers
      const fired: Array<number> = []
      const cancels = Array.from({ length: 50 }, (_, i) => timers.callAt(1 + i, () => fired.push(i)))
      for (const cancel of cancels.slice(10)) cancel()
      assert.strictEqual(timers.size(), 50)
      yield* TestClock.adjust("100 seconds")
      assert.deepStrictEqual(fired, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
      assert.strictEqual(timers.size(), 0)
    })
  )

  it.effect("cancelling a timer that has fired counts nothing", () =>
    Effect.gen(function* () {
      const timers = yield* makeTimers
      const fired: Array<number> = []
      const first = timers.callAt(1, () => fired.push(0))
      yield* TestClock.adjust("2 seconds")
      first()
      // 101 live timers, 51 cancelled: the compaction threshold is reached only if the fired
      // timer was (wrongly) counted as a cancelled one in the heap
      const cancels = Array.from({ length: 101 }, (_, i) => timers.callAt(10 + i, () => fired.push(i + 1)))
      for (const cancel of cancels.slice(0, 50)) cancel()
      assert.strictEqual(timers.size(), 101)
      yield* TestClock.adjust("200 seconds")
      assert.deepStrictEqual(fired, [0, ...Array.from({ length: 51 }, (_, i) => i + 51)])
    })
  )
})
