/**
 * asyncio.run and Runner: ports of CPython 3.13's test_runners.py, plus the shutdown's reports
 * ("Task exception was never retrieved", test_futures.py's traceback-logger tests) and the
 * no-leak guarantee (after `run`, the loop has no task and every task's fiber is done).
 *
 * Programs on virtual time go through `runEffect` (runOk / runVirtual); the Promise API (`run`,
 * `Runner`) is exercised with programs that only yield (`sleep(0)`), so no wall-clock time passes.
 */
import { assert, describe, it } from "@effect/vitest"
import * as asyncio from "@effect-asyncio/core"
import { Cause, Effect, Exit } from "effect"
import * as fc from "fast-check"
import { pendingTaskCount, runOk, runVirtual } from "./utils/virtual.js"

class ZeroDivisionError extends Error {
  override readonly name = "ZeroDivisionError"
}

/** The loop a program ran on and every task it saw, to check that nothing is left behind. */
const recorder = () => {
  const seen: { loop?: asyncio.EventLoopService; tasks: Array<asyncio.Task<unknown, unknown>> } = {
    tasks: []
  }
  const record = <A, E>(task: asyncio.Task<A, E>): asyncio.Task<A, E> => {
    seen.tasks.push(task as asyncio.Task<unknown, unknown>)
    return task
  }
  const captureLoop = Effect.gen(function* () {
    seen.loop = yield* asyncio.getRunningLoop
    const main = yield* asyncio.currentTask
    if (main !== undefined) seen.tasks.push(main)
  })
  const assertNothingLeft = () => {
    const loop = seen.loop
    assert.isDefined(loop)
    assert.strictEqual(loop === undefined ? -1 : pendingTaskCount(loop), 0)
    assert.isTrue(loop?.isClosed())
    for (const task of seen.tasks) {
      assert.isTrue(task.done(), `${task.toString()} is done`)
      assert.isDefined(task.fiberUnsafe()?.pollUnsafe() ?? true, `the fiber of ${task.toString()} is done`)
    }
  }
  return { seen, record, captureLoop, assertNothingLeft }
}

const leftover = (seconds: number) => asyncio.sleep(seconds)

