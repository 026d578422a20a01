/**
 * The executors behind `ThreadPoolExecutor` and `ProcessPoolExecutor` (concurrent.futures'
 * `thread.py` and `process.py`), `loop.run_in_executor`'s bridge between an executor and a loop
 * (`futures.wrap_future` / `_chain_future`), and a loop's default executor (`base_events.py`'s
 * `_default_executor`, `shutdown_default_executor`).
 *
 * Each call is a job: a fiber outside the loop that puts the call through the executor's
 * WorkerPool (internal/workerPool.ts) and hands the outcome to a future of the loop through the
 * loop's ready queue (CPython's `call_soon_threadsafe(_set_state)`). Cancelling that future (the
 * awaiting task was cancelled) cancels the job as `concurrent.futures.Future.cancel()` does: a
 * pending job leaves the queue and never runs; a running one runs to its end and its outcome is
 * dropped, unless the executor terminates on cancel: then its worker is killed and replaced.
 */
import { type Cause, Deferred, Effect, Exit, type Fiber, Schema } from "effect"
import { WorkerError, WorkerSendError } from "effect/workers/WorkerError"
import * as errors from "../exceptions.js"
import {
  type DefaultExecutorLoop,
  type ExecutorLoop,
  executorHook,
  type LoopExecutorsLike,
  notAWorkerFunction
} from "./executorHook.js"
import { type FutureImpl, LabelledFuture, setResultUnlessCancelled } from "./future.js"
import { describe } from "./validate.js"
import {
  type CallOutcome,
  endReason,
  keepNodeAlive,
  type PoolWorker,
  type WorkerKind,
  WorkerPool
} from "./workerPool.js"
import { type CallRequest, messageOf, specOf, uncarry, type WorkerFunctionSpec } from "./workerProtocol.js"

/** A work item: concurrent.futures' PENDING (queued), RUNNING and FINISHED. */
interface Job {
  readonly spec: WorkerFunctionSpec
  readonly request: CallRequest
  readonly future: FutureImpl<unknown, unknown>
  readonly loop: ExecutorLoop
  state: "pending" | "running" | "finished"
  fiber: Fiber.Fiber<CallOutcome> | undefined
  worker: PoolWorker | undefined
  /** the outcome of a pending call the executor gave up on (it broke): its fiber was interrupted */
  outcome: Exit.Exit<unknown, unknown> | undefined
}

/** `os.process_cpu_count()`, as far as a JavaScript runtime tells (Node: `availableParallelism`). */
export const cpuCount = (): number => {
  const count = (globalThis as { navigator?: { hardwareConcurrency?: unknown } }).navigator
    ?.hardwareConcurrency
  if (typeof count === "number" && count > 0) return count
  // Node 20 has no `navigator`: its os module (loaded without an import, for bundlers' sake)
  const os = (
    globalThis as {
      process?: { getBuiltinModule?: (id: string) => { availableParallelism?: () => number } | undefined }
    }
  ).process?.getBuiltinModule?.("node:os")
  const parallelism = os?.availableParallelism?.()
  return typeof parallelism === "number" && parallelism > 0 ? parallelism : 1
}

/** ThreadPoolExecutor's default, as CPython 3.13: `min(32, (os.process_cpu_count() or 1) + 4)`. */
export const defaultThreadWorkers = (): number => Math.min(32, cpuCount() + 4)

export interface ExecutorSettings {
  readonly kind: WorkerKind
  readonly maxWorkers: number
  readonly terminateOnCancel: boolean
  readonly execArgv: ReadonlyArray<string> | undefined
}

export class ExecutorCore {
  /** concurrent.futures' `_shutdown`: no new call is taken */
  private shutdownRequested = false
  /**
   * Why the executor is not usable anymore: a worker could not start (its program failed to
   * load: no TypeScript loader, a bad `execArgv`...), as CPython's pool is broken by a failing
   * initializer. Every call fails with it from then on; no worker is started again.
   */
  private broken: Exit.Exit<never, unknown> | undefined = undefined
  /** the calls pending or running */
  private readonly jobs = new Set<Job>()
  private nextJobId = 0
  private readonly pool: WorkerPool
  /** keeps Node running while there are calls (idle workers do not) */
  private releaseAlive: (() => void) | undefined = undefined

