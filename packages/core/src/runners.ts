/**
 * Running a program: asyncio's `runners.py` (`asyncio.run`, `asyncio.Runner`).
 *
 * `run(main)` creates a loop, runs `main` as its first task (`Task-1`), and shuts the loop down
 * as asyncio does: the tasks still pending are cancelled and awaited, the exceptions nobody
 * retrieved are reported, the loop is closed. It answers with a `Promise` of main's result.
 * `runEffect` is the same lifecycle as an `Effect`, for code (and tests under `TestClock`) that
 * is already inside Effect.
 *
 * @since 0.1.0
 */
import { Cause, Clock, Context, Effect, Exit, Layer, Scheduler, Scope } from "effect"
import {
  EventLoop,
  type EventLoopOptions,
  type EventLoopService,
  loopOptions,
  makeLoop,
  publicLoop
} from "./events.js"
import { ExceptionGroup } from "./exceptionGroup.js"
import {
  type CancelledError,
  KeyboardInterrupt,
  RuntimeError,
  SystemExit,
  TypeError,
  ValueError
} from "./exceptions.js"
import { EventLoopImpl } from "./internal/eventLoop.js"
import { checkSignal, signalNumber } from "./internal/signals.js"
import type { TaskImpl } from "./internal/task.js"
import { formatTraceback } from "./internal/traceback.js"
import { describe } from "./internal/validate.js"
import { deadlockReport } from "./internal/waitsOn.js"
import type { MonitorOptions } from "./monitor.js"
import { spawnTask, type Task } from "./tasks.js"

/**
 * Options of `run` and `Runner` (asyncio's `debug=` and `loop_factory=` as loop options).
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import * as asyncio from "@effect-asyncio/core"
 *
 * const options: asyncio.RunOptions = { handleSigint: false, debug: true }
 * asyncio.run(Effect.map(asyncio.getRunningLoop, (loop) => loop.getDebug()), options).then(console.log) // true
 * ```
 * @category Runners
 * @since 0.1.0
 */
export interface RunOptions extends Omit<EventLoopOptions, "tracing"> {
  /**
   * Cancel the main task on SIGINT (Ctrl-C) and reject with `KeyboardInterrupt`, as asyncio.run.
   * Like asyncio, the handler is only installed when nobody else listens to SIGINT. Default true.
   */
  readonly handleSigint?: boolean | undefined
  /**
   * Watch the loop's tasks from outside the process: `true` listens on the Unix domain socket
   * that the `effect-asyncio` CLI reads (`ps PID`, `pstree PID`, `monitor PID`); `{ http: 0 }`
   * also serves the live page on 127.0.0.1 (its address, with its token, is printed once on
   * stderr). Needs `@effect/platform-node`. Without this option, `EFFECT_ASYNCIO_MONITOR=1` (or
   * `=http`, `=http:PORT`) in the environment turns it on (then a monitor that cannot start is
   * reported on stderr, and the program runs unmonitored). Default: off, and nothing of it loaded.
   */
  readonly monitor?: boolean | MonitorOptions | undefined
  /**
   * Every task is an Effect span (see `EventLoopOptions.tracing`). A `Layer` is built once, when
   * the runner first runs, and its services are those every task starts with: give it the
   * tracer to export to (effect's `OtlpTracer.layer`...). It is released after the loop closed,
   * so the exporter flushes the spans of the whole run before `run` resolves.
   */
  readonly tracing?: boolean | Layer.Layer<never> | undefined
  /**
   * Signals that end the program as SIGINT does (what a container orchestrator sends: `["SIGTERM"]`):
   * the first cancels the main task, whose cleanup runs, and `run` rejects with `SystemExit`
   * (code 128 + the signal's number: 143 for SIGTERM; `runMain` exits with it, printing nothing);
   * a second one stops at once (the `SystemExit` leaves the loop; the shutdown still cancels every
   * task, and one more during the shutdown ends it). As for SIGINT, a signal is only handled when
   * nobody else listens to it, and a handler of the loop (`loop.addSignalHandler`) takes it over.
   * Default `[]`.
   */
  readonly gracefulSignals?: ReadonlyArray<NodeJS.Signals> | undefined
}

/**
 * `asyncio.run(main)` as an Effect: runs `main` as the first task of a fresh loop and shuts the
 * loop down afterwards (cancel and await the leftovers, report unretrieved exceptions, close).
 * Time is the caller's `Clock`, so this is what tests run under `TestClock`.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import * as asyncio from "@effect-asyncio/core"
 *
 * const main = Effect.gen(function* () {
 *   yield* asyncio.createTask(asyncio.sleep(60), { name: "forgotten" })
 *   return "done" // "forgotten" is cancelled by the shutdown
 * })
 * Effect.runPromise(asyncio.runEffect(main)).then(console.log) // done
 * ```
 * @category Runners
 * @since 0.1.0
 */
