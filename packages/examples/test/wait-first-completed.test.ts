import { assert, describe, it } from "@effect/vitest"
import { Effect, Exit } from "effect"
import { main } from "../src/wait-first-completed.js"
import { runExample } from "./utils.js"

describe("wait-first-completed", () => {
  it.effect("Server-B answers first at 1 s; the other two are cancelled", () =>
    Effect.gen(function* () {
      const { exit, lines, elapsed } = yield* runExample(main)
      assert.isTrue(Exit.isSuccess(exit))
      assert.deepStrictEqual(lines, ["Fastest: Server-B responded"])
      assert.strictEqual(elapsed, 1)
    })
  )
})