describe("asyncio.run (test_runners.py RunTests)", () => {
  it("test_asyncio_run_return", async () => {
    const main = Effect.gen(function* () {
      yield* asyncio.sleep(0)
      return 42
    })
    assert.strictEqual(await asyncio.run(main), 42)
  })

  it.effect("test_asyncio_run_return: runEffect on virtual time", () =>
    Effect.gen(function* () {
      const { value, elapsed } = yield* runOk(asyncio.sleep(3600, 42))
      assert.strictEqual(value, 42)
      assert.strictEqual(elapsed, 3600)
    })
  )

  it("test_asyncio_run_raises: run rejects with main's error", async () => {
    const main = Effect.gen(function* () {
      yield* asyncio.sleep(0)
      return yield* Effect.fail(new asyncio.ValueError({ message: "spam" }))
    })
    const error = await asyncio.run(main).then(
      () => undefined,
      (e: unknown) => e
    )
    assert.instanceOf(error, asyncio.ValueError)
    assert.strictEqual(error.message, "spam")
  })

  it("test_asyncio_run_only_coro: a non-effect rejects with ValueError", async () => {
    for (const o of [1, () => undefined, Promise.resolve(1)]) {
      const error = await asyncio.run(o as never).then(
        () => undefined,
        (e: unknown) => e
      )
      assert.instanceOf(error, asyncio.ValueError)
      assert.match(error.message, /^a coroutine was expected, got /)
    }
  })

  it.effect("test_asyncio_run_only_coro: runEffect of a non-effect dies with ValueError", () =>
    Effect.gen(function* () {
      const exit = yield* Effect.exit(asyncio.runEffect(1 as unknown as Effect.Effect<number>))
      assert.isTrue(Exit.isFailure(exit))
      if (Exit.isFailure(exit)) {
        const defect = exit.cause.reasons.find(Cause.isDieReason)?.defect
        assert.instanceOf(defect, asyncio.ValueError)
        assert.match(defect.message, /a coroutine was expected, got 1/)
      }
    })
  )

  it("test_asyncio_run_debug", async () => {
    const main = Effect.map(asyncio.getRunningLoop, (loop) => loop.getDebug())
    assert.isFalse(await asyncio.run(main, { debug: false }))
    assert.isTrue(await asyncio.run(main, { debug: true }))
    assert.isFalse(await asyncio.run(main))
  })

  it.effect("test_asyncio_run_cancels_hanging_tasks: leftovers are cancelled, nothing is left", () =>
    Effect.gen(function* () {
      const { seen, record, captureLoop, assertNothingLeft } = recorder()
      const main = Effect.gen(function* () {
        yield* captureLoop
        record(yield* asyncio.createTask(leftover(0.1)))
        record(yield* asyncio.createTask(leftover(3600), { eagerStart: true }))
        return 123
      })
      const { value, elapsed } = yield* runOk(main)
      assert.strictEqual(value, 123)
      assert.strictEqual(elapsed, 0)
      assert.isTrue(seen.tasks.slice(1).every((task) => task.cancelled()))
      assertNothingLeft()
    })
  )

  it("test_asyncio_run_cancels_hanging_tasks: with the Promise API too", async () => {
    const { seen, record, captureLoop, assertNothingLeft } = recorder()
    const main = Effect.gen(function* () {
      yield* captureLoop
      record(yield* asyncio.createTask(leftover(3600)))
      record(yield* asyncio.createTask(Effect.never))
      return 123
    })
    assert.strictEqual(await asyncio.run(main), 123)
    assert.isTrue(seen.tasks.slice(1).every((task) => task.cancelled()))
    assertNothingLeft()
  })

  it.effect("run leaves nothing behind after a failure or a cancellation of main", () =>
    Effect.gen(function* () {
      for (const end of [
        Effect.fail(new asyncio.RuntimeError({ message: "x" })),
        Effect.interrupt,
        Effect.die("bug")
      ]) {
        const { record, captureLoop, assertNothingLeft } = recorder()
        const main = Effect.gen(function* () {
          yield* captureLoop
          record(yield* asyncio.createTask(leftover(10)))
          yield* asyncio.sleep(1)
          return yield* end
        })
        const { exit } = yield* runVirtual(main, { exceptionHandler: () => {} })
        assert.isTrue(Exit.isFailure(exit))
        assertNothingLeft()
      }
    })
  )

  it.effect(
    "test_asyncio_run_reports_hanging_tasks_errors: an error raised while cancelling is reported",
    () =>
      Effect.gen(function* () {
        const reports: Array<asyncio.ExceptionContext> = []
        const holder: { task?: asyncio.Task<void> } = {}
        const main = Effect.gen(function* () {
          holder.task = yield* asyncio.createTask(
            asyncio
              .sleep(0.1)
              .pipe(Effect.onInterrupt(() => Effect.die(new ZeroDivisionError("division by zero"))))
          )
          return 123
        })
        const { value } = yield* runOk(main, { exceptionHandler: (_loop, context) => reports.push(context) })
        assert.strictEqual(value, 123)
        assert.isTrue(holder.task?.done())
        assert.isFalse(holder.task?.cancelled())
        assert.strictEqual(reports.length, 1)
        assert.match(reports[0]?.message ?? "", /asyncio.run.*shutdown/)
        assert.strictEqual(reports[0]?.task, holder.task)
        assert.instanceOf(reports[0]?.exception, ZeroDivisionError)
      })
  )

  it.effect("Task.__del__: a task created while run shuts down is reported pending, then cancelled", () =>
    Effect.gen(function* () {
      // CPython 3.13: `_cancel_all_tasks` cancels only the tasks alive when shutdown starts; one
      // created by their cleanup is still pending when the loop closes, and is logged
      // "Task was destroyed but it is pending!" (asyncio.run returns 'r' all the same)
      const reports: Array<asyncio.ExceptionContext> = []
      const holder: { late?: asyncio.Task<void>; loop?: asyncio.EventLoopService } = {}
      const main = Effect.gen(function* () {
        const loop = yield* asyncio.EventLoop
        holder.loop = loop
        const spawn = Effect.map(
          asyncio
            .createTask(asyncio.sleep(1), { name: "late" })
            .pipe(Effect.provideService(asyncio.EventLoop, loop)),
          (task) => {
            holder.late = task
          }
        )
        yield* asyncio.createTask(asyncio.sleep(10).pipe(Effect.ensuring(spawn)))
        yield* asyncio.sleep(0.1)
        return "r"
      })
      const { value } = yield* runOk(main, { exceptionHandler: (_loop, context) => reports.push(context) })
      assert.strictEqual(value, "r")
      assert.deepStrictEqual(
        reports.map((report) => [report.message, report.task?.getName()]),
        [["Task was destroyed but it is pending!", "late"]]
      )
      assert.isTrue(holder.late?.cancelled())
      assert.strictEqual(holder.loop === undefined ? -1 : pendingTaskCount(holder.loop), 0)
    })
  )

  it.effect("test_tb_logger_exception_unretrieved (test_futures): 'Task exception was never retrieved'", () =>
    Effect.gen(function* () {
      const reports: Array<asyncio.ExceptionContext> = []
      const main = Effect.gen(function* () {
        yield* asyncio.createTask(Effect.fail(new asyncio.RuntimeError({ message: "lost" })), {
          name: "worker"
        })
        yield* asyncio.sleep(1)
        return "main done"
      })
      const { value } = yield* runOk(main, { exceptionHandler: (_loop, context) => reports.push(context) })
      assert.strictEqual(value, "main done")
      assert.strictEqual(reports.length, 1)
      const report = reports[0]
      assert.strictEqual(report?.message, "Task exception was never retrieved")
      assert.instanceOf(report?.exception, asyncio.RuntimeError)
      // CPython's context names it `future`, for a task too
      assert.strictEqual((report?.future as asyncio.Task<unknown, unknown> | undefined)?.getName(), "worker")
      // the default handler's text names the task, as asyncio's log line does
      const text = report === undefined ? "" : asyncio.formatExceptionContext(report)
      assert.include(
        text,
        "Task exception was never retrieved\nfuture: <Task finished name='worker' exception=RuntimeError('lost')>"
      )
    })
  )

  it.effect(
    "test_tb_logger_exception_retrieved (test_futures): awaited, result() or exception() -> no report",
    () =>
      Effect.gen(function* () {
        const reports: Array<asyncio.ExceptionContext> = []
        const fail = Effect.fail(new asyncio.RuntimeError({ message: "seen" }))
        const main = Effect.gen(function* () {
          const a = yield* asyncio.createTask(fail)
          const b = yield* asyncio.createTask(fail)
          const c = yield* asyncio.createTask(fail)
          yield* asyncio.sleep(1)
          yield* Effect.exit(a)
          yield* Effect.exit(b.result())
          yield* c.exception()
        })
        yield* runOk(main, { exceptionHandler: (_loop, context) => reports.push(context) })
        assert.deepStrictEqual(reports, [])
      })
  )

  it.effect("test_tb_logger_abandoned (test_futures): cancelled and successful tasks are not reported", () =>
    Effect.gen(function* () {
      const reports: Array<asyncio.ExceptionContext> = []
      const main = Effect.gen(function* () {
        yield* asyncio.createTask(asyncio.sleep(0.5, "ok"))
        const t = yield* asyncio.createTask(asyncio.sleep(10))
        yield* asyncio.sleep(1)
        yield* t.cancel()
      })
      yield* runOk(main, { exceptionHandler: (_loop, context) => reports.push(context) })
      assert.deepStrictEqual(reports, [])
    })
  )

  it.effect("the loop option eagerTaskFactory and the debug flag reach the loop", () =>
    Effect.gen(function* () {
      const { value } = yield* runOk(
        Effect.map(asyncio.getRunningLoop, (loop) => [loop.getDebug(), loop.isEagerTaskFactory()]),
        { debug: true, eagerTaskFactory: true }
      )
      assert.deepStrictEqual(value, [true, true])
    })
  )
})

