import { assert, describe, it } from "@effect/vitest"
import { Effect, Exit } from "effect"
import { main } from "../src/taskgroup.js"
import { runExample } from "./utils.js"

describe("taskgroup", () => {
  it.effect("the ValueError of item 3 cancels the group; exceptStar catches it", () =>
    Effect.gen(function* () {
      const { exit, lines, elapsed } = yield* runExample(main)
      assert.isTrue(Exit.isSuccess(exit))
      assert.deepStrictEqual(lines, ["Caught 1 exceptions", "  - Item 3 failed"])
      assert.strictEqual(elapsed, 1)
    })
  )
})
