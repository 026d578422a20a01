/**
 * toThread, loop.runInExecutor and ThreadPoolExecutor with real worker threads (threads.ts,
 * executors.ts, internal/executor.ts). What each test expects was checked with CPython 3.13
 * (`PYENV_VERSION=3.13.0 python3.13`), quoted above it; where a JavaScript worker differs (it can
 * be terminated, its arguments are copied) the test says so.
 *
 * Real time, bounded: a worker's work is real. The pools are few and shared (a worker thread
 * takes one to two seconds to start under tsx), and every test keeps its waits short.
 */
import { join } from "node:path"
import { inspect } from "node:util"
import { afterAll, assert, describe, it } from "@effect/vitest"
import * as asyncio from "@effect-asyncio/core"
import { Cause, Effect, Exit } from "effect"
import { Negative, Point, work } from "./fixtures/workers.js"
import {
  eventually,
  execArgv,
  finished,
  linesIn,
  maxOverlap,
  scratch,
  untilStarted
} from "./utils/workers.js"

const dir = scratch()
const fileOf = (name: string) => join(dir, `${name}.txt`)

/** The defect an exit died with (the first line of its text). */
const defectOf = (exit: Exit.Exit<unknown, unknown>): string => {
  assert.isTrue(Exit.isFailure(exit), "expected a failure")
  if (Exit.isSuccess(exit)) return ""
  assert.isFalse(exit.cause.reasons.some(Cause.isFailReason), "expected a defect, not a typed failure")
  return String(Cause.squash(exit.cause)).split("\n")[0] ?? ""
}

// One loop for the toThread tests, whose default executor is a pool of two threads (tsx's loader
// in them): Runner.close() at the end shuts it down, as asyncio.run's shutdown_default_executor.
const runner = new asyncio.Runner({ handleSigint: false })
const pool = new asyncio.ThreadPoolExecutor({ maxWorkers: 2, execArgv })
runner.getLoop().setDefaultExecutor(pool)
// one thread that cancelling a running call terminates
const terminating = new asyncio.ThreadPoolExecutor({ maxWorkers: 1, terminateOnCancel: true, execArgv })

afterAll(async () => {
  await runner.close()
  await Effect.runPromise(terminating.shutdown())
})

