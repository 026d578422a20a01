/**
 * ProcessPoolExecutor with real child processes (executors.ts, internal/executor.ts): the same
 * pool as ThreadPoolExecutor (test/threads.test.ts) on `fork`ed Node processes, with structured
 * clone over IPC. Checked with CPython 3.13 where the two can be compared (quoted above a test).
 *
 * Real time, bounded; one pool of one process for most tests (a process takes two or three
 * seconds to start under tsx).
 */
import { join } from "node:path"
import { afterAll, assert, describe, it } from "@effect/vitest"
import * as asyncio from "@effect-asyncio/core"
import { Cause, Effect, Exit } from "effect"
import { Negative, Point, work } from "./fixtures/workers.js"
import { eventually, execArgv, finished, linesIn, scratch, untilStarted } from "./utils/workers.js"

const dir = scratch()

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}
const fileOf = (name: string) => join(dir, `${name}.txt`)

const processes = new asyncio.ProcessPoolExecutor({ maxWorkers: 1, execArgv })
const killing = new asyncio.ProcessPoolExecutor({ maxWorkers: 1, terminateOnCancel: true, execArgv })

afterAll(() => Effect.runPromise(Effect.all([processes.shutdown(), killing.shutdown()])))

describe("ProcessPoolExecutor", () => {
  // with ProcessPoolExecutor(1) as pp: await loop.run_in_executor(pp, int, "x")
  //   -> ValueError invalid literal for int() with base 10: 'x' (raised in the child, re-raised here)
  it("runs calls in a child process; results, typed errors and defects come back as in a thread", async () => {
    const outcome = await asyncio.run(
      Effect.gen(function* () {
        const loop = yield* asyncio.getRunningLoop
        const where = yield* loop.runInExecutor(processes, work.whoami)
        const again = yield* loop.runInExecutor(processes, work.whoami)
        const negative = yield* Effect.flip(loop.runInExecutor(processes, work.sqrt, -9))
        const value = yield* Effect.flip(loop.runInExecutor(processes, work.valueError, "bad"))
        const thrown = yield* Effect.exit(loop.runInExecutor(processes, work.throws, "boom"))
        const scaled = yield* loop.runInExecutor(processes, work.scale, new Point({ x: 1, y: 0 }), 5)
        const copied = yield* loop.runInExecutor(processes, work.echo, { at: new Date(5), set: new Set([1]) })
        const unsendable = yield* Effect.exit(loop.runInExecutor(processes, work.echo, Symbol("s")))
        return { where, again, negative, value, thrown, scaled, copied, unsendable }
      })
    )
    assert.notStrictEqual(outcome.where.pid, process.pid)
    assert.strictEqual(outcome.again.pid, outcome.where.pid) // the same process, reused
    assert.instanceOf(outcome.negative, Negative)
    assert.instanceOf(outcome.value, asyncio.ValueError)
    assert.strictEqual(
      String(Cause.squash((outcome.thrown as Exit.Failure<unknown, unknown>).cause)).split("\n")[0],
      "Error: boom"
    )
    assert.instanceOf(outcome.scaled, Point)
    assert.strictEqual(outcome.scaled.norm, 5)
    assert.deepStrictEqual(outcome.copied, { at: new Date(5), set: new Set([1]) })
    assert.isTrue(Exit.isFailure(outcome.unsendable))
    assert.match(
      String(Cause.squash((outcome.unsendable as Exit.Failure<unknown, unknown>).cause)),
      /^TypeError: the arguments of echo\(\) cannot be sent to a worker: .*could not be cloned/
    )
  }, 30_000)

  // CPython: the child SIGKILLs itself -> BrokenProcessPool "A process in the process pool was
  // terminated abruptly while the future was running or pending."; every later submit -> "A child
  // process terminated abruptly, the process pool is not usable anymore". Here the pool replaces
  // the process and goes on (see the README's differences).
  it("a process that dies under a call fails it with BrokenProcessPool; the next call gets a new process", async () => {
    const outcome = await asyncio.run(
      Effect.gen(function* () {
        const loop = yield* asyncio.getRunningLoop
        const before = yield* loop.runInExecutor(processes, work.whoami)
        const broken = yield* Effect.flip(loop.runInExecutor(processes, work.exit, 3))
        const after = yield* loop.runInExecutor(processes, work.whoami)
        return { before, broken, after }
      })
    )
    assert.instanceOf(outcome.broken, asyncio.BrokenProcessPool)
    assert.strictEqual(
      outcome.broken.message,
      "A process in the process pool was terminated abruptly while the future was running or pending. (The worker has exited with code: 3)"
    )
    assert.notStrictEqual(outcome.after.pid, outcome.before.pid)
  }, 30_000)

  it("cancellation by default: the process runs the call to its end; a queued call never runs", async () => {
    const file = fileOf("runs-on")
    const outcome = await asyncio.run(
      Effect.gen(function* () {
        const loop = yield* asyncio.getRunningLoop
        const running = yield* asyncio.createTask(
          loop.runInExecutor(processes, work.busy, 1500, file, "running")
        )
        const queued = loop.runInExecutor(processes, work.busy, 0, file, "queued")
        yield* untilStarted(file, "running")
        running.cancelUnsafe()
        queued.cancelUnsafe()
        const exit = yield* Effect.exit(running)
        const finishedThen = finished(file)
        yield* loop.runInExecutor(processes, work.add, 0, 0) // after the cancelled call
        return { exit, finishedThen }
      })
    )
    assert.isTrue(Exit.isFailure(outcome.exit))
    assert.deepStrictEqual(outcome.finishedThen, [])
    assert.deepStrictEqual(linesIn(file), ["started running", "running"]) // "queued" never started
  }, 30_000)

  it("terminateOnCancel: the process is killed, the call never finishes", async () => {
    const file = fileOf("killed")
    const outcome = await asyncio.run(
      Effect.gen(function* () {
        const loop = yield* asyncio.getRunningLoop
        const where = yield* loop.runInExecutor(killing, work.whoami)
        const running = yield* asyncio.createTask(
          loop.runInExecutor(killing, work.busy, 5000, file, "killed")
        )
        yield* untilStarted(file, "killed")
        yield* running.cancel()
        return { where, exit: yield* Effect.exit(running) }
      })
    )
    assert.isTrue(Exit.isFailure(outcome.exit))
    // the process is gone, long before its call's 5 s, and with it the call
    await eventually("the process is killed", () => !isAlive(outcome.where.pid))
    assert.deepStrictEqual(linesIn(file), ["started killed"])
  }, 30_000)
})
