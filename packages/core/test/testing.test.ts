import { assert, describe, it } from "@effect/vitest"
import * as asyncio from "@effect-asyncio/core"
import { runVirtual } from "@effect-asyncio/core/testing"
import { Effect, Exit } from "effect"

describe("testing: runVirtual", () => {
  it.effect("elapsed is main's virtual duration; total includes the shutdown of leftover tasks", () =>
    Effect.gen(function* () {
      const main = Effect.gen(function* () {
        // a leftover whose cleanup takes 2 virtual seconds once the shutdown cancels it
        yield* asyncio.createTask(
          asyncio.sleep(3600).pipe(Effect.onInterrupt(() => Effect.sleep("2 seconds")))
        )
        yield* asyncio.sleep(1.5)
        return "done"
      })
      const { exit, elapsed, total } = yield* runVirtual(main)
      assert.deepStrictEqual(exit, Exit.succeed("done"))
      assert.strictEqual(elapsed, 1.5)
      assert.strictEqual(total, 3.5)
    })
  )

  it.effect("keeps main itself as Task-1's coroutine", () =>
    Effect.gen(function* () {
      const main: Effect.Effect<boolean, never, asyncio.EventLoop> = Effect.map(
        asyncio.currentTask,
        (task) => (task?.getCoro() as unknown) === main
      )
      const { exit } = yield* runVirtual(main)
      assert.deepStrictEqual(exit, Exit.succeed(true))
    })
  )

  it.effect("reports a failing main in exit, with its duration", () =>
    Effect.gen(function* () {
      const main = Effect.andThen(asyncio.sleep(2), Effect.fail("boom" as const))
      const { exit, elapsed } = yield* runVirtual(main)
      assert.deepStrictEqual(exit, Exit.fail("boom"))
      assert.strictEqual(elapsed, 2)
    })
  )
})