describe("asyncio.run: a main that fails with several errors", () => {
  // CPython 3.13:
  //   async def main():
  //       try: raise ExceptionGroup("eg", [ValueError("v"), RuntimeError("r")])
  //       except* ValueError: raise TypeError("handler bug")
  //   try: asyncio.run(main())
  //   except BaseException as e: print(type(e).__name__, [type(x).__name__ for x in e.exceptions])
  //   -> ExceptionGroup ['TypeError', 'ExceptionGroup']
  it("an except* handler that raised beside the rest: run rejects with both, in one group", async () => {
    const eg = asyncio.ExceptionGroup.make("eg", [
      new asyncio.ValueError({ message: "v" }),
      new asyncio.RuntimeError({ message: "r" })
    ])
    const main = Effect.fail(eg).pipe(
      asyncio.exceptStar("ValueError", () => Effect.fail(new asyncio.TypeError({ message: "handler bug" })))
    )
    const error = await asyncio.run(main).then(
      () => undefined,
      (reason: unknown) => reason
    )
    assert.instanceOf(error, asyncio.ExceptionGroup)
    const group = error as asyncio.ExceptionGroup<unknown>
    assert.deepStrictEqual(
      group.exceptions.map((e) => (e as { readonly _tag: string })._tag),
      ["TypeError", "ExceptionGroup"]
    )
  })
})

