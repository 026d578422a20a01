/**
 * Unix signals with real child processes: `loop.addSignalHandler` / `removeSignalHandler` (asyncio's
 * unix_events.py) and `runMain`'s `gracefulSignals`. The children run test/fixtures/signals.ts
 * under tsx; each scenario is the twin of a Python program in test/fixtures/python, whose CPython
 * 3.13 run (`python3.13 drive_signals.py <program> <line>=<SIGNAL>...`, the signal 0.3 s after the
 * line) is recorded above its test.
 */
import { assert, describe, it } from "@effect/vitest"
import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import { type ChildRun, linesOf, runFixture } from "./utils/child.js"

/** Runs a scenario, sending `signal` 100 ms after each line of `triggers` (a map line → signal). */
const drive = (
  scenario: string,
  triggers: ReadonlyArray<readonly [string, NodeJS.Signals]>
): Promise<ChildRun> =>
  runFixture("signals.ts", {
    args: [scenario],
    // the signal goes to Node itself (tsx's launcher would not pass SIGUSR2 and SIGHUP on)
    direct: true,
    timeoutMs: 30_000,
    onLine: (line, child) => {
      for (const [trigger, signal] of triggers) {
        if (line === trigger) setTimeout(() => child.kill(signal), 100)
      }
    }
  })

describe("loop.addSignalHandler (unix_events.py)", () => {
  // CPython 3.13, signal_handler.py with SIGUSR2 after "ready" and SIGHUP after "ready2" (SIGUSR1 starts Node's debugger):
  //   add ValueError invalid signal number 0 / add ValueError invalid signal number 65
  //   add RuntimeError sig 9 cannot be caught / add RuntimeError sig 19 cannot be caught
  //   add TypeError sig must be an int, not 1.5 / add TypeError sig must be an int, not None
  //   add TypeError coroutines cannot be used with add_signal_handler() (twice: a coroutine function, a coroutine)
  //   ready / handler replaced 2 in a task: False / woken / removed True False / ready2
  //   hup handler / done / handlers removed by close: True ; exit 0
  it("errors as asyncio's, a replaced handler, its arguments, outside any task; close removes them", async () => {
    const run = await drive("handler", [
      ["ready", "SIGUSR2"],
      ["ready2", "SIGHUP"]
    ])
    assert.deepStrictEqual(
      linesOf(run.stdout),
      [
        "add ValueError invalid signal number 0",
        "add ValueError invalid signal number 65",
        "add RuntimeError sig 9 cannot be caught",
        "add RuntimeError sig 19 cannot be caught",
        // a name is accepted too (Node names signals): the message says so
        "add TypeError sig must be an int or a signal name, not 1.5",
        "add TypeError sig must be an int or a signal name, not None",
        "add TypeError coroutines cannot be used with addSignalHandler()",
        "add TypeError coroutines cannot be used with addSignalHandler()",
        "ready",
        "handler replaced 2 in a task: False",
        "woken",
        "removed True False",
        "ready2",
        "hup handler",
        "done",
        "handlers removed by close: True"
      ],
      run.stderr
    )
    assert.strictEqual(run.code, 0, run.stderr)
  }, 40_000)

  // CPython 3.13, wait_signal.py with SIGUSR2 after "ready": ready / signalled ; exit 0
  it("waiting for a signal is not a deadlock: the loop waits for it, as asyncio's select() does", async () => {
    // nothing but the handler could wake main: without the loop's wait, Node would end the
    // process (a signal listener keeps nothing alive) and the deadlock check would report it
    const run = await drive("wait", [["ready", "SIGUSR2"]])
    assert.deepStrictEqual(linesOf(run.stdout), ["ready", "signalled"], run.stderr)
    assert.strictEqual(run.code, 0, run.stderr)
  }, 40_000)

  // CPython 3.13, sigint_override.py with SIGINT after "ready":
  //   ready / loop handler / main returns / exit normally ; exit 0
  it("a SIGINT handler of the loop takes Ctrl-C from run's own handling", async () => {
    const run = await drive("override", [["ready", "SIGINT"]])
    assert.deepStrictEqual(
      linesOf(run.stdout),
      ["ready", "loop handler", "main returns", "exit normally"],
      run.stderr
    )
    assert.strictEqual(run.code, 0, run.stderr)
  }, 40_000)
})