  constructor(readonly settings: ExecutorSettings) {
    this.pool = new WorkerPool(settings, (cause) => this.breakPool(cause))
  }

  get kind(): WorkerKind {
    return this.settings.kind
  }

  isShutdown(): boolean {
    return this.shutdownRequested
  }

  /**
   * `executor.submit(fn, *args)` wrapped in a future of `loop` (`loop.run_in_executor`). Throws
   * `TypeError` for a function that cannot be sent, `RuntimeError` after shutdown.
   */
  submit(
    loop: ExecutorLoop,
    fn: unknown,
    args: ReadonlyArray<unknown>,
    caller: string
  ): FutureImpl<unknown, unknown> {
    const spec = specOf(fn)
    if (spec === undefined) {
      throw new errors.TypeError({ message: notAWorkerFunction(caller, describe(fn)) })
    }
    if (this.shutdownRequested) {
      throw new errors.RuntimeError({ message: "cannot schedule new futures after shutdown" })
    }
    const request: CallRequest = {
      id: this.nextJobId++,
      module: spec.module,
      name: spec.name,
      args: encodeArguments(spec, args)
    }
    const future = new LabelledFuture<unknown, unknown>(
      loop,
      () => `${caller}(${spec.name}) in a worker ${this.kind}`
    )
    if (this.broken !== undefined) {
      loop.callSoonFn(setState, { future, exit: this.broken })
      return future
    }
    const job: Job = {
      spec,
      request,
      future,
      loop,
      state: "pending",
      fiber: undefined,
      worker: undefined,
      outcome: undefined
    }
    this.jobs.add(job)
    // until the call is done, the loop lets the host run after each iteration (the answer comes
    // from a worker, as a message)
    loop.externalWaits += 1
    this.releaseAlive ??= keepNodeAlive()
    // as asyncio's `_chain_future`: cancelling the loop's future cancels the call
    const _call_check_cancel = (done: FutureImpl<unknown, unknown>) => {
      if (done.cancelled()) this.cancel(job)
    }
    future.addDoneCallback(_call_check_cancel)
    const sent = (worker: PoolWorker) => {
      job.state = "running"
      job.worker = worker
    }
    const fiber = Effect.runFork(this.pool.run(request, sent))
    job.fiber = fiber
    fiber.addObserver((exit) => this.finishJob(job, exit))
    return future
  }

  /**
   * `executor.shutdown(wait, cancel_futures=...)`: takes no new call; with `cancelFutures`, the
   * pending calls are cancelled; the workers close once every other call is done, and with
   * `wait` the effect ends when they are gone.
   */
  shutdown(wait: boolean, cancelFutures: boolean): Effect.Effect<void> {
    return Effect.suspend(() => {
      this.shutdownRequested = true
      if (cancelFutures) {
        for (const job of this.jobs) if (job.state === "pending") job.fiber?.interruptUnsafe()
      }
      this.closeWhenIdle()
      return wait ? Deferred.await(this.pool.closed) : Effect.void
    })
  }

  /** `Future.cancel()` of concurrent.futures, and the executor's choice for a running call. */
  private cancel(job: Job): void {
    if (job.state === "pending") job.fiber?.interruptUnsafe()
    else if (job.state === "running" && this.settings.terminateOnCancel) job.worker?.node?.kill()
  }

  /** FINISHED: the outcome goes to the loop's future, at a turn of its ready queue. */
  private finishJob(job: Job, exit: Exit.Exit<CallOutcome>): void {
    job.state = "finished"
    this.jobs.delete(job)
    const { future, loop } = job
    loop.externalWaits -= 1
    // asyncio's `_call_set_state`: nothing is delivered to a closed loop
    if (!loop.isClosed()) {
      if (Exit.isSuccess(exit)) loop.callSoonFn(setState, { future, exit: this.exitOf(job, exit.value) })
      else if (job.outcome !== undefined) loop.callSoonFn(setState, { future, exit: job.outcome })
      // interrupted while pending: cancelled by its future, or by shutdown(cancelFutures)
      else loop.callSoonFn(cancelFuture, future)
    }
    if (this.jobs.size === 0) {
      this.releaseAlive?.()
      this.releaseAlive = undefined
    }
    this.closeWhenIdle()
  }

