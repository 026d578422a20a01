/**
 * Executors: `concurrent.futures.ThreadPoolExecutor` on Node's `worker_threads` and
 * `ProcessPoolExecutor` on child processes, for `loop.runInExecutor` (and `toThread`, which
 * uses the loop's default `ThreadPoolExecutor`).
 *
 * Both are pools of at most `maxWorkers` workers, started on demand (an idle worker is reused
 * before a new one starts) and kept until `shutdown()`; each worker runs one call at a time. They
 * are built on Effect's `Pool` and `effect/workers`, with `@effect/platform-node`'s `NodeWorker`
 * (an optional peer dependency: install it to use threads or processes).
 *
 * Unlike CPython's threads, JavaScript workers share no memory with the caller: a call names its
 * function (see `defineWorkerFunctions`) and its arguments and result are copied. And unlike
 * CPython's threads, a worker can be stopped: with `terminateOnCancel`, cancelling a running
 * call kills its worker (the pool starts another for the next call). The default is asyncio's:
 * the awaiting task is cancelled, the call runs to its end, its result is dropped.
 *
 * @since 0.2.0
 */
import { Effect } from "effect"
import { NodeInspectSymbol } from "effect/Inspectable"
import * as errors from "./exceptions.js"
import { cpuCount, defaultThreadWorkers, ExecutorCore, registerExecutor } from "./internal/executor.js"
import * as validate from "./internal/validate.js"
import { describe } from "./internal/validate.js"
import type { WorkerKind } from "./internal/workerPool.js"

/**
 * Options of `new ThreadPoolExecutor(...)` and `new ProcessPoolExecutor(...)`.
 *
 * @example
 * ```ts
 * import * as asyncio from "@effect-asyncio/core"
 *
 * const options: asyncio.ExecutorOptions = { maxWorkers: 2, terminateOnCancel: true }
 * console.log(new asyncio.ThreadPoolExecutor(options).maxWorkers) // 2
 * ```
 * @category Threads
 * @since 0.2.0
 */
export interface ExecutorOptions {
  /**
   * `max_workers`: at most this many workers (a positive integer). Defaults as CPython 3.13:
   * `min(32, cpus + 4)` threads, `cpus` processes.
   */
  readonly maxWorkers?: number | undefined
  /**
   * What cancelling a running call does. `false` (the default, asyncio's): the awaiting task is
   * cancelled, the call runs on to its end in its worker and its result is dropped. `true`: the
   * worker is killed at once (`worker.terminate()`, `SIGKILL` for a process) and replaced.
   * A call still waiting for a worker never runs, either way.
   */
  readonly terminateOnCancel?: boolean | undefined
  /**
   * Node options of each worker (`new Worker(file, { execArgv })`, `fork(file, [], { execArgv })`);
   * by default a worker inherits the process's own (`process.execArgv`: a TypeScript loader such
   * as tsx's, `--conditions`...).
   */
  readonly execArgv?: ReadonlyArray<string> | undefined
}

/**
 * Options of `executor.shutdown(...)`, as `Executor.shutdown(wait=True, *, cancel_futures=False)`.
 *
 * @example
 * ```ts
 * import * as asyncio from "@effect-asyncio/core"
 *
 * const options: asyncio.ShutdownOptions = { wait: false, cancelFutures: true }
 * console.log(Object.keys(options)) // ["wait", "cancelFutures"]
 * ```
 * @category Threads
 * @since 0.2.0
 */
export interface ShutdownOptions {
  /** Wait until every call is done and every worker has exited (default `true`). */
  readonly wait?: boolean | undefined
  /** Cancel the calls still waiting for a worker (default `false`); running ones run on. */
  readonly cancelFutures?: boolean | undefined
}