describe('runMain(main, { gracefulSignals: ["SIGTERM"] })', () => {
  // CPython 3.13, graceful_sigterm.py (add_signal_handler(SIGTERM, main.cancel), then
  // sys.exit(143)) with SIGTERM after "ready":
  //   ready / main finalizer ran / background finalizer ran ; stderr empty ; exit 143
  it("the first SIGTERM cancels main as SIGINT does: finalizers run, exit 143, nothing printed", async () => {
    const run = await drive("graceful", [["ready", "SIGTERM"]])
    assert.deepStrictEqual(
      linesOf(run.stdout),
      ["ready", "main finalizer ran", "background finalizer ran"],
      run.stderr
    )
    assert.strictEqual(run.stderr, "")
    assert.strictEqual(run.code, 143)
  }, 40_000)

  // CPython 3.13, graceful_sigterm_twice.py with SIGTERM after "ready" and "cleanup started":
  //   ready / main cancelled / cleanup started / background finalizer ran / main finalizer ran
  //   stderr empty ; exit 143
  it("a second SIGTERM stops at once: SystemExit out of the loop, the shutdown cancels every task", async () => {
    // as for Ctrl-C (sigint.test.ts): main's cleanup is a finalizer, which the shutdown's cancel()
    // cannot cut (the README's differences table); a third SIGTERM ends the shutdown, and the
    // cleanup is closed where it waits
    const run = await drive("graceful-twice", [
      ["ready", "SIGTERM"],
      ["cleanup started", "SIGTERM"],
      ["background finalizer ran", "SIGTERM"]
    ])
    assert.deepStrictEqual(
      linesOf(run.stdout),
      ["ready", "main cancelled", "cleanup started", "background finalizer ran", "main finalizer ran"],
      run.stderr
    )
    assert.notInclude(run.stdout, "cleanup done")
    assert.include(run.stderr, "Task was destroyed but it is pending!")
    assert.notInclude(run.stderr, "Traceback")
    assert.strictEqual(run.code, 143)
  }, 40_000)
})

