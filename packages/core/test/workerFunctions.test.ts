/**
 * defineWorkerFunctions (workerFunctions.ts): how a function is named for a worker, what it
 * refuses, and the types `toThread` and `runInExecutor` give. Nothing here starts a worker.
 */
import { assert, describe, expectTypeOf, it } from "@effect/vitest"
import * as asyncio from "@effect-asyncio/core"
import { Effect, Schema } from "effect"
import { Negative, Point, work } from "./fixtures/workers.js"

const thrown = (f: () => unknown): string => {
  try {
    f()
  } catch (error) {
    return String(error).split("\n")[0] ?? ""
  }
  return "nothing thrown"
}

describe("defineWorkerFunctions", () => {
  it("returns the functions marked with their module and name, still callable here", () => {
    assert.strictEqual(work.add(2, 3), 5)
    assert.strictEqual(work.add.workerName, "add")
    assert.strictEqual(work.add.name, "add")
    assert.match(work.add.workerModule, /^file:\/\/.*\/test\/fixtures\/workers\.ts$/)
    assert.strictEqual(work.scale.workerName, "scale") // a definition with Schemas: its handler
    assert.instanceOf(work.scale(new Point({ x: 1, y: 1 }), 2), Point)
  })

  // cluster's defineTask refuses a name defined twice in a process, and so does this
  it("refuses what cannot name a function: bad URLs, bad entries, a name defined twice", () => {
    const url = "file:///virtual/defineWorkerFunctions.test.ts"
    assert.strictEqual(
      thrown(() => asyncio.defineWorkerFunctions(42 as never, {})),
      "TypeError: defineWorkerFunctions() moduleUrl must be the module's import.meta.url, got 42"
    )
    assert.strictEqual(
      thrown(() => asyncio.defineWorkerFunctions("./workers.ts", {})),
      'ValueError: defineWorkerFunctions() moduleUrl must be a URL (the module\'s import.meta.url), got "./workers.ts"'
    )
    assert.strictEqual(
      thrown(() => asyncio.defineWorkerFunctions(url, null as never)),
      "TypeError: defineWorkerFunctions() definitions must be an object of functions, got null"
    )
    assert.strictEqual(
      thrown(() => asyncio.defineWorkerFunctions(url, { n: 1 } as never)),
      'TypeError: defineWorkerFunctions() "n" must be a function or { handler, args?, success?, error? }, got 1'
    )
    assert.strictEqual(
      thrown(() => asyncio.defineWorkerFunctions(url, { f: { handler: () => 1, error: "E" } } as never)),
      'TypeError: defineWorkerFunctions() "f": error must be a Schema, got "E"'
    )
    assert.strictEqual(
      thrown(() =>
        asyncio.defineWorkerFunctions(url, { f: { handler: (_: number) => 1, args: Schema.Number } } as never)
      ),
      'TypeError: defineWorkerFunctions() "f": args must be an array of Schemas, got <function Schema>'
    )
    asyncio.defineWorkerFunctions(url, { once: () => 1 })
    assert.strictEqual(
      thrown(() => asyncio.defineWorkerFunctions(url, { once: () => 2 })),
      `ValueError: defineWorkerFunctions() ${url} already defines a worker function named "once"`
    )
  })

  // only types: the function is never called (the loop is not real, nothing is defined)
  const types = (loop: asyncio.EventLoopService) => {
    expectTypeOf(asyncio.toThread(work.add, 1, 2)).toEqualTypeOf<
      Effect.Effect<
        number,
        asyncio.BrokenThreadPool | asyncio.RuntimeError | asyncio.CancelledError,
        asyncio.EventLoop
      >
    >()
    expectTypeOf(asyncio.toThread(work.sqrt, 4)).toEqualTypeOf<
      Effect.Effect<
        number,
        Negative | asyncio.BrokenThreadPool | asyncio.RuntimeError | asyncio.CancelledError,
        asyncio.EventLoop
      >
    >()
    expectTypeOf(
      loop.runInExecutor(new asyncio.ProcessPoolExecutor(), work.scale, new Point({ x: 0, y: 0 }), 1)
    ).toEqualTypeOf<asyncio.Future<Point, asyncio.BrokenProcessPool>>()
    expectTypeOf(loop.runInExecutor(undefined, work.valueError, "m")).toEqualTypeOf<
      asyncio.Future<never, asyncio.ValueError | asyncio.BrokenThreadPool>
    >()
    // @ts-expect-error a closure is not a worker function
    asyncio.toThread((n: number) => n, 1)
    // @ts-expect-error the arguments are the function's
    asyncio.toThread(work.add, 1, "2")
    const url = "file:///virtual/types.ts"
    // @ts-expect-error a typed error of its own needs its Schema
    asyncio.defineWorkerFunctions(url, { fails: () => Effect.fail(new Negative({ n: 1 })) })
    const wrongSchema = { handler: () => Effect.fail(new Negative({ n: 1 })), error: Point }
    // @ts-expect-error the Schema must be the error's
    asyncio.defineWorkerFunctions(url, { fails: wrongSchema })
  }

  it("types: toThread and runInExecutor give the function's result and errors", () => {
    assert.isFunction(types)
  })
})