describe("toThread", () => {
  // asyncio.to_thread(work, 3) -> 6; loop.run_in_executor(None, work, 4) -> 8
  it("runs a worker function in a thread of the default executor and gives its result", async () => {
    const result = await runner.run(
      Effect.gen(function* () {
        const loop = yield* asyncio.getRunningLoop
        const fib = yield* asyncio.toThread(work.fib, 20)
        const sum = yield* loop.runInExecutor(undefined, work.add, 2, 3)
        const where = yield* asyncio.toThread(work.whoami)
        return { fib, sum, where }
      })
    )
    assert.strictEqual(result.fib, 6765)
    assert.strictEqual(result.sum, 5)
    assert.strictEqual(result.where.pid, process.pid) // a thread of this process...
    assert.notStrictEqual(result.where.thread, 0) // ...not the main thread
  }, 30_000)

  it("copies arguments and results by structured clone: Maps, Dates, typed arrays, nested data", async () => {
    const value = {
      map: new Map([["a", [1, 2]]]),
      when: new Date(0),
      bytes: new Uint8Array([1, 2, 3]),
      n: 1n
    }
    const copy = await runner.run(asyncio.toThread(work.echo, value))
    assert.notStrictEqual(copy, value)
    assert.deepStrictEqual(copy, value)
  }, 30_000)

  // (an idle thread is reused before a new one starts, as CPython's `_idle_semaphore`: a short call
  // may never see the second thread, which takes a second or two to start under tsx)
  it("two calls at once run in two threads, in parallel", async () => {
    const shared = new SharedArrayBuffer(4)
    const both = await runner.run(
      asyncio.gather(
        asyncio.toThread(work.rendezvous, shared, 2),
        asyncio.toThread(work.rendezvous, shared, 2)
      )
    )
    assert.deepStrictEqual(
      both.map((call) => call.met),
      [true, true]
    ) // each saw the other running
    assert.notStrictEqual(both[0].thread, both[1].thread)
  }, 30_000)

  it("typed errors come back typed: the function's own (by its Schema) and this library's", async () => {
    const outcome = await runner.run(
      Effect.gen(function* () {
        const negative = yield* Effect.flip(asyncio.toThread(work.sqrt, -4))
        const value = yield* Effect.flip(asyncio.toThread(work.valueError, "no user 7"))
        const caught = yield* asyncio
          .toThread(work.sqrt, -1)
          .pipe(Effect.catchTag("Negative", (e) => Effect.succeed(e.n)))
        return { negative, value, caught, root: yield* asyncio.toThread(work.sqrt, 16) }
      })
    )
    assert.instanceOf(outcome.negative, Negative)
    assert.strictEqual(outcome.negative.n, -4)
    assert.instanceOf(outcome.value, asyncio.ValueError)
    assert.strictEqual(outcome.value.message, "no user 7")
    assert.include(outcome.value.stack ?? "", "workers.ts") // the worker's stack, where it was made
    assert.strictEqual(outcome.caught, -1)
    assert.strictEqual(outcome.root, 4)
  }, 30_000)

  // def boom(): raise ValueError("bad value"); await asyncio.to_thread(boom) -> ValueError bad value
  it("a thrown exception is a defect, with the worker's message", async () => {
    const exit = await runner.run(Effect.exit(asyncio.toThread(work.throws, "bad value")))
    assert.strictEqual(defectOf(exit), "Error: bad value")
  }, 30_000)

  it("Schemas carry class instances both ways; without them an instance arrives as plain data", async () => {
    const outcome = await runner.run(
      Effect.gen(function* () {
        const scaled = yield* asyncio.toThread(work.scale, new Point({ x: 3, y: 4 }), 2)
        const plain = yield* asyncio.toThread(work.isPoint, new Point({ x: 1, y: 1 }))
        return { scaled, plain }
      })
    )
    assert.instanceOf(outcome.scaled, Point)
    assert.strictEqual(outcome.scaled.norm, 10)
    assert.isFalse(outcome.plain)
  }, 30_000)

  // asyncio.to_thread(42) -> TypeError 'int' object is not callable; a ProcessPoolExecutor given a
  // lambda -> AttributeError "Can't get local object 'm.<locals>.<lambda>'" (pickle)
  it("a function that cannot be sent, and values that cannot be copied, die with TypeError", async () => {
    const outcome = await runner.run(
      Effect.gen(function* () {
        const closure = yield* Effect.exit(asyncio.toThread((() => 1) as unknown as typeof work.whoami))
        const notAFunction = yield* Effect.exit(asyncio.toThread(42 as unknown as typeof work.whoami))
        const argument = yield* Effect.exit(asyncio.toThread(work.echo, () => 1))
        const result = yield* Effect.exit(asyncio.toThread(work.closure))
        const schema = yield* Effect.exit(asyncio.toThread(work.scale, { x: "1" } as never, 2))
        return {
          closure,
          notAFunction,
          argument,
          result,
          schema,
          after: yield* asyncio.toThread(work.add, 1, 1)
        }
      })
    )
    assert.match(
      defectOf(outcome.closure),
      /^TypeError: toThread\(\) <function anonymous> cannot be sent to a worker: .*defineWorkerFunctions/
    )
    assert.match(defectOf(outcome.notAFunction), /^TypeError: toThread\(\) 42 cannot be sent to a worker/)
    assert.match(
      defectOf(outcome.argument),
      /^TypeError: the arguments of echo\(\) cannot be sent to a worker: .*could not be cloned\.$/
    )
    assert.match(
      defectOf(outcome.result),
      /^TypeError: the result of closure\(\) cannot be sent back from the worker: .*could not be cloned/
    )
    assert.match(defectOf(outcome.schema), /^ValueError: scale\(\) argument 1 does not match its Schema/)
    assert.strictEqual(outcome.after, 2) // the pool is as good as before
  }, 30_000)
})