export const runEffect = <A, E, R>(
  main: Effect.Effect<A, E, R>,
  options: EventLoopOptions = {}
): Effect.Effect<A, E | CancelledError, Exclude<R, EventLoop>> => {
  try {
    loopOptions(options, "runEffect")
  } catch (error) {
    return Effect.die(error)
  }
  return runMainTask(main, options, () => {})
}

/**
 * @internal `runEffect`, with a hook that sees the main task before it starts (for `runVirtual`).
 */
export const runMainTask = <A, E, R>(
  main: Effect.Effect<A, E, R>,
  options: EventLoopOptions,
  onMainTask: (task: Task<A, E>, loop: EventLoopService) => void
): Effect.Effect<A, E | CancelledError, Exclude<R, EventLoop>> =>
  // as asyncio.run: "a coroutine was expected" (a bug in untyped code, so a defect)
  !Effect.isEffect(main)
    ? Effect.die(new ValueError({ message: `a coroutine was expected, got ${describe(main)}` }))
    : Effect.acquireUseRelease(
        makeLoop(options),
        (loop) =>
          Effect.withFiber((fiber) => {
            // the loop is not running yet: the main task's first step is queued, as in asyncio
            const task = spawnTask(fiber.context, loop, main as Effect.Effect<A, E>, undefined)
            onMainTask(task, publicLoop(loop))
            return loop.runUntilComplete(task)
          }),
        (loop) => loop.shutdown()
      )

type RunnerState = "created" | "initialized" | "closed"

/** The keys `RunOptions` adds to `EventLoopOptions`. */
const RUN_OPTIONS: ReadonlyArray<string> = ["handleSigint", "gracefulSignals", "monitor", "tracing"]

/**
 * `asyncio.Runner`: one loop for several `run` calls, closed by `close()`.
 *
 * Between two `run` calls the loop is not running: tasks left over wait, as in asyncio, and go on
 * at the next `run`. `close()` cancels them.
 *
 * @example
 * ```ts
 * import * as asyncio from "@effect-asyncio/core"
 *
 * const runner = new asyncio.Runner()
 * const a = await runner.run(asyncio.sleep(0.1, "first"))
 * const b = await runner.run(asyncio.sleep(0.1, "second"))
 * await runner.close()
 * console.log(a, b) // first second
 * ```
 * @category Runners
 * @since 0.1.0
 */
export class Runner {
  private state: RunnerState = "created"
  private loop: EventLoopImpl | undefined = undefined
  private running = false
  private interruptCount = 0
  /** what the runner holds beside its loop: the tracing layer's services, the monitor */
  private toolsScope: Scope.Closeable | undefined = undefined
  private services: Context.Context<never> = Context.empty()
  /** what `run` raises once main ended cancelled by the first interrupting signal */
  private interruptError: unknown = undefined
  /** SIGINT (unless `handleSigint: false`) and the `gracefulSignals`, checked once */
  private readonly interruptSignals: ReadonlyArray<string>

  constructor(private readonly options: RunOptions = {}) {
    loopOptions(options, "Runner", RUN_OPTIONS)
    this.interruptSignals = interruptSignalsOf(options)
  }

  /**
   * `runner.run(main)`: runs `main` as a task of the runner's loop and resolves with its result,
   * or rejects with its error (`CancelledError` if it was cancelled, `KeyboardInterrupt` after
   * SIGINT, `SystemExit` after a graceful signal). Rejects with `ValueError` for a non-effect and
   * `RuntimeError` when the runner is closed or already running.
   */
  async run<A, E>(main: Effect.Effect<A, E, EventLoop>): Promise<A> {
    if (!Effect.isEffect(main)) {
      throw new ValueError({ message: `a coroutine was expected, got ${describe(main)}` })
    }
    if (this.running) {
      throw new RuntimeError({ message: "Runner.run() cannot be called from a running event loop" })
    }
    const loop = this.lazyInit()
    this.running = true
    this.interruptCount = 0
    if (this.toolsScope === undefined && needsTools(this.options)) {
      try {
        await this.startTools(loop)
      } catch (error) {
        this.running = false
        throw error
      }
    }
    this.interruptError = undefined
    const task = spawnTask(this.services, loop, main as Effect.Effect<A, E>, undefined)
    const uninstallSigint = this.installSigint(loop, task as TaskImpl<unknown, unknown>)
    const uninstallDeadlock = installDeadlockCheck(loop, task as TaskImpl<unknown, unknown>)
    try {
      const exit = await Effect.runPromiseExit(loop.runUntilComplete(task))
      if (Exit.isSuccess(exit)) return exit.value
      // asyncio: `except CancelledError: if self._interrupt_count > 0 and task.uncancel() == 0`
      if (this.interruptCount > 0 && task.cancelled() && task.uncancel() === 0) {
        throw this.interruptError
      }
      throw rejectionOf(exit.cause)
    } finally {
      uninstallDeadlock()
      uninstallSigint()
      this.running = false
    }
  }