/** The checked settings of a new executor. */
const settingsOf = (kind: WorkerKind, options: unknown) => {
  const name = kind === "thread" ? "ThreadPoolExecutor" : "ProcessPoolExecutor"
  // an object of these keys only (a misspelt option is a TypeError, as a keyword argument)
  validate.options(options as object, name, ["maxWorkers", "terminateOnCancel", "execArgv"])
  const { maxWorkers, terminateOnCancel, execArgv } = options as ExecutorOptions
  let workers: number
  if (maxWorkers === undefined || maxWorkers === null) {
    workers = kind === "thread" ? defaultThreadWorkers() : cpuCount()
  } else {
    if (typeof maxWorkers !== "number") {
      throw new errors.TypeError({
        message: `${name}() maxWorkers must be a number, got ${describe(maxWorkers)}`
      })
    }
    // CPython's own check and message, before the integer check it does not make
    if (maxWorkers <= 0) throw new errors.ValueError({ message: "max_workers must be greater than 0" })
    if (!Number.isInteger(maxWorkers)) {
      throw new errors.ValueError({ message: `${name}() maxWorkers must be an integer, got ${maxWorkers}` })
    }
    workers = maxWorkers
  }
  if (terminateOnCancel !== undefined && typeof terminateOnCancel !== "boolean") {
    throw new errors.TypeError({
      message: `${name}() terminateOnCancel must be a boolean, got ${describe(terminateOnCancel)}`
    })
  }
  if (
    execArgv !== undefined &&
    (!Array.isArray(execArgv) || !execArgv.every((arg) => typeof arg === "string"))
  ) {
    throw new errors.TypeError({
      message: `${name}() execArgv must be an array of strings, got ${describe(execArgv)}`
    })
  }
  return { kind, maxWorkers: workers, terminateOnCancel: terminateOnCancel ?? false, execArgv }
}

/** `executor.shutdown(...)`, its options checked (a bad one is a bug: the effect dies). */
const shutdownOf = (core: ExecutorCore, name: string, options: unknown): Effect.Effect<void> => {
  try {
    validate.options(options as object, `${name}.shutdown`, ["wait", "cancelFutures"])
  } catch (error) {
    return Effect.die(error)
  }
  const { wait, cancelFutures } = options as ShutdownOptions
  for (const [key, value] of [
    ["wait", wait],
    ["cancelFutures", cancelFutures]
  ] as const) {
    if (value !== undefined && typeof value !== "boolean") {
      return Effect.die(
        new errors.TypeError({
          message: `${name}.shutdown() ${key} must be a boolean, got ${describe(value)}`
        })
      )
    }
  }
  return core.shutdown(wait ?? true, cancelFutures ?? false)
}

/** `with executor:` — `body`, then `shutdown({ wait: true })` however it ends. */
const useOf = <A, E, R>(
  core: ExecutorCore,
  name: string,
  body: Effect.Effect<A, E, R>
): Effect.Effect<A, E, R> => {
  if (!Effect.isEffect(body)) {
    return Effect.die(
      new errors.TypeError({ message: `${name}.use() the body must be an effect, got ${describe(body)}` })
    )
  }
  return Effect.ensuring(body, core.shutdown(true, false))
}

/**
 * `concurrent.futures.ThreadPoolExecutor(max_workers)` on Node's `worker_threads`: the executor
 * of `loop.runInExecutor(executor, fn, ...args)`, and the kind of the loop's default executor
 * (which `toThread` uses). A call that cannot run because its worker thread died fails with
 * `BrokenThreadPool`; a call made after `shutdown()` throws `RuntimeError` ("cannot schedule new
 * futures after shutdown"). Bad options throw `TypeError` / `ValueError` (`maxWorkers: 0`:
 * "max_workers must be greater than 0", as CPython).
 *
 * @example
 * ```ts
 * import { isMainThread } from "node:worker_threads"
 * import { Effect } from "effect"
 * import * as asyncio from "@effect-asyncio/core"
 *
 * export const work = asyncio.defineWorkerFunctions(import.meta.url, { square: (n: number) => n * n })
 *
 * const main = Effect.gen(function* () {
 *   const loop = yield* asyncio.getRunningLoop
 *   const pool = new asyncio.ThreadPoolExecutor({ maxWorkers: 2 })
 *   return yield* pool.use(asyncio.gather(...[1, 2, 3].map((n) => loop.runInExecutor(pool, work.square, n))))
 * })
 * if (isMainThread) asyncio.run(main).then(console.log) // [1, 4, 9]
 * ```
 * @category Threads
 * @since 0.2.0
 */
export class ThreadPoolExecutor {
  /** `_max_workers`: the most threads it runs at once. */
  readonly maxWorkers: number
  /** Whether cancelling a running call terminates its thread. */
  readonly terminateOnCancel: boolean
  private readonly core: ExecutorCore

  constructor(options: ExecutorOptions = {}) {
    const settings = settingsOf("thread", options)
    this.core = new ExecutorCore(settings)
    this.maxWorkers = settings.maxWorkers
    this.terminateOnCancel = settings.terminateOnCancel
    registerExecutor(this, this.core)
  }