describe("ThreadPoolExecutor", () => {
  it("never runs more than maxWorkers calls at once, and reuses its threads", async () => {
    const spans = await asyncio.run(
      Effect.gen(function* () {
        const loop = yield* asyncio.getRunningLoop
        // both threads up (three parties never meet: at most two calls run, so the third waits)
        const shared = new SharedArrayBuffer(4)
        const meeting = yield* asyncio.gather(
          ...[1, 2].map(() => loop.runInExecutor(pool, work.rendezvous, shared, 2))
        )
        assert.deepStrictEqual(
          meeting.map((call) => call.met),
          [true, true]
        )
        return yield* asyncio.gather(
          ...Array.from({ length: 6 }, () => loop.runInExecutor(pool, work.span, 150))
        )
      })
    )
    assert.strictEqual(maxOverlap(spans), 2)
    assert.strictEqual(new Set(spans.map((span) => span.thread)).size, 2)
  }, 30_000)

  // a worker thread can die (process.exit(), an uncaught error, out of memory): CPython's threads
  // cannot, but its ProcessPoolExecutor says: BrokenProcessPool "A process in the process pool was
  // terminated abruptly while the future was running or pending."
  it("a thread that dies under a call fails it with BrokenThreadPool; the pool replaces the thread", async () => {
    const outcome = await asyncio.run(
      Effect.gen(function* () {
        const loop = yield* asyncio.getRunningLoop
        const broken = yield* Effect.flip(loop.runInExecutor(pool, work.exit, 3))
        // both threads again: the one left, and the one that replaced the dead one
        const shared = new SharedArrayBuffer(4)
        const meeting = yield* asyncio.gather(
          ...[1, 2].map(() => loop.runInExecutor(pool, work.rendezvous, shared, 2))
        )
        return { broken, meeting }
      })
    )
    assert.instanceOf(outcome.broken, asyncio.BrokenThreadPool)
    assert.strictEqual(
      outcome.broken.message,
      "A thread in the thread pool was terminated abruptly while the future was running or pending. (The worker has exited with code: 3)"
    )
    assert.deepStrictEqual(
      outcome.meeting.map((call) => call.met),
      [true, true]
    )
  }, 30_000)
  // CPython: a ThreadPoolExecutor whose initializer raises is broken: BrokenThreadPool "A thread
  // initializer failed, the thread pool is not usable anymore", for the pending and every later call
  it("a pool whose workers cannot start is broken: its calls fail with BrokenThreadPool, saying why", async () => {
    const broken = new asyncio.ThreadPoolExecutor({ maxWorkers: 2, execArgv: ["--no-such-flag"] })
    const outcome = await asyncio.run(
      Effect.gen(function* () {
        const loop = yield* asyncio.getRunningLoop
        const pending = yield* asyncio.gather(
          loop.runInExecutor(broken, work.add, 1, 2),
          loop.runInExecutor(broken, work.add, 3, 4),
          {
            returnExceptions: true
          }
        )
        const later = yield* Effect.flip(loop.runInExecutor(broken, work.add, 5, 6))
        yield* broken.shutdown() // nothing left to wait for
        return { pending, later }
      })
    )
    const message =
      "A worker thread could not start, the thread pool is not usable anymore (Initiated Worker with invalid execArgv flags: --no-such-flag)"
    for (const error of [...outcome.pending, outcome.later]) {
      assert.instanceOf(error, asyncio.BrokenThreadPool)
      assert.strictEqual((error as asyncio.BrokenThreadPool).message, message)
    }
  }, 30_000)
})

