/**
 * Ctrl-C with a real child process and a real signal (test_runners.py's test_interrupt_* tests
 * use `signal.raise_signal`; a process test is closer to what a user sees). The children run
 * test/fixtures/sigint.ts under tsx; each scenario is the twin of a Python program in
 * test/fixtures/python, whose CPython 3.13 run (`python3.13 drive_sigint.py <program> <n>`, SIGINT
 * 0.3 s after each "ready" / "cleanup started" line) is recorded above its test.
 */
import { assert, describe, it } from "@effect/vitest"
import { type ChildRun, linesOf, runFixture } from "./utils/child.js"

/** Runs a scenario, sending SIGINT each time one of `triggers` is printed. */
const interrupt = (scenario: string, triggers: ReadonlyArray<string>): Promise<ChildRun> =>
  runFixture("sigint.ts", {
    args: [scenario],
    timeoutMs: 30_000,
    onLine: (line, child) => {
      if (triggers.includes(line)) setTimeout(() => child.kill("SIGINT"), 100)
    }
  })

describe("SIGINT (asyncio.run's KeyboardInterrupt)", () => {
  it("test_interrupt_wait with a real signal: main cancelled, finalizers run, KeyboardInterrupt, exit 130", async () => {
    const run = await interrupt("once", ["ready"])
    assert.deepStrictEqual(
      linesOf(run.stdout),
      ["ready", "main finalizer ran", "background finalizer ran"],
      run.stderr
    )
    assert.include(run.stderr, "KeyboardInterrupt")
    assert.strictEqual(run.code, 130)
  }, 40_000)

  // CPython 3.13, sigint_twice.py with 2 SIGINTs:
  //   ready / main cancelled / cleanup started / background finalizer ran / main finalizer ran
  //   stderr: Traceback ... in _on_sigint: raise KeyboardInterrupt() / KeyboardInterrupt
  //   exit: killed by SIGINT (the shell's 130)
  it("a second Ctrl-C raises KeyboardInterrupt out of the loop; the shutdown still cancels every task", async () => {
    // the second SIGINT ends run() with KeyboardInterrupt and the shutdown cancels both tasks:
    // the background task's finalizer runs at once. main's cleanup is a finalizer, which the
    // shutdown's cancel() cannot cut (the README's differences table): a third Ctrl-C ends the
    // shutdown, and the cleanup is closed where it waits, as asyncio's GC closes a coroutine
    const run = await interrupt("twice", ["ready", "cleanup started", "background finalizer ran"])
    assert.deepStrictEqual(
      linesOf(run.stdout),
      ["ready", "main cancelled", "cleanup started", "background finalizer ran", "main finalizer ran"],
      run.stderr
    )
    assert.notInclude(run.stdout, "cleanup done")
    assert.include(run.stderr, "Task was destroyed but it is pending!\ntask: <Task cancelling name='Task-1'")
    assert.match(run.stderr, /KeyboardInterrupt\s*$/)
    assert.strictEqual(run.code, 130)
  }, 40_000)

  // CPython 3.13, sigint_shutdown.py with 1 SIGINT (during asyncio.run's _cancel_all_tasks):
  //   main done / ready / background finalizer ran
  //   stderr: Traceback ... in close: _cancel_all_tasks(loop) ... KeyboardInterrupt
  //           Task was destroyed but it is pending!
  //           task: <Task cancelling name='background' coro=<bg() running at ...> wait_for=<Future
  //           pending cb=[Task.task_wakeup()]> cb=[gather.<locals>._done_callback() at ...]>
  //   exit: killed by SIGINT (the shell's 130)
  it("Ctrl-C during the shutdown: the loop is closed, the pending task reported and closed, exit 130", async () => {
    const run = await interrupt("shutdown", ["ready"])
    assert.deepStrictEqual(
      linesOf(run.stdout),
      ["main done", "ready", "background finalizer ran"],
      run.stderr
    )
    assert.include(
      run.stderr,
      "Task was destroyed but it is pending!\ntask: <Task cancelling name='background' wait_for=<Future pending cb=[Task.task_wakeup()]> cb=[_done_callback()]>"
    )
    assert.match(run.stderr, /KeyboardInterrupt\s*$/)
    assert.strictEqual(run.code, 130)
  }, 40_000)
})
