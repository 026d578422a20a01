import { assert, describe, it } from "@effect/vitest"
import { Effect, Exit } from "effect"
import { main } from "../src/taskgroup-legacy.js"
import { runExample } from "./utils.js"

describe("taskgroup-legacy", () => {
  it.effect("gather fails with the ValueError; the rest are cancelled by hand", () =>
    Effect.gen(function* () {
      const { exit, lines, elapsed } = yield* runExample(main)
      assert.isTrue(Exit.isSuccess(exit))
      assert.deepStrictEqual(lines, ["Error occurred: Item 3 failed"])
      assert.strictEqual(elapsed, 1)
    })
  )
})