describe("cancellation", () => {
  // CPython: t = create_task(to_thread(work, 6, 0.3)); t.cancel() -> CancelledError at once; the
  // thread runs on ("work done 6" printed later). A queued call cancelled never runs:
  // f2 = run_in_executor(ex1, work, "y-queued"); f2.cancel() -> "ran y-queued" never printed.
  it("default (asyncio's): the task is cancelled at once, the thread runs the call to its end, a queued call never runs", async () => {
    const file = fileOf("runs-on")
    const outcome = await asyncio.run(
      Effect.gen(function* () {
        const loop = yield* asyncio.getRunningLoop
        const running = yield* asyncio.createTask(loop.runInExecutor(pool, work.busy, 2000, file, "running"))
        const other = loop.runInExecutor(pool, work.busy, 2000, file, "other") // both threads are busy
        const queued = loop.runInExecutor(pool, work.busy, 0, file, "queued")
        yield* untilStarted(file, "running")
        const start = Date.now()
        running.cancelUnsafe()
        queued.cancelUnsafe()
        const exit = yield* Effect.exit(running)
        const cancelledAfter = Date.now() - start
        const finishedThen = finished(file)
        // the next call waits for a thread: both are still busy, one with the cancelled call
        const next = yield* loop.runInExecutor(pool, work.busy, 0, file, "next")
        yield* other
        return { exit, cancelledAfter, finishedThen, next, queued: queued.cancelled() }
      })
    )
    assert.isTrue(Exit.isFailure(outcome.exit))
    assert.isBelow(outcome.cancelledAfter, 1000)
    assert.notInclude(outcome.finishedThen, "running") // still running when the task was cancelled
    assert.isTrue(outcome.queued)
    assert.strictEqual(outcome.next, "next")
    await eventually("the cancelled call finishes", () => finished(file).includes("running")) // ran to its end
    assert.sameMembers(finished(file), ["running", "other", "next"]) // "queued" never ran
    assert.notInclude(linesIn(file), "started queued")
  }, 30_000)

  it("terminateOnCancel: the thread is terminated, the call never finishes, the next call gets a new thread", async () => {
    const file = fileOf("terminated")
    const outcome = await asyncio.run(
      Effect.gen(function* () {
        const loop = yield* asyncio.getRunningLoop
        const before = yield* loop.runInExecutor(terminating, work.whoami)
        const running = yield* asyncio.createTask(
          loop.runInExecutor(terminating, work.busy, 5000, file, "terminated")
        )
        yield* untilStarted(file, "terminated")
        yield* running.cancel()
        const exit = yield* Effect.exit(running)
        // one thread: a call that gets it before the 5 s are over gets a new one
        const after = yield* loop.runInExecutor(terminating, work.whoami)
        return { exit, before, after }
      })
    )
    assert.isTrue(Exit.isFailure(outcome.exit))
    assert.notStrictEqual(outcome.after.thread, outcome.before.thread)
    assert.deepStrictEqual(linesIn(file), ["started terminated"]) // and the old thread is gone
  }, 30_000)
})