describe("asyncio.Runner (test_runners.py RunnerTests)", () => {
  it("test_non_debug", async () => {
    const runner = new asyncio.Runner({ debug: false })
    assert.isFalse(runner.getLoop().getDebug())
    await runner.close()
  })

  it("test_debug", async () => {
    const runner = new asyncio.Runner({ debug: true })
    assert.isTrue(runner.getLoop().getDebug())
    await runner.close()
  })

  it("test_run: run twice on one loop, then close; the closed runner refuses getLoop", async () => {
    const f = Effect.gen(function* () {
      yield* asyncio.sleep(0)
      return "done"
    })
    const runner = new asyncio.Runner()
    assert.strictEqual(await runner.run(f), "done")
    const loop = runner.getLoop()
    assert.strictEqual(await runner.run(Effect.map(asyncio.getRunningLoop, (l) => l === loop)), true)
    // names go on counting on the same loop
    assert.strictEqual(await runner.run(Effect.map(asyncio.currentTask, (t) => t?.getName())), "Task-3")
    await runner.close()
    assert.throws(() => runner.getLoop(), asyncio.RuntimeError, "Runner is closed")
    assert.isTrue(loop.isClosed())
    assert.strictEqual(pendingTaskCount(loop), 0)
  })

  it("test_run_non_coro: rejects with ValueError", async () => {
    const runner = new asyncio.Runner()
    const error = await runner.run(123 as never).then(
      () => undefined,
      (e: unknown) => e
    )
    assert.instanceOf(error, asyncio.ValueError)
    assert.match(error.message, /a coroutine was expected/)
    await runner.close()
  })

  it("test_run_future: a Promise is not an effect", async () => {
    const runner = new asyncio.Runner()
    const error = await runner.run(Promise.resolve(1) as never).then(
      () => undefined,
      (e: unknown) => e
    )
    assert.instanceOf(error, asyncio.ValueError)
    assert.match(error.message, /a coroutine was expected, got <Promise object>/)
    await runner.close()
  })

  it("test_explicit_close", async () => {
    const runner = new asyncio.Runner()
    const loop = runner.getLoop()
    await runner.close()
    assert.throws(() => runner.getLoop(), asyncio.RuntimeError, "Runner is closed")
    assert.isTrue(loop.isClosed())
  })

  it("test_double_close: the second call is a no-op", async () => {
    const runner = new asyncio.Runner()
    const loop = runner.getLoop()
    await runner.close()
    assert.isTrue(loop.isClosed())
    await runner.close()
    assert.isTrue(loop.isClosed())
  })

  it("test_second_with_block_raises: run after close rejects with RuntimeError", async () => {
    const ret: Array<number> = []
    const f = (arg: number) => Effect.sync(() => ret.push(arg))
    const runner = new asyncio.Runner()
    await runner.run(f(1))
    await runner.close()
    const error = await runner.run(f(2)).then(
      () => undefined,
      (e: unknown) => e
    )
    assert.instanceOf(error, asyncio.RuntimeError)
    assert.strictEqual(error.message, "Runner is closed")
    assert.deepStrictEqual(ret, [1])
  })

  it("close() of a runner that never made its loop does nothing, as asyncio's", async () => {
    const runner = new asyncio.Runner()
    await runner.close()
    assert.strictEqual(await runner.run(Effect.succeed("still usable")), "still usable")
    await runner.close()
    assert.throws(() => runner.getLoop(), asyncio.RuntimeError, "Runner is closed")
  })

  it("test_recursive_run: run from inside a running run rejects with RuntimeError", async () => {
    const runner = new asyncio.Runner()
    const g = Effect.void
    const f = Effect.tryPromise({ try: () => runner.run(g), catch: (e) => e }).pipe(Effect.flip)
    const error = await runner.run(f)
    assert.instanceOf(error, asyncio.RuntimeError)
    assert.strictEqual(error.message, "Runner.run() cannot be called from a running event loop")
    await runner.close()
  })

  it("Runner.close cancels what the runs left behind and reports nothing for them", async () => {
    const reports: Array<asyncio.ExceptionContext> = []
    const runner = new asyncio.Runner({ exceptionHandler: (_loop, context) => reports.push(context) })
    const holder: { task?: asyncio.Task<void> } = {}
    await runner.run(
      Effect.gen(function* () {
        holder.task = yield* asyncio.createTask(Effect.never, { name: "left" })
      })
    )
    assert.isFalse(holder.task?.done())
    await runner.close()
    assert.isTrue(holder.task?.cancelled())
    assert.deepStrictEqual(reports, [])
  })
})