  /** The outcome of a call, as the future takes it: the function's own, or a broken pool's. */
  private exitOf(job: Job, outcome: CallOutcome): Exit.Exit<unknown, unknown> {
    const { spec } = job
    switch (outcome._tag) {
      case "Unavailable":
        return Exit.failCause(outcome.cause)
      case "Ended":
        return this.endedExit(job, outcome.cause)
    }
    const { response } = outcome
    try {
      switch (response._tag) {
        case "Success":
          return Exit.succeed(uncarry(response.value, spec.success, `the result of ${spec.name}()`))
        case "Failure":
          return Exit.fail(uncarry(response.error, spec.error, `the error of ${spec.name}()`))
        case "Die":
          return Exit.die(uncarry(response.defect, undefined, `the defect of ${spec.name}()`))
      }
    } catch (error) {
      return Exit.die(error)
    }
  }

  /** The worker ended under the call: a broken pool, or arguments that could not be sent. */
  private endedExit(job: Job, cause: Cause.Cause<unknown>): Exit.Exit<unknown, unknown> {
    for (const reason of cause.reasons) {
      if (reason._tag !== "Fail" || !(reason.error instanceof WorkerError)) continue
      if (!(reason.error.reason instanceof WorkerSendError)) continue
      // structured clone cannot copy them (a function, a Promise...): a bug of the caller
      return Exit.die(
        new errors.TypeError({
          message: `the arguments of ${job.spec.name}() cannot be sent to a worker: ${messageOf(reason.error.reason.cause)}`
        })
      )
    }
    // CPython's message, then what Node said of the worker's end
    const detail = endReason(cause)
    return Exit.fail(
      this.brokenError(
        `${
          this.kind === "thread"
            ? "A thread in the thread pool was terminated abruptly while the future was running or pending."
            : "A process in the process pool was terminated abruptly while the future was running or pending."
        }${detail === undefined ? "" : ` (${detail})`}`
      )
    )
  }

  private brokenError(message: string): errors.BrokenThreadPool | errors.BrokenProcessPool {
    return this.kind === "thread"
      ? new errors.BrokenThreadPool({ message })
      : new errors.BrokenProcessPool({ message })
  }

  /** A worker could not start: the pending calls fail, the pool closes once the others are done. */
  private breakPool(cause: Cause.Cause<unknown>): void {
    if (this.broken !== undefined) return
    const detail = endReason(cause)
    this.broken = Exit.fail(
      this.brokenError(
        `A worker ${this.kind} could not start, the ${this.kind} pool is not usable anymore${detail === undefined ? "" : ` (${detail})`}`
      )
    )
    for (const job of this.jobs) {
      if (job.state !== "pending") continue
      job.outcome = this.broken
      job.fiber?.interruptUnsafe()
    }
    this.closeWhenIdle()
  }

  private closeWhenIdle(): void {
    if ((this.shutdownRequested || this.broken !== undefined) && this.jobs.size === 0) this.pool.close()
  }
}

/** The arguments as they travel: encoded by the function's `args` Schemas, if it has them. */
const encodeArguments = (spec: WorkerFunctionSpec, args: ReadonlyArray<unknown>): ReadonlyArray<unknown> => {
  const schemas = spec.args
  if (schemas === undefined) return args
  return args.map((arg, index) => {
    const schema = schemas[index]
    if (schema === undefined) return arg
    try {
      return Schema.encodeUnknownSync(schema)(arg)
    } catch (issue) {
      throw new errors.ValueError({
        message: `${spec.name}() argument ${index + 1} does not match its Schema: ${messageOf(issue)}`
      })
    }
  })
}

/** asyncio's `_set_state(future, other)`: a future cancelled meanwhile keeps its state. */
const setState = ({
  future,
  exit
}: {
  future: FutureImpl<unknown, unknown>
  exit: Exit.Exit<unknown, unknown>
}) => {
  if (!future.done()) future.finish(exit)
}