describe("loop.addSignalHandler in this process (a real signal to the test's own process)", () => {
  /** Runs `body` on a real loop; SIGUSR2 is only ever sent while a handler is installed. */
  const withLoop = <A>(
    body: Effect.Effect<A, unknown, asyncio.EventLoop>,
    options: asyncio.RunOptions = {}
  ) => asyncio.run(body, { handleSigint: false, ...options })

  it("the callback runs at a turn of the loop, with its arguments, outside any task", async () => {
    const seen = await withLoop(
      Effect.gen(function* () {
        const loop = yield* asyncio.getRunningLoop
        const seen: Array<unknown> = []
        const got = new asyncio.Event()
        loop.addSignalHandler(
          "SIGUSR2",
          (a: string, b: number) => {
            seen.push(a, b, asyncio.currentTaskUnsafe())
            got.setUnsafe()
          },
          "x",
          2
        )
        process.kill(process.pid, "SIGUSR2")
        seen.push("sent") // the signal arrives later: never inside kill()
        yield* got.wait()
        seen.push(loop.removeSignalHandler("SIGUSR2"), loop.removeSignalHandler("SIGUSR2"))
        return seen
      })
    )
    assert.deepStrictEqual(seen, ["sent", "x", 2, undefined, true, false])
    assert.strictEqual(process.listenerCount("SIGUSR2"), 0)
  })

  it("a callback that throws is reported, as any callback of the loop", async () => {
    const reports: Array<string> = []
    await withLoop(
      Effect.gen(function* () {
        const loop = yield* asyncio.getRunningLoop
        const got = new asyncio.Event()
        loop.addSignalHandler("SIGUSR2", function onSignal() {
          got.setUnsafe()
          throw new Error("handler failed")
        })
        process.kill(process.pid, "SIGUSR2")
        yield* got.wait()
        yield* asyncio.sleep(0)
      }),
      { exceptionHandler: (_loop, context) => reports.push(context.message) }
    )
    assert.deepStrictEqual(reports, ["Exception in callback onSignal()"])
    assert.strictEqual(process.listenerCount("SIGUSR2"), 0) // the loop's close removed it
  })

  it("bad input raises as asyncio: TypeError, ValueError, RuntimeError", async () => {
    const errors = await withLoop(
      Effect.gen(function* () {
        const loop = yield* asyncio.getRunningLoop
        const attempt = (f: () => unknown) => {
          try {
            f()
            return "no error"
          } catch (error) {
            const { _tag, message } = error as asyncio.ValueError
            return `${_tag}: ${message}`
          }
        }
        return [
          attempt(() => loop.addSignalHandler("SIGNOPE" as NodeJS.Signals, () => {})),
          attempt(() => loop.addSignalHandler(-1, () => {})),
          attempt(() => loop.addSignalHandler({} as never, () => {})),
          attempt(() => loop.addSignalHandler("SIGUSR2", 42 as never)),
          attempt(() => loop.removeSignalHandler(0)),
          attempt(() => loop.removeSignalHandler("SIGHUP"))
        ]
      })
    )
    assert.deepStrictEqual(errors, [
      "ValueError: invalid signal name 'SIGNOPE'",
      "ValueError: invalid signal number -1",
      "TypeError: sig must be an int or a signal name, not {}", // CPython: {sig!r}
      "TypeError: a callable object was expected by addSignalHandler(), got 42",
      "ValueError: invalid signal number 0",
      "no error"
    ])
    const runner = new asyncio.Runner({ handleSigint: false })
    const loop = runner.getLoop()
    await runner.run(Effect.void)
    await runner.close()
    assert.throws(
      () => loop.addSignalHandler("SIGUSR2", () => {}),
      asyncio.RuntimeError,
      "Event loop is closed"
    )
  })

  it("gracefulSignals is checked: an array of catchable signal names", async () => {
    const cases: ReadonlyArray<readonly [unknown, string]> = [
      ["SIGTERM", "TypeError"],
      [[15], "TypeError"],
      [["SIGNOPE"], "ValueError"],
      [["SIGKILL"], "RuntimeError"]
    ]
    for (const [bad, tag] of cases) {
      const rejected = await asyncio
        .run(Effect.void, { gracefulSignals: bad as never })
        .catch((e: unknown) => e)
      assert.strictEqual((rejected as { readonly _tag?: string })._tag, tag)
    }
    assert.throws(
      () => new asyncio.Runner({ gracefulSignals: ["SIGSTOP"] }),
      asyncio.RuntimeError,
      "sig 19 cannot be caught"
    )
  })

  it("a graceful signal cancels main: run rejects with SystemExit(128 + signal number)", async () => {
    const finalized: Array<string> = []
    const rejected = await asyncio
      .run(
        Effect.gen(function* () {
          setTimeout(() => process.kill(process.pid, "SIGUSR2"), 20)
          yield* asyncio.sleep(3600)
        }).pipe(Effect.ensuring(Effect.sync(() => finalized.push("main")))),
        { handleSigint: false, gracefulSignals: ["SIGUSR2"] }
      )
      .catch((e: unknown) => e)
    assert.instanceOf(rejected, asyncio.SystemExit)
    const code = (rejected as asyncio.SystemExit).code
    assert.strictEqual(code, 128 + 12) // SIGUSR2 is 12 on Linux
    assert.deepStrictEqual(finalized, ["main"])
    assert.strictEqual(process.listenerCount("SIGUSR2"), 0)
  })
})