describe("SIGINT in-process (test_runners.py RunnerTests)", () => {
  // the Runner installs its handler only when nobody else listens to SIGINT, as asyncio only
  // replaces the default handler; the worker running these tests has none
  const emitSigint = Effect.sync(() => {
    process.emit("SIGINT", "SIGINT")
  })

  it("test_interrupt_call_soon: a task that only yields is cancelled; run rejects with KeyboardInterrupt", async () => {
    assert.strictEqual(process.listenerCount("SIGINT"), 0)
    let cleanedUp = false
    const main = Effect.gen(function* () {
      let turns = 0
      yield* asyncio.createTask(Effect.andThen(asyncio.sleep(0), emitSigint))
      while (true) {
        yield* asyncio.sleep(0)
        turns += 1
        if (turns > 1000) return "not interrupted"
      }
    }).pipe(Effect.ensuring(Effect.sync(() => (cleanedUp = true))))
    const runner = new asyncio.Runner()
    const error = await runner.run(main).then(
      () => undefined,
      (e: unknown) => e
    )
    await runner.close()
    assert.instanceOf(error, asyncio.KeyboardInterrupt)
    assert.isTrue(cleanedUp)
    assert.strictEqual(process.listenerCount("SIGINT"), 0) // the handler is removed after run
  })

  it("test_interrupt_wait: interrupting while waiting cancels both the awaited task and main", async () => {
    const holder: { fut?: asyncio.Task<never> } = {}
    const main = Effect.gen(function* () {
      holder.fut = yield* asyncio.createTask(Effect.never)
      yield* asyncio.createTask(Effect.andThen(asyncio.sleep(0), emitSigint))
      return yield* holder.fut
    })
    const error = await asyncio.run(main).then(
      () => undefined,
      (e: unknown) => e
    )
    assert.instanceOf(error, asyncio.KeyboardInterrupt)
    assert.isTrue(holder.fut?.cancelled())
  })

  it("test_interrupt_cancelled_task: SIGINT on an already cancelled main gives CancelledError", async () => {
    const main = Effect.gen(function* () {
      const me = yield* asyncio.currentTask
      yield* asyncio.createTask(
        Effect.gen(function* () {
          yield* asyncio.sleep(0)
          me?.cancelUnsafe()
          yield* emitSigint
        })
      )
      yield* asyncio.sleep(10)
    })
    const error = await asyncio.run(main).then(
      () => undefined,
      (e: unknown) => e
    )
    assert.instanceOf(error, asyncio.CancelledError)
  })

  it("handleSigint: false leaves SIGINT alone", async () => {
    let listeners = -1
    await asyncio.run(
      Effect.sync(() => {
        listeners = process.listenerCount("SIGINT")
      }),
      { handleSigint: false }
    )
    assert.strictEqual(listeners, 0)
  })
})

