import { assert, describe, it } from "@effect/vitest"
import { Effect, Exit } from "effect"
import { main } from "../src/lazy-vs-eager.js"
import { runExample } from "./utils.js"

describe("lazy-vs-eager", () => {
  it.effect("the task starts at once, the bare effect never runs", () =>
    Effect.gen(function* () {
      const { exit, lines, elapsed } = yield* runExample(main)
      assert.isTrue(Exit.isSuccess(exit))
      assert.deepStrictEqual(lines, [
        "Coroutine created, but not executed",
        "Task created, already running in background",
        "This prints only when awaited",
        "Done"
      ])
      // the task's 1 s sleep overlaps main's 0.5 s one
      assert.strictEqual(elapsed, 1)
    })
  )
})