  /**
   * `runner.close()`: cancels the tasks still pending, waits for them, reports unretrieved
   * exceptions and closes the loop. Closing twice is harmless; as in asyncio, closing a runner
   * that never created its loop does nothing (it can still run).
   */
  async close(): Promise<void> {
    if (this.state !== "initialized") return
    this.state = "closed"
    const loop = this.loop
    if (loop === undefined) return
    const uninstall = this.installShutdownSigint(loop)
    try {
      const exit = await Effect.runPromiseExit(loop.shutdown())
      if (Exit.isFailure(exit)) throw Cause.squash(exit.cause)
    } finally {
      uninstall()
      const tools = this.toolsScope
      this.toolsScope = undefined
      this.services = Context.empty()
      if (tools !== undefined) await Effect.runPromise(Scope.close(tools, Exit.void))
    }
  }

  /**
   * The tracing layer and the monitor, started with the first run and held until `close()`.
   * The monitor's module is loaded only now (see `loadMonitor`).
   */
  private async startTools(loop: EventLoopImpl): Promise<void> {
    const scope = Effect.runSync(Scope.make())
    this.toolsScope = scope
    const tracing = this.options.tracing
    if (tracing !== undefined && typeof tracing !== "boolean") {
      this.services = await Effect.runPromise(Layer.buildWithScope(tracing, scope))
    }
    const fromEnv = this.options.monitor === undefined
    const options = fromEnv ? monitorFromEnvironment() : monitorOptions(this.options.monitor)
    if (options === undefined) return
    try {
      const { monitor } = await loadMonitor().catch((error: unknown) => {
        throw String(error).includes("@effect/platform-node")
          ? new RuntimeError({
              message: "the monitor needs @effect/platform-node: npm install @effect/platform-node"
            })
          : error
      })
      const info = await Effect.runPromise(
        monitor(options).pipe(Scope.provide(scope), Effect.provideService(EventLoop, publicLoop(loop)))
      )
      if (info.url !== undefined) globalThis.console.error(`effect-asyncio monitor: ${info.url}`)
    } catch (error) {
      if (!fromEnv) throw error
      globalThis.console.error(
        `effect-asyncio: EFFECT_ASYNCIO_MONITOR is set but the monitor did not start: ${String(error)}`
      )
    }
  }