describe("property: whatever the tasks do, run ends with every task done and nothing left", () => {
  interface Spec {
    readonly delay: number
    readonly fail: boolean
    readonly eager: boolean
    readonly cancelAt: number | undefined
    readonly awaited: boolean
  }
  const spec: fc.Arbitrary<Spec> = fc.record({
    delay: fc.integer({ min: 0, max: 5 }),
    fail: fc.boolean(),
    eager: fc.boolean(),
    // half seconds, so a cancel never ties with a task's end
    cancelAt: fc.option(
      fc.integer({ min: 0, max: 5 }).map((n) => n + 0.5),
      { nil: undefined }
    ),
    awaited: fc.boolean()
  })

  it.effect("states, reports and leaks match asyncio's rules", () =>
    Effect.gen(function* () {
      const samples = fc.sample(fc.array(spec, { maxLength: 8 }), { numRuns: 60, seed: 20261125 })
      for (const specs of samples) {
        const reports: Array<asyncio.ExceptionContext> = []
        const { record, captureLoop, assertNothingLeft } = recorder()
        const tasks: Array<asyncio.Task<number, asyncio.RuntimeError>> = []
        const main = Effect.gen(function* () {
          yield* captureLoop
          for (const [i, s] of specs.entries()) {
            const body = s.fail
              ? Effect.andThen(
                  asyncio.sleep(s.delay),
                  Effect.fail(new asyncio.RuntimeError({ message: `t${i}` }))
                )
              : asyncio.sleep(s.delay, i)
            const task = record(yield* asyncio.createTask(body, { name: `t${i}`, eagerStart: s.eager }))
            tasks.push(task)
            const cancelAt = s.cancelAt
            if (cancelAt !== undefined)
              yield* asyncio.createTask(Effect.andThen(asyncio.sleep(cancelAt), task.cancel()))
          }
          for (const [i, s] of specs.entries()) {
            const task = tasks[i]
            if (s.awaited && task !== undefined) yield* Effect.exit(task)
          }
          yield* asyncio.sleep(10)
        })
        yield* runOk(main, { exceptionHandler: (_loop, context) => reports.push(context) })
        assertNothingLeft()
        const expectedReports: Array<string> = []
        for (const [i, s] of specs.entries()) {
          const task = tasks[i]
          const cancelled = s.cancelAt !== undefined && s.cancelAt < s.delay
          assert.strictEqual(task?.cancelled(), cancelled, `${task?.toString()} for ${JSON.stringify(s)}`)
          // cancel() of a task that already failed marks its exception as seen, as asyncio's
          if (s.fail && s.cancelAt === undefined && !s.awaited) expectedReports.push(`t${i}`)
        }
        assert.deepStrictEqual(
          reports.map((r) => [
            r.message,
            (r.future as asyncio.Task<unknown, unknown> | undefined)?.getName()
          ]),
          expectedReports.map((name) => ["Task exception was never retrieved", name])
        )
      }
    })
  )
})