describe("shutdown", () => {
  // ex.shutdown(); ex.submit(work, 1) -> RuntimeError cannot schedule new futures after shutdown
  // (and from loop.run_in_executor(ex, ...), at the call); after loop.shutdown_default_executor():
  // to_thread -> RuntimeError Executor shutdown has been called
  it("no call after shutdown: RuntimeError at the call, typed from toThread", async () => {
    const closed = new asyncio.ThreadPoolExecutor({ maxWorkers: 1 })
    await Effect.runPromise(closed.shutdown())
    const outcome = await asyncio.run(
      Effect.gen(function* () {
        const loop = yield* asyncio.getRunningLoop
        let thrown: unknown
        try {
          loop.runInExecutor(closed, work.add, 1, 1)
        } catch (error) {
          thrown = error
        }
        yield* loop.shutdownDefaultExecutor()
        const typed = yield* Effect.flip(asyncio.toThread(work.add, 1, 1))
        return { thrown, typed }
      })
    )
    assert.instanceOf(outcome.thrown, asyncio.RuntimeError)
    assert.strictEqual(
      (outcome.thrown as asyncio.RuntimeError).message,
      "cannot schedule new futures after shutdown"
    )
    assert.instanceOf(outcome.typed, asyncio.RuntimeError)
    assert.strictEqual(outcome.typed.message, "Executor shutdown has been called")
  }, 30_000)

  // ex = ThreadPoolExecutor(1); 3 submits of work(i, 0.1); ex.shutdown(wait=True) -> 0.3 s, [0, 1, 2]
  // shutdown(wait=False, cancel_futures=True) -> at once: the running one runs on, the queued ones
  // are cancelled; shutdown twice is harmless
  it("shutdown waits for every call (queued ones too); cancelFutures cancels the queued ones; twice is harmless", async () => {
    const file = fileOf("shutdown")
    const outcome = await asyncio.run(
      Effect.gen(function* () {
        const loop = yield* asyncio.getRunningLoop
        // shutdown(wait=False, cancel_futures=True): at once; the running call runs on, the queued are cancelled
        yield* loop.runInExecutor(terminating, work.add, 0, 0) // its thread is up
        const more = ["c1", "c2", "c3"].map((line) =>
          loop.runInExecutor(terminating, work.busy, 1000, file, line)
        )
        yield* untilStarted(file, "c1") // c1 runs, c2 and c3 wait for the thread
        const start = Date.now()
        yield* terminating.shutdown({ wait: false, cancelFutures: true })
        const returnedAfter = Date.now() - start
        yield* terminating.shutdown({ wait: false, cancelFutures: true }) // harmless
        const cancelled = yield* asyncio.gather(...more, { returnExceptions: true })
        yield* terminating.shutdown()
        return { returnedAfter, cancelled }
      })
    )
    assert.isBelow(outcome.returnedAfter, 100)
    assert.strictEqual(outcome.cancelled[0], "c1")
    assert.instanceOf(outcome.cancelled[1], asyncio.CancelledError)
    assert.instanceOf(outcome.cancelled[2], asyncio.CancelledError)
    assert.deepStrictEqual(linesIn(file), ["started c1", "c1"])
  }, 30_000)

  // with ThreadPoolExecutor(1) as ex: 3 submits of work(i, 0.1) -> the exit waits 0.3 s: [0, 1, 2]
  it("use(body) is `with executor:`: the body, then shutdown(wait): every call runs, queued ones too", async () => {
    const file = fileOf("use")
    const exit = await asyncio.run(
      Effect.exit(
        pool.use(
          Effect.gen(function* () {
            const loop = yield* asyncio.getRunningLoop
            // two threads, three calls: one waits for a thread
            for (const line of ["w1", "w2", "w3"]) loop.runInExecutor(pool, work.spin, 100, file, line)
            return yield* Effect.fail("body failed")
          })
        )
      )
    )
    assert.deepStrictEqual(exit, Exit.fail("body failed"))
    assert.sameMembers(linesIn(file), ["w1", "w2", "w3"]) // the shutdown waited for them
    assert.strictEqual(String(pool), "<ThreadPoolExecutor max_workers=2 shutdown>")
  }, 30_000)
})

