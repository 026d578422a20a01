/**
 * Deadlocks, better than asyncio: CPython hangs forever on a main that waits on what can never
 * happen; Node would exit with status 0 and no output. `run` rejects with a `RuntimeError` that
 * lists every pending task and what it waits on, once Node's event loop has nothing left
 * (`beforeExit`), and `runMain` prints it and exits with 1. Real processes:
 * test/fixtures/deadlock.ts.
 */
import { assert, describe, it } from "@effect/vitest"
import { linesOf, runFixture } from "./utils/child.js"

const runScenario = (scenario: string, how: "run" | "runMain" = "run") =>
  runFixture("deadlock.ts", { args: [scenario, how], timeoutMs: 30_000 })

describe("deadlock detection (run / runMain)", () => {
  it("main waits on an Event nobody sets: RuntimeError naming both waiting tasks; finalizers ran", async () => {
    const run = await runScenario("event")
    assert.strictEqual(run.code, 0, run.stderr)
    const lines = linesOf(run.stdout)
    assert.deepStrictEqual(lines.slice(0, 2), ["main finalizer ran", "rejected RuntimeError"], run.stdout)
    assert.deepStrictEqual(lines.slice(2), [
      "deadlock: the main task can never finish: nothing is left that could wake it (no ready callback, no timer, no I/O); 1 other pending task:",
      "  'Task-1' (main) waits on Event.wait()",
      "  'waiter' waits on Event.wait()"
    ])
  }, 40_000)

  it("main waits on Queue.join() with items never marked done", async () => {
    const run = await runScenario("join")
    assert.include(run.stdout, "  'Task-1' (main) waits on Queue.join() with 3 unfinished items", run.stdout)
  }, 40_000)

  it("main awaits a task blocked outside the loop", async () => {
    const run = await runScenario("task")
    const lines = linesOf(run.stdout)
    assert.deepStrictEqual(lines.slice(-2), [
      "  'Task-1' (main) waits on task 'never'",
      "  'never' waits on an effect outside the loop (not a future)"
    ])
  }, 40_000)

  it("runMain prints the report as an uncaught RuntimeError and exits with 1", async () => {
    const run = await runScenario("join", "runMain")
    assert.strictEqual(run.code, 1)
    assert.match(run.stderr, /^RuntimeError: deadlock: the main task can never finish/m)
    assert.include(run.stderr, "Queue.join() with 3 unfinished items")
  }, 40_000)

  it("no false alarm: a wait that a Node timer or the loop's own timer ends", async () => {
    const external = await runScenario("external")
    assert.deepStrictEqual(linesOf(external.stdout), ["resolved set from outside the loop"], external.stderr)
    const fine = await runScenario("fine", "runMain")
    assert.strictEqual(fine.code, 0, fine.stderr)
    assert.strictEqual(fine.stderr, "")
  }, 40_000)
})
