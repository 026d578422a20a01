/**
 * "Task exception was never retrieved" at garbage collection, as asyncio's `Future.__del__`
 * reports it, and a closed loop that holds nothing per finished task. The garbage collector is
 * only driven from a process (`--expose-gc`): test/fixtures/never-retrieved.ts.
 */
import { assert, describe, it } from "@effect/vitest"
import { runFixture } from "./utils/child.js"

interface Seen {
  readonly first: { message: string; future: string; name: unknown; exception: unknown; phase: string }
  readonly reportedWhileRunning: number
  readonly reportedAfterRun: number
  readonly reports: number
  readonly keptReport: { message: string; future: string; phase: string } | undefined
  readonly keptDone: boolean
  readonly loopClosed: boolean
  readonly retainedAfterRunBytes: number
  readonly retainedAfterCloseBytes: number
}

describe("unretrieved failures are reported when collected", () => {
  it("a collected task is reported while main runs; one still referenced at shutdown; nothing is held", async () => {
    const count = 20_000
    const run = await runFixture("never-retrieved.ts", {
      args: [String(count)],
      nodeOptions: "--expose-gc",
      timeoutMs: 60_000
    })
    assert.strictEqual(run.code, 0, run.stderr)
    const seen = JSON.parse(run.stdout.trim()) as Seen
    // CPython: context = {'message': ..., 'exception': exc, 'future': self}, at __del__
    assert.deepInclude(seen.first, {
      message: "Task exception was never retrieved",
      future: "<Task finished name='lost' exception=ValueError('lost')>",
      name: "lost",
      phase: "running"
    })
    assert.strictEqual(seen.reportedWhileRunning, 1)
    // the `count` failures nobody kept were reported once collected, before the shutdown
    assert.strictEqual(seen.reportedAfterRun, 1 + count)
    // the one main returned stays alive: the shutdown reports it (it is the live task)
    assert.deepStrictEqual(seen.keptReport, {
      message: "Task exception was never retrieved",
      future: "<Task finished name='kept' exception='kept'>",
      name: "kept",
      exception: "kept",
      phase: "shutdown"
    } as unknown as Seen["keptReport"])
    assert.isTrue(seen.keptDone)
    assert.isTrue(seen.loopClosed)
    assert.strictEqual(seen.reports, 2 + count, "each failure is reported exactly once")
    // the closed loop, still referenced, holds nothing of the run (it held ~1.4 KB per failure)
    assert.isBelow(seen.retainedAfterCloseBytes, 2_000_000, JSON.stringify(seen))
  }, 70_000)
})