  /**
   * `with asyncio.Runner() as runner:` is `await using runner = new asyncio.Runner()`: the
   * runner is closed (`close()`) when the scope ends.
   */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close()
  }

  /** `runner.get_loop()`; rejects use after `close()` with `RuntimeError`. */
  getLoop(): EventLoopService {
    return publicLoop(this.lazyInit())
  }

  private lazyInit(): EventLoopImpl {
    if (this.state === "closed") throw new RuntimeError({ message: "Runner is closed" })
    if (this.loop === undefined) {
      // the default clock and scheduler (iterations between the host's macrotasks)
      const clock = Effect.runSync(Clock.Clock)
      const tracing = this.options.tracing !== undefined && this.options.tracing !== false
      this.loop = new EventLoopImpl(clock, new Scheduler.MixedScheduler().makeDispatcher(), {
        ...this.options,
        tracing
      })
      this.state = "initialized"
    }
    return this.loop
  }

  /**
   * The signals that are ours to handle now: asyncio installs its SIGINT handler only over the
   * default one (here: when nobody listens to the signal), and so for the graceful signals.
   */
  private handledSignals(): ReadonlyArray<string> {
    return this.interruptSignals.filter((name) => process.listenerCount(name) === 0)
  }

  /**
   * asyncio's `Runner._on_sigint`, for SIGINT and the graceful signals, installed while `run`
   * runs: the first signal cancels the main task; a second one (or one after main is done) raises
   * its exception (`KeyboardInterrupt`, or `SystemExit`) out of the loop, so `run` rejects with it
   * and the shutdown still cancels and awaits every task. A signal the loop has a handler for
   * (`loop.addSignalHandler`) is the loop's: that handler replaced this one, as `signal.signal`
   * replaces asyncio.run's.
   */
  private installSigint(loop: EventLoopImpl, task: TaskImpl<unknown, unknown>): () => void {
    const installed: Array<readonly [string, () => void]> = []
    for (const name of this.handledSignals()) {
      const onSignal = () => {
        if (loop.signals.has(name)) return
        this.interruptCount += 1
        if (this.interruptCount === 1 && !task.done()) {
          this.interruptError = interruptErrorOf(name)
          task.cancelNow()
          return
        }
        loop.throwIn(interruptErrorOf(name))
      }
      process.on(name, onSignal)
      installed.push([name, onSignal])
    }
    return () => {
      for (const [name, onSignal] of installed) process.removeListener(name, onSignal)
    }
  }

  /**
   * Ctrl-C (or a graceful signal) during `close()`: in asyncio the default handler raises
   * `KeyboardInterrupt` out of `_cancel_all_tasks` and `close()`'s `finally` closes the loop. Here
   * too: the shutdown stops waiting, the tasks still pending are reported and interrupted (their
   * finalizers run), and `close()` rejects with that exception. Once it is raised, Node's default
   * applies again: one more signal ends the process at once.
   */
  private installShutdownSigint(loop: EventLoopImpl): () => void {
    const installed: Array<readonly [string, () => void]> = []
    const uninstall = () => {
      for (const [name, onSignal] of installed) process.removeListener(name, onSignal)
    }
    for (const name of this.handledSignals()) {
      const onSignal = () => {
        if (loop.signals.has(name)) return
        uninstall()
        loop.throwIn(interruptErrorOf(name))
      }
      process.on(name, onSignal)
      installed.push([name, onSignal])
    }
    return uninstall
  }
}

/** Whether a run needs more than its loop: a tracing layer, or the monitor (asked, or from the environment). */
const needsTools = (options: RunOptions): boolean =>
  (options.tracing !== undefined && typeof options.tracing !== "boolean") ||
  (options.monitor === undefined
    ? process.env.EFFECT_ASYNCIO_MONITOR !== undefined
    : options.monitor !== false)

const monitorOptions = (option: boolean | MonitorOptions | undefined): MonitorOptions | undefined =>
  option === undefined || option === false ? undefined : option === true ? {} : option

/**
 * `EFFECT_ASYNCIO_MONITOR`: unset, empty, `0` or `false`: off; `http`: the socket and the page
 * on a free port; `http:PORT`: on that port; anything else (`1`): the socket.
 */
export const monitorFromEnvironment = (
  value: string | undefined = process.env.EFFECT_ASYNCIO_MONITOR
): MonitorOptions | undefined => {
  const text = (value ?? "").trim().toLowerCase()
  if (text === "" || text === "0" || text === "false" || text === "off") return undefined
  const http = /^http(?::(\d+))?$/.exec(text)
  if (http !== null) return { http: http[1] === undefined ? 0 : Number(http[1]) }
  return {}
}

/**
 * The monitor's module, loaded when a program asks for it. Its specifier is held in a variable
 * so that bundlers leave it out of an app's bundle: a program that never monitors carries none
 * of it (nor `@effect/platform-node`); one that does finds it in its node_modules at run time.
 */
const MONITOR_MODULE = "@effect-asyncio/core/monitor"
const loadMonitor = (): Promise<typeof import("./monitor.js")> =>
  import(/* @vite-ignore */ MONITOR_MODULE) as Promise<typeof import("./monitor.js")>
/**
 * What `run` rejects with for main's failure: its error, or, when the cause holds several (an
 * `exceptStar` handler that raised beside the errors it left, a finalizer that died after the
 * body failed), their `ExceptionGroup` (CPython's `ExceptionGroup('', [raised, rest])`), so that
 * none is lost.
 */
const rejectionOf = (cause: Cause.Cause<unknown>): unknown => {
  const errors = cause.reasons.filter((reason) => Cause.isFailReason(reason) || Cause.isDieReason(reason))
  if (errors.length < 2) return Cause.squash(cause)
  // the newest first: CPython's group holds the raised error, then the rest
  return ExceptionGroup.fromCause(Cause.fromReasons([...errors].reverse())) ?? Cause.squash(cause)
}

