import { assert, describe, it } from "@effect/vitest"
import { Effect, Exit } from "effect"
import { main } from "../src/background-tasks.js"
import { runExample } from "./utils.js"

describe("background-tasks", () => {
  it.effect("the done callbacks empty the set once both jobs finish", () =>
    Effect.gen(function* () {
      const { exit, lines, elapsed } = yield* runExample(main)
      assert.isTrue(Exit.isSuccess(exit))
      assert.deepStrictEqual(lines, [
        "Background tasks: 2",
        "job-1 completed",
        "job-2 completed",
        "Background tasks: 0"
      ])
      assert.strictEqual(elapsed, 3)
    })
  )
})
