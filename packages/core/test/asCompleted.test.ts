import { assert, describe, it } from "@effect/vitest"
import * as asyncio from "@effect-asyncio/core"
import { Cause, Chunk, Effect, Exit, Stream } from "effect"
import { runOk, runVirtual } from "./utils/virtual.js"

const failure = (exit: Exit.Exit<unknown, unknown>): unknown =>
  Exit.isFailure(exit) ? Cause.squash(exit.cause) : undefined

describe("asCompleted", () => {
  it.effect("test_as_completed (iterator): results in completion order", () =>
    Effect.gen(function* () {
      const main = Effect.gen(function* () {
        const values: Array<string> = []
        const b = asyncio.sleep(0.01, "b")
        const c = asyncio.sleep(0.15, "c")
        const a = asyncio.sleep(0.01, "a")
        for (const next of yield* asyncio.asCompleted([b, c, a])) values.push(yield* next)
        return values
      })
      const { value, elapsed } = yield* runOk(main)
      assert.sameMembers(value.slice(0, 2), ["a", "b"])
      assert.strictEqual(value[2], "c")
      assert.closeTo(elapsed, 0.15, 1e-9)
    })
  )

  it.effect("test_as_completed (stream): tasks in completion order", () =>
    Effect.gen(function* () {
      const main = Effect.gen(function* () {
        const iterator = yield* asyncio.asCompleted([
          asyncio.sleep(0.01, "b"),
          asyncio.sleep(0.15, "c"),
          asyncio.sleep(0.02, "a")
        ])
        const tasks = yield* Stream.runCollect(iterator.stream)
        return yield* Effect.forEach(tasks, (task) => task)
      })
      const { value } = yield* runOk(main)
      assert.deepStrictEqual([...value], ["b", "a", "c"])
    })
  )

  it.effect("test_as_completed_same_tasks_in_as_out: the stream yields the tasks passed in", () =>
    Effect.gen(function* () {
      const main = Effect.gen(function* () {
        const a = Effect.succeed("a")
        const taskB = yield* asyncio.createTask(Effect.succeed("b"))
        const c = Effect.succeed("c")
        const taskD = yield* asyncio.createTask(Effect.succeed("d"))
        const out = yield* Stream.runCollect((yield* asyncio.asCompleted([a, taskB, c, taskD])).stream)
        const outSet = new Set<unknown>(out)
        return [outSet.size, outSet.has(taskB), outSet.has(taskD), outSet.has(a), outSet.has(c)]
      })
      const { value } = yield* runOk(main)
      assert.deepStrictEqual(value, [4, true, true, false, false])
    })
  )

  it.effect("test_as_completed_with_timeout (iterator): waits after the deadline fail, tasks run on", () =>
    Effect.gen(function* () {
      const main = Effect.gen(function* () {
        const loop = yield* asyncio.EventLoop
        const a = yield* asyncio.createTask(asyncio.sleep(0.1, "a"))
        const b = yield* asyncio.createTask(asyncio.sleep(0.15, "b"))
        const values: Array<unknown> = []
        for (const next of yield* asyncio.asCompleted([a, b], { timeout: 0.12 })) {
          values.push(yield* Effect.match(next, { onFailure: (error) => error, onSuccess: (v) => v }))
        }
        const t = loop.time()
        return [values, t, b.cancelled(), yield* b]
      })
      const { value } = yield* runOk(main)
      const [values, t, bCancelled, bResult] = value as [Array<unknown>, number, boolean, string]
      assert.strictEqual(values[0], "a")
      assert.instanceOf(values[1], asyncio.TimeoutError)
      assert.closeTo(t, 0.12, 1e-9)
      assert.isFalse(bCancelled)
      assert.strictEqual(bResult, "b")
    })
  )

  it.effect("test_as_completed_with_timeout (stream): the stream fails with TimeoutError", () =>
    Effect.gen(function* () {
      const main = Effect.gen(function* () {
        const a = yield* asyncio.createTask(asyncio.sleep(0.1, "a"))
        const b = yield* asyncio.createTask(asyncio.sleep(0.15, "b"))
        const seen: Array<string> = []
        const exit = yield* Effect.exit(
          Stream.runForEach((yield* asyncio.asCompleted([a, b], { timeout: 0.12 })).stream, (task) =>
            Effect.map(task, (v) => {
              seen.push(v)
            })
          )
        )
        return [seen, failure(exit)]
      })
      const { value } = yield* runOk(main)
      assert.deepStrictEqual(value[0], ["a"])
      assert.instanceOf(value[1], asyncio.TimeoutError)
    })
  )

  it.effect("test_as_completed_with_unused_timeout: a timeout never reached does nothing", () =>
    Effect.gen(function* () {
      const main = Effect.gen(function* () {
        const values: Array<string> = []
        for (const next of yield* asyncio.asCompleted([asyncio.sleep(0.01, "a")], { timeout: 1 })) {
          values.push(yield* next)
        }
        yield* asyncio.sleep(2)
        return values
      })
      const { value } = yield* runOk(main)
      assert.deepStrictEqual(value, ["a"])
    })
  )

  it.effect("test_as_completed_resume_iterator: iteration resumes where it stopped", () =>
    Effect.gen(function* () {
      const main = Effect.gen(function* () {
        const iterator = yield* asyncio.asCompleted([0, 1, 2, 3].map((i) => Effect.succeed(i)))
        const collected: Array<number> = []
        let iterations = 0
        for (const next of iterator) {
          collected.push(yield* next)
          iterations += 1
          if (iterations === 2) break
        }
        const afterBreak = collected.length
        for (const next of iterator) collected.push(yield* next)
        return [afterBreak, collected]
      })
      const { value } = yield* runOk(main)
      assert.strictEqual(value[0], 2)
      assert.sameMembers(value[1] as Array<number>, [0, 1, 2, 3])
    })
  )

  it.effect("test_as_completed_resume_iterator (stream): a stream taken in parts", () =>
    Effect.gen(function* () {
      const main = Effect.gen(function* () {
        const iterator = yield* asyncio.asCompleted([0, 1, 2, 3].map((i) => Effect.succeed(i)))
        const first = yield* Stream.runCollect(Stream.take(iterator.stream, 2))
        const rest = yield* Stream.runCollect(iterator.stream)
        return [first.length, rest.length]
      })
      const { value } = yield* runOk(main)
      assert.deepStrictEqual(value, [2, 2])
    })
  )

  it.effect("test_as_completed_reverse_wait: any wait gives the first completed", () =>
    Effect.gen(function* () {
      const main = Effect.gen(function* () {
        const loop = yield* asyncio.EventLoop
        const futs = [...(yield* asyncio.asCompleted([asyncio.sleep(0.05, "a"), asyncio.sleep(0.1, "b")]))]
        const second = futs[1]
        const first = futs[0]
        if (first === undefined || second === undefined) return []
        const x = yield* second
        const t1 = loop.time()
        const y = yield* first
        return [futs.length, x, t1, y, loop.time()]
      })
      const { value } = yield* runOk(main)
      assert.deepStrictEqual(value, [2, "a", 0.05, "b", 0.1])
    })
  )

  it.effect("test_as_completed_concurrent: several waits can be awaited at once", () =>
    Effect.gen(function* () {
      const main = Effect.gen(function* () {
        const futs = [...(yield* asyncio.asCompleted([asyncio.sleep(0.05, "a"), asyncio.sleep(0.05, "b")]))]
        const tasks = yield* Effect.forEach(futs, (fut) => asyncio.ensureFuture(fut))
        const { done } = yield* asyncio.wait(tasks)
        return new Set(yield* Effect.forEach([...done], (task) => task))
      })
      const { value, elapsed } = yield* runOk(main)
      assert.deepStrictEqual(value, new Set(["a", "b"]))
      assert.closeTo(elapsed, 0.05, 1e-9)
    })
  )

  it.effect("test_as_completed_duplicate_coroutines: the same effect twice comes out once", () =>
    Effect.gen(function* () {
      const main = Effect.gen(function* () {
        const c = Effect.succeed("ham")
        const result: Array<string> = []
        for (const next of yield* asyncio.asCompleted([c, c, Effect.succeed("spam")]))
          result.push(yield* next)
        return result
      })
      const { value } = yield* runOk(main)
      assert.sameMembers(value, ["ham", "spam"])
      assert.strictEqual(value.length, 2)
    })
  )

  it.effect("test_as_completed_invalid_args: a single task or effect dies with TypeError", () =>
    Effect.gen(function* () {
      const single: unknown = asyncio.sleep(1)
      const { exit } = yield* runVirtual(asyncio.asCompleted(single as Array<Effect.Effect<void>>))
      assert.instanceOf(failure(exit), asyncio.TypeError)
      const main = Effect.gen(function* () {
        const task: unknown = yield* asyncio.createTask(asyncio.sleep(1))
        return yield* Effect.exit(asyncio.asCompleted(task as Array<Effect.Effect<void>>))
      })
      const { value } = yield* runOk(main)
      // 3.13 reworded it: "expects an iterable of awaitables, not Task"
      assert.match(String(failure(value)), /expects an iterable of awaitables, not <Task object>/)
    })
  )

  it.effect("errors come out in their turn; an empty input yields nothing", () =>
    Effect.gen(function* () {
      const main = Effect.gen(function* () {
        const outcomes: Array<unknown> = []
        const source = [Effect.andThen(asyncio.sleep(1), Effect.fail("late error")), asyncio.sleep(0.5, "ok")]
        for (const next of yield* asyncio.asCompleted(source)) {
          outcomes.push(
            yield* Effect.match(next, { onFailure: (e) => `E:${String(e)}`, onSuccess: (v) => v })
          )
        }
        const empty = yield* asyncio.asCompleted([], { timeout: 1 })
        return [
          outcomes,
          [...empty].length,
          Chunk.size(yield* Stream.runCollect(empty.stream).pipe(Effect.map(Chunk.fromIterable)))
        ]
      })
      const { value } = yield* runOk(main)
      assert.deepStrictEqual(value, [["ok", "E:late error"], 0, 0])
    })
  )
})