  /**
   * `executor.shutdown(wait=True, cancel_futures=False)`: no new call is taken (they throw
   * `RuntimeError`); with `cancelFutures` the calls still waiting for a thread are cancelled;
   * the threads exit once the other calls are done, and with `wait` (the default) the effect
   * ends when they have. Calling it again is harmless.
   */
  shutdown(options: ShutdownOptions = {}): Effect.Effect<void> {
    return shutdownOf(this.core, "ThreadPoolExecutor", options)
  }

  /** `with ThreadPoolExecutor() as executor:` — runs `body`, then `shutdown()` however it ends. */
  use<A, E, R>(body: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> {
    return useOf(this.core, "ThreadPoolExecutor", body)
  }

  /** `<ThreadPoolExecutor max_workers=2>`, with " shutdown" once shut down. */
  toString(): string {
    return `<ThreadPoolExecutor max_workers=${this.maxWorkers}${this.core.isShutdown() ? " shutdown" : ""}>`
  }

  /** Node's `util.inspect` (`console.log(executor)`) shows the repr, as `String(executor)` does. */
  [NodeInspectSymbol](): string {
    return this.toString()
  }
}

/**
 * `concurrent.futures.ProcessPoolExecutor(max_workers)` on child processes (`fork`, with
 * structured-clone serialization), for `loop.runInExecutor(executor, fn, ...args)`. A process
 * that dies under a call (killed, `process.exit()`, out of memory) fails that call with
 * `BrokenProcessPool` and is replaced; after `shutdown()` a call throws `RuntimeError`.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import * as asyncio from "@effect-asyncio/core"
 *
 * export const work = asyncio.defineWorkerFunctions(import.meta.url, { pid: () => process.pid })
 *
 * const main = Effect.gen(function* () {
 *   const loop = yield* asyncio.getRunningLoop
 *   const pool = new asyncio.ProcessPoolExecutor({ maxWorkers: 1 })
 *   const pid = yield* pool.use(loop.runInExecutor(pool, work.pid))
 *   return pid !== process.pid
 * })
 * // a child of a ProcessPoolExecutor has an IPC channel: only the parent runs the program
 * if (process.send === undefined) asyncio.run(main).then(console.log) // true
 * ```
 * @category Threads
 * @since 0.2.0
 */
export class ProcessPoolExecutor {
  /** `_max_workers`: the most processes it runs at once. */
  readonly maxWorkers: number
  /** Whether cancelling a running call kills its process. */
  readonly terminateOnCancel: boolean
  private readonly core: ExecutorCore

  constructor(options: ExecutorOptions = {}) {
    const settings = settingsOf("process", options)
    this.core = new ExecutorCore(settings)
    this.maxWorkers = settings.maxWorkers
    this.terminateOnCancel = settings.terminateOnCancel
    registerExecutor(this, this.core)
  }

  /** `executor.shutdown(wait=True, cancel_futures=False)`, as `ThreadPoolExecutor.shutdown`. */
  shutdown(options: ShutdownOptions = {}): Effect.Effect<void> {
    return shutdownOf(this.core, "ProcessPoolExecutor", options)
  }

  /** `with ProcessPoolExecutor() as executor:` — runs `body`, then `shutdown()` however it ends. */
  use<A, E, R>(body: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> {
    return useOf(this.core, "ProcessPoolExecutor", body)
  }

  /** `<ProcessPoolExecutor max_workers=2>`, with " shutdown" once shut down. */
  toString(): string {
    return `<ProcessPoolExecutor max_workers=${this.maxWorkers}${this.core.isShutdown() ? " shutdown" : ""}>`
  }

  /** Node's `util.inspect` (`console.log(executor)`) shows the repr, as `String(executor)` does. */
  [NodeInspectSymbol](): string {
    return this.toString()
  }
}

/**
 * Either executor: what `loop.runInExecutor` takes.
 *
 * @example
 * ```ts
 * import * as asyncio from "@effect-asyncio/core"
 *
 * const executors: ReadonlyArray<asyncio.Executor> = [new asyncio.ThreadPoolExecutor({ maxWorkers: 1 })]
 * console.log(String(executors[0])) // <ThreadPoolExecutor max_workers=1>
 * ```
 * @category Threads
 * @since 0.2.0
 */
export type Executor = ThreadPoolExecutor | ProcessPoolExecutor
