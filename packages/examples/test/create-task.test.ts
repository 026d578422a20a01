import { assert, describe, it } from "@effect/vitest"
import { Effect, Exit } from "effect"
import { main } from "../src/create-task.js"
import { runExample } from "./utils.js"

describe("create-task", () => {
  it.effect("three fetches of 1.0, 1.5 and 0.5 s finish at 1.5 s; ensureFuture(task) is task", () =>
    Effect.gen(function* () {
      const { exit, lines, elapsed } = yield* runExample(main)
      assert.isTrue(Exit.isSuccess(exit))
      assert.deepStrictEqual(lines, [
        "All tasks started",
        "Results: Data from API-1, Data from API-2, Data from API-3",
        "Same object: true"
      ])
      assert.strictEqual(elapsed, 1.5)
    })
  )
})
