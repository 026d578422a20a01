import { assert, describe, it } from "@effect/vitest"
import { Effect, Exit } from "effect"
import { main } from "../src/graceful-shutdown.js"
import { runExample } from "./utils.js"

describe("graceful-shutdown", () => {
  it.effect("waitFor times out at 4 s, cancelling the gather and the 5 s task with it", () =>
    Effect.gen(function* () {
      const { exit, lines, elapsed } = yield* runExample(main)
      assert.isTrue(Exit.isSuccess(exit))
      assert.deepStrictEqual(lines, [
        "Starting 5s operation",
        "Starting 3s operation",
        "Operation cancelled after some time",
        "Timeout reached, cancelling remaining tasks"
      ])
      assert.strictEqual(elapsed, 4)
    })
  )
})
