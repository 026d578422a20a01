import { assert, describe, it } from "@effect/vitest"
import { Effect, Exit } from "effect"
import { main } from "../src/task-states.js"
import { runExample } from "./utils.js"

describe("task-states", () => {
  it.effect("pending, then cancelled after 2 s with its cleanup run", () =>
    Effect.gen(function* () {
      const { exit, lines, elapsed } = yield* runExample(main)
      assert.isTrue(Exit.isSuccess(exit))
      assert.deepStrictEqual(lines, [
        "Task done: false",
        "Task cancelled: false",
        "Starting 10s operation",
        "Operation cancelled after some time",
        "Caught cancellation in main",
        "Task done: true",
        "Task cancelled: true"
      ])
      // cancelled at 2 s, not run to its 10 s
      assert.strictEqual(elapsed, 2)
    })
  )
})
