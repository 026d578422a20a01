/**
 * toThread in a user's program: a real process under tsx, with nothing configured (its worker
 * threads inherit tsx's loader), run by test/fixtures/threads.ts.
 */
import { assert, describe, it } from "@effect/vitest"
import { linesOf, runFixture } from "./utils/child.js"

describe("threads in a program", () => {
  // CPython 3.13 (e.py): main returns / child finally (cancelled) / thread done c / run returned
  // after 0.3 -- asyncio.run cancels the child, then shutdown_default_executor waits for the thread
  it("asyncio.run's end waits for the default executor's thread; an idle pool lets Node exit", async () => {
    const run = await runFixture("threads.ts", { timeoutMs: 30_000 })
    const lines = linesOf(run.stdout).map((line) => line.replace(/after \d+\.\d$/, "after N"))
    assert.deepStrictEqual(
      lines,
      [
        "== run-end",
        "main returns",
        "child finally (cancelled)",
        "thread done c",
        "run returned after N",
        "== idle-pool",
        "result 42",
        "run returned after N"
      ],
      run.stderr
    )
    assert.strictEqual(run.code, 0) // it exited: the idle pool never shut down held nothing
  }, 40_000)
})
