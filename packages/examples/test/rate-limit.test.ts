import { assert, describe, it } from "@effect/vitest"
import { Effect, Exit } from "effect"
import { main } from "../src/rate-limit.js"
import { runExample } from "./utils.js"

describe("rate-limit", () => {
  it.effect("ten 1 s fetches, three at a time, take 4 s", () =>
    Effect.gen(function* () {
      const { exit, lines, elapsed } = yield* runExample(main)
      assert.isTrue(Exit.isSuccess(exit))
      assert.deepStrictEqual(lines, [
        ...Array.from({ length: 10 }, (_, i) => `Fetching https://api.example.com/item/${i}`),
        "Fetched 10 items"
      ])
      assert.strictEqual(elapsed, 4)
    })
  )
})