const cancelFuture = (future: FutureImpl<unknown, unknown>): void => {
  future.cancelNow()
}

/** Each executor's core, by the public object (`ThreadPoolExecutor`, `ProcessPoolExecutor`). */
const cores = new WeakMap<object, ExecutorCore>()

export const registerExecutor = (executor: object, core: ExecutorCore): void => {
  cores.set(executor, core)
  installExecutors()
}

/** Lets loops reach their executors (internal/executorHook.ts): called by the first executor or worker function. */
export const installExecutors = (): void => {
  executorHook.make ??= () => new LoopExecutors()
}

export const executorCoreOf = (value: unknown): ExecutorCore | undefined =>
  typeof value === "object" && value !== null ? cores.get(value) : undefined

/**
 * A loop's executors (`BaseEventLoop._default_executor`, `_executor_shutdown_called`):
 * `run_in_executor`, `set_default_executor` and `shutdown_default_executor`.
 */
export class LoopExecutors implements LoopExecutorsLike {
  /** `_default_executor`, made by the first `runInExecutor(undefined, ...)` */
  private defaultExecutor: ExecutorCore | undefined = undefined
  /** `_executor_shutdown_called` */
  private shutdownCalled = false

  /**
   * `run_in_executor(executor, func, *args)`, naming the caller in its errors (`toThread` is
   * asyncio's `to_thread`: `run_in_executor(None, ...)`). Throws `RuntimeError` once the default
   * executor was shut down, `TypeError` for what is not an executor.
   */
  submit(loop: ExecutorLoop, executor: unknown, fn: unknown, args: ReadonlyArray<unknown>, caller: string) {
    let core: ExecutorCore
    if (executor === undefined || executor === null) {
      // asyncio's `_check_default_executor`
      if (this.shutdownCalled) throw new errors.RuntimeError({ message: "Executor shutdown has been called" })
      this.defaultExecutor ??= new ExecutorCore({
        kind: "thread",
        maxWorkers: defaultThreadWorkers(),
        terminateOnCancel: false,
        execArgv: undefined
      })
      core = this.defaultExecutor
    } else {
      const given = executorCoreOf(executor)
      if (given === undefined) {
        throw new errors.TypeError({
          message: `${caller}() executor must be a ThreadPoolExecutor, a ProcessPoolExecutor or undefined (the default), got ${describe(executor)}`
        })
      }
      core = given
    }
    return core.submit(loop, fn, args, caller)
  }

  /** `set_default_executor(executor)`: a `ThreadPoolExecutor`, as CPython 3.11+ requires. */
  setDefault(executor: unknown): void {
    const core = executorCoreOf(executor)
    if (core === undefined || core.kind !== "thread") {
      throw new errors.TypeError({ message: "executor must be ThreadPoolExecutor instance" })
    }
    this.defaultExecutor = core
  }

  /**
   * `shutdown_default_executor(timeout)`: `shutdown(wait=True)` of the default executor (its
   * workers exit once the calls still running are done), waited for at most `timeout` seconds;
   * past it, a `RuntimeWarning` and `shutdown(wait=False)`. Without a default executor,
   * undefined: the coroutine returns at once.
   */
  shutdownDefault(loop: DefaultExecutorLoop, timeout: number | undefined): FutureImpl<void> | undefined {
    this.shutdownCalled = true
    const executor = this.defaultExecutor
    if (executor === undefined) return undefined
    const future = loop.createFuture<void>()
    const timer =
      timeout === undefined
        ? undefined
        : loop.callLater(timeout, () => {
            if (future.done()) return
            globalThis.process?.emitWarning?.(
              `The executor did not finishing joining its threads within ${timeout} seconds.`,
              "RuntimeWarning"
            )
            Effect.runFork(executor.shutdown(false, false))
            future.resolveNow(undefined)
          })
    // `_do_shutdown`, in the executor's own fibers: its end comes back through the ready queue
    Effect.runFork(executor.shutdown(true, false)).addObserver(() => {
      if (loop.isClosed()) return
      loop.callSoonFn(() => {
        timer?.cancel()
        setResultUnlessCancelled(future, undefined)
      }, undefined)
    })
    return future
  }
}