/** The signals a runner interrupts main on: SIGINT unless told not to, then the graceful ones. */
const interruptSignalsOf = (options: RunOptions): ReadonlyArray<string> => {
  const names: Array<string> = (options.handleSigint ?? true) !== false ? ["SIGINT"] : []
  const graceful: unknown = options.gracefulSignals
  if (graceful === undefined) return names
  if (!Array.isArray(graceful)) {
    throw new TypeError({
      message: `gracefulSignals must be an array of signal names, got ${describe(graceful)}`
    })
  }
  for (const sig of graceful) {
    if (typeof sig !== "string") {
      throw new TypeError({ message: `gracefulSignals must hold signal names, got ${describe(sig)}` })
    }
    const { name, number } = checkSignal(sig)
    // as `signal.signal` refuses them (asyncio: RuntimeError 'sig 9 cannot be caught')
    if (name === "SIGKILL" || name === "SIGSTOP") {
      throw new RuntimeError({ message: `sig ${number ?? name} cannot be caught` })
    }
    if (!names.includes(name)) names.push(name)
  }
  return names
}

/**
 * What an interrupting signal raises: SIGINT, `KeyboardInterrupt` (asyncio.run's); another,
 * `SystemExit` with the code of a process killed by it (128 + its number), as a Python program
 * that handles SIGTERM with `sys.exit(128 + signum)`.
 */
const interruptErrorOf = (name: string): KeyboardInterrupt | SystemExit => {
  if (name === "SIGINT") return new KeyboardInterrupt({ message: "" })
  const code = 128 + (signalNumber(name) ?? 0)
  return new SystemExit({ code, message: String(code) })
}

/**
 * Deadlocks, better than asyncio (which hangs): Node's `beforeExit` comes when nothing is left
 * that could ever run (no ready callbacks, no timers, no I/O, no pending Promise work). If the
 * main task is still pending then, it never finishes: a `RuntimeError` listing every pending task
 * and what it waits on is raised out of the loop, so `run` rejects with it (and the shutdown
 * cancels the tasks, running their finalizers).
 */
const installDeadlockCheck = (loop: EventLoopImpl, main: TaskImpl<unknown, unknown>): (() => void) => {
  // a loop with signal handlers waits for a signal, as asyncio's select() does (Node would end
  // the process: a signal listener keeps nothing alive)
  let keepAlive: ReturnType<typeof setInterval> | undefined
  const onBeforeExit = () => {
    if (main.done() || !loop.isRunning()) return
    if (loop.signals.size > 0) {
      keepAlive ??= setInterval(() => {}, 2 ** 30)
      return
    }
    loop.throwIn(new RuntimeError({ message: deadlockReport(loop, main) }))
  }
  process.on("beforeExit", onBeforeExit)
  return () => {
    if (keepAlive !== undefined) clearInterval(keepAlive)
    process.removeListener("beforeExit", onBeforeExit)
  }
}

/**
 * `asyncio.run(main, debug=...)`: runs `main` on a new loop, then shuts the loop down (pending
 * tasks cancelled and awaited, unretrieved exceptions reported) and resolves with main's result.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import * as asyncio from "@effect-asyncio/core"
 *
 * const main = Effect.gen(function* () {
 *   yield* asyncio.sleep(0.1)
 *   return "hello"
 * })
 * asyncio.run(main).then(console.log) // hello
 * ```
 * @category Runners
 * @since 0.1.0
 */
export const run = async <A, E>(
  main: Effect.Effect<A, E, EventLoop>,
  options: RunOptions = {}
): Promise<A> => {
  loopOptions(options, "run", RUN_OPTIONS)
  const runner = new Runner(options)
  try {
    return await runner.run(main)
  } finally {
    await runner.close()
  }
}

/**
 * The entry point of a command-line program: `run(main)`, then the process exit code Python
 * would give: 0, 130 after Ctrl-C (`KeyboardInterrupt`), 1 after an uncaught error (printed), the
 * code of a `SystemExit` (143 after a SIGTERM of `gracefulSignals: ["SIGTERM"]`, printing nothing).
 *
 * @example
 * ```ts
 * import * as asyncio from "@effect-asyncio/core"
 *
 * asyncio.runMain(asyncio.sleep(0.1))
 * ```
 * @category Runners
 * @since 0.1.0
 */
export const runMain = <A, E>(
  main: Effect.Effect<A, E, EventLoop>,
  options: RunOptions = {}
): Promise<void> =>
  run(main, options).then(
    () => undefined,
    (error: unknown) => {
      // as Python's `sys.exit(code)`: that exit code, nothing printed
      if (error instanceof SystemExit) {
        process.exitCode = error.code
        return
      }
      // what Python prints for an uncaught exception, on stderr
      globalThis.console.error(formatTraceback(error))
      process.exitCode = error instanceof KeyboardInterrupt ? 130 : 1
    }
  )