describe("bad input", () => {
  const thrown = (f: () => unknown): string => {
    try {
      f()
    } catch (error) {
      return String(error).split("\n")[0] ?? ""
    }
    return "nothing thrown"
  }

  // cf.ThreadPoolExecutor(max_workers=0) / (-1) -> ValueError max_workers must be greater than 0;
  // ("2") -> TypeError '<=' not supported between instances of 'str' and 'int'; (1.5) is accepted
  it("executors check their options, with CPython's message for max_workers <= 0", () => {
    for (const Executor of [asyncio.ThreadPoolExecutor, asyncio.ProcessPoolExecutor]) {
      const name = Executor.name
      assert.strictEqual(
        thrown(() => new Executor({ maxWorkers: 0 })),
        "ValueError: max_workers must be greater than 0"
      )
      assert.strictEqual(
        thrown(() => new Executor({ maxWorkers: -1 })),
        "ValueError: max_workers must be greater than 0"
      )
      assert.strictEqual(
        thrown(() => new Executor({ maxWorkers: "2" as never })),
        `TypeError: ${name}() maxWorkers must be a number, got "2"`
      )
      assert.strictEqual(
        thrown(() => new Executor({ maxWorkers: 1.5 })),
        `ValueError: ${name}() maxWorkers must be an integer, got 1.5`
      )
      assert.strictEqual(
        thrown(() => new Executor({ maxWorkers: Number.NaN })),
        `ValueError: ${name}() maxWorkers must be an integer, got NaN`
      )
      assert.strictEqual(
        thrown(() => new Executor({ terminateOnCancel: "yes" as never })),
        `TypeError: ${name}() terminateOnCancel must be a boolean, got "yes"`
      )
      assert.strictEqual(
        thrown(() => new Executor({ execArgv: [1] as never })),
        `TypeError: ${name}() execArgv must be an array of strings, got <Array object>`
      )
      assert.strictEqual(
        thrown(() => new Executor(null as never)),
        `TypeError: ${name}() options must be an object, got null`
      )
    }
    assert.strictEqual(
      inspect(new asyncio.ThreadPoolExecutor({ maxWorkers: 3 })),
      "<ThreadPoolExecutor max_workers=3>"
    )
    assert.strictEqual(
      String(new asyncio.ProcessPoolExecutor({ maxWorkers: 1 })),
      "<ProcessPoolExecutor max_workers=1>"
    )
    // CPython 3.13 on this machine: ThreadPoolExecutor()._max_workers 6, ProcessPoolExecutor() 2
    const cpus = globalThis.navigator.hardwareConcurrency
    assert.strictEqual(new asyncio.ThreadPoolExecutor().maxWorkers, Math.min(32, cpus + 4))
    assert.strictEqual(new asyncio.ProcessPoolExecutor().maxWorkers, cpus)
  })

  // loop.run_in_executor("notexec", work, 1) -> AttributeError 'str' object has no attribute 'submit';
  // loop.set_default_executor(42) -> TypeError executor must be ThreadPoolExecutor instance
  it("runInExecutor, setDefaultExecutor, shutdown and use check theirs", async () => {
    const outcome = await asyncio.run(
      Effect.gen(function* () {
        const loop = yield* asyncio.getRunningLoop
        const executor = new asyncio.ThreadPoolExecutor({ maxWorkers: 1 })
        return {
          notExecutor: thrown(() => loop.runInExecutor("notexec" as never, work.add, 1, 2)),
          notFunction: thrown(() =>
            loop.runInExecutor(executor, ((n: number) => n) as unknown as typeof work.fib, 1)
          ),
          processDefault: thrown(() => loop.setDefaultExecutor(new asyncio.ProcessPoolExecutor() as never)),
          numberDefault: thrown(() => loop.setDefaultExecutor(42 as never)),
          wait: defectOf(yield* Effect.exit(executor.shutdown({ wait: "x" as never }))),
          options: defectOf(yield* Effect.exit(executor.shutdown(null as never))),
          body: defectOf(yield* Effect.exit(executor.use(42 as unknown as Effect.Effect<void>))),
          timeout: defectOf(yield* Effect.exit(loop.shutdownDefaultExecutor("1" as never)))
        }
      })
    )
    assert.deepStrictEqual(outcome, {
      notExecutor:
        'TypeError: runInExecutor() executor must be a ThreadPoolExecutor, a ProcessPoolExecutor or undefined (the default), got "notexec"',
      notFunction:
        "TypeError: runInExecutor() <function anonymous> cannot be sent to a worker: a worker runs only functions defined with defineWorkerFunctions(import.meta.url, { ... }) at the top level of a module, which it imports (a closure cannot cross a thread)",
      processDefault: "TypeError: executor must be ThreadPoolExecutor instance",
      numberDefault: "TypeError: executor must be ThreadPoolExecutor instance",
      wait: 'TypeError: ThreadPoolExecutor.shutdown() wait must be a boolean, got "x"',
      options: "TypeError: ThreadPoolExecutor.shutdown() options must be an object, got null",
      body: "TypeError: ThreadPoolExecutor.use() the body must be an effect, got 42",
      timeout:
        'TypeError: shutdownDefaultExecutor() timeout must be a number of seconds or a Duration, got "1"'
    })
  })
})
