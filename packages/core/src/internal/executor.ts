/**
 * The pools behind `ThreadPoolExecutor` and `ProcessPoolExecutor` (concurrent.futures'
 * `thread.py` and `process.py`), and `loop.run_in_executor`'s bridge between a pool and a loop
 * (`futures.wrap_future` / `_chain_future`).
 *
 * A pool is Effect's `Pool` (at most `maxWorkers` items, one call at a time each, made on
 * demand, kept until shutdown) of `effect/workers` Workers on `@effect/platform-node`'s
 * `NodeWorker` platform, in a fiber of its own, outside every loop. Each call is a job: a fiber
 * that waits for a worker (PENDING), then sends the call and waits for its answer, which nothing
 * interrupts (RUNNING), then hands the outcome to the loop's future through the loop's ready
 * queue (CPython's `call_soon_threadsafe(_set_state)`).
 *
 * Cancelling that future (the awaiting task was cancelled) cancels the job as
 * `concurrent.futures.Future.cancel()` does: a pending job leaves the queue and never runs; a
 * running one runs to its end and its outcome is dropped, unless the executor terminates on
 * cancel: then its worker is killed and replaced.
 */
import { type Cause, Deferred, Effect, Exit, type Fiber, Pool, Schema } from "effect"
import * as Worker from "effect/workers/Worker"
import { WorkerError, WorkerSendError } from "effect/workers/WorkerError"
import * as errors from "../exceptions.js"
import { type FutureImpl, type FutureLoop, LabelledFuture } from "./future.js"
import type { NodeWorkerHandle } from "./nodeWorkers.js"
import { describe } from "./time.js"
import {
  type CallRequest,
  type CallResponse,
  messageOf,
  specOf,
  uncarry,
  type WorkerFunctionSpec
} from "./workerProtocol.js"

export type ExecutorKind = "thread" | "process"

/** What a job needs of the loop whose future it completes. */
export interface ExecutorLoop extends FutureLoop {
  isClosed(): boolean
}

/** A worker as the pool holds it. */
interface PoolWorker {
  readonly backing: Worker.Worker<CallResponse, CallRequest>
  /** the Node object behind it, once spawned */
  node: NodeWorkerHandle | undefined
  /** done once the worker is ready, or has ended */
  readonly ready: Deferred.Deferred<void>
  /** it said it was ready (a worker that ends before could not start: the pool is broken) */
  started: boolean
  /** why it ended (its Worker's run failed: it exited, crashed, or a message could not be sent) */
  ended: Cause.Cause<unknown> | undefined
  /** the call it runs */
  call: { readonly id: number; readonly done: Deferred.Deferred<CallOutcome> } | undefined
}

type CallOutcome =
  | { readonly _tag: "Response"; readonly response: CallResponse }
  | { readonly _tag: "Ended"; readonly cause: Cause.Cause<unknown> }

/** A work item: concurrent.futures' PENDING (queued), RUNNING and FINISHED. */
interface Job {
  readonly spec: WorkerFunctionSpec
  readonly request: CallRequest
  readonly future: FutureImpl<unknown, unknown>
  readonly loop: ExecutorLoop
  state: "pending" | "running" | "finished"
  fiber: Fiber.Fiber<Exit.Exit<unknown, unknown>> | undefined
  worker: PoolWorker | undefined
  /** the outcome of a pending call the pool gave up on (it broke): its fiber was interrupted */
  outcome: Exit.Exit<unknown, unknown> | undefined
}

/** Items are kept until the pool closes, as CPython keeps its threads and processes. */
const keepWorkers: Pool.Strategy<PoolWorker, never> = {
  run: () => Effect.void,
  onAcquire: () => Effect.void,
  reclaim: () => Effect.succeed(undefined)
}

/** The worker's program, beside this module: `.ts` in the sources, `.js` once built. */
const hostUrl = (): URL => {
  const extension = /\.[cm]?[jt]s$/.exec(new URL(import.meta.url).pathname)?.[0] ?? ".js"
  return new URL(`./workerHost${extension}`, import.meta.url)
}

/** `os.process_cpu_count()`, as far as a JavaScript runtime tells (Node: `availableParallelism`). */
export const cpuCount = (): number => {
  const count = (globalThis as { navigator?: { hardwareConcurrency?: unknown } }).navigator
    ?.hardwareConcurrency
  return typeof count === "number" && count > 0 ? count : 1
}

/** ThreadPoolExecutor's default, as CPython 3.13: `min(32, (os.process_cpu_count() or 1) + 4)`. */
export const defaultThreadWorkers = (): number => Math.min(32, cpuCount() + 4)

export interface ExecutorSettings {
  readonly kind: ExecutorKind
  readonly maxWorkers: number
  readonly terminateOnCancel: boolean
  readonly execArgv: ReadonlyArray<string> | undefined
}

export class ExecutorCore {
  /** concurrent.futures' `_shutdown`: no new call is taken */
  private shutdownRequested = false
  /** the calls pending or running */
  private readonly jobs = new Set<Job>()
  private nextJobId = 0
  private nextWorkerId = 0
  /** workers by the id the pool spawned them with (the spawner fills in their Node object) */
  private readonly workers = new Map<number, PoolWorker>()
  /** the pool, made by its own fiber on the first call (or why it could not be made) */
  private pool: Deferred.Deferred<Pool.Pool<PoolWorker>, unknown> | undefined = undefined
  private poolValue: Pool.Pool<PoolWorker> | undefined = undefined
  /** opens once the pool may close: shut down, and no call is left */
  private readonly closing = Deferred.makeUnsafe<void>()
  /** done once every worker is gone */
  private readonly closed = Deferred.makeUnsafe<void>()
  /**
   * Why the pool is not usable anymore: a worker could not start (its program failed to load:
   * no TypeScript loader, bad `execArgv`...), as CPython's pool is broken by a failing
   * initializer. Every call fails with it from then on; no worker is started again.
   */
  private broken: Exit.Exit<never, unknown> | undefined = undefined
  /** keeps Node running while there is work (idle workers do not) */
  private keepAlive: ReturnType<typeof setInterval> | undefined = undefined

  constructor(readonly settings: ExecutorSettings) {}

  get kind(): ExecutorKind {
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
      throw new errors.TypeError({
        message: `${caller}(): ${describe(fn)} cannot be sent to a worker: a worker runs only functions defined with defineWorkerFunctions(import.meta.url, { ... }) at the top level of a module, which it imports (a closure cannot cross a thread)`
      })
    }
    if (this.shutdownRequested) {
      throw new errors.RuntimeError({ message: "cannot schedule new futures after shutdown" })
    }
    const id = this.nextJobId++
    const request: CallRequest = {
      id,
      module: spec.module,
      name: spec.name,
      args: encodeArguments(spec, args)
    }
    const future = new LabelledFuture<unknown, unknown>(
      loop,
      () => `${caller}(${spec.name}) in a worker ${this.kind}`
    )
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
    this.holdAlive()
    // as asyncio's `_chain_future`: cancelling the loop's future cancels the call
    const _call_check_cancel = (done: FutureImpl<unknown, unknown>) => {
      if (done.cancelled()) this.cancel(job)
    }
    future.addDoneCallback(_call_check_cancel)
    if (this.broken !== undefined) {
      this.jobs.delete(job)
      if (this.jobs.size === 0) this.releaseAlive()
      loop.callSoonFn(setState, { future, exit: this.broken })
      return future
    }
    const fiber = Effect.runFork(this.runJob(job))
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
      return wait ? Deferred.await(this.closed) : Effect.void
    })
  }

  /** `Future.cancel()` of concurrent.futures, and the executor's choice for a running call. */
  private cancel(job: Job): void {
    if (job.state === "pending") job.fiber?.interruptUnsafe()
    else if (job.state === "running" && this.settings.terminateOnCancel) job.worker?.node?.kill()
  }

  /** The job's fiber: wait for a worker, run the call there, give the outcome for the future. */
  private runJob(job: Job): Effect.Effect<Exit.Exit<unknown, unknown>> {
    return Effect.flatMap(Effect.exit(Deferred.await(this.startPool())), (pool) =>
      Exit.isFailure(pool)
        ? Effect.succeed(Exit.failCause(pool.cause))
        : Pool.use(pool.value, (worker) => this.call(job, worker))
    )
  }

  /** RUNNING: nothing interrupts a call once it is sent; it ends with the worker's answer. */
  private call(job: Job, worker: PoolWorker): Effect.Effect<Exit.Exit<unknown, unknown>> {
    return Effect.uninterruptible(
      Effect.suspend(() => {
        if (worker.ended !== undefined) return Effect.succeed(this.endedExit(job, worker.ended))
        job.state = "running"
        job.worker = worker
        const done = Deferred.makeUnsafe<CallOutcome>()
        worker.call = { id: job.request.id, done }
        return worker.backing.send(job.request).pipe(
          Effect.matchEffect({
            onFailure: (error) => Effect.succeed(this.unsendable(job, error)),
            onSuccess: () => Effect.map(Deferred.await(done), (outcome) => this.exitOf(job, outcome))
          }),
          Effect.ensuring(
            Effect.sync(() => {
              worker.call = undefined
            })
          )
        )
      })
    )
  }

  /** The outcome of a call, as the future takes it: the function's own, or a broken pool's. */
  private exitOf(job: Job, outcome: CallOutcome): Exit.Exit<unknown, unknown> {
    if (outcome._tag === "Ended") return this.endedExit(job, outcome.cause)
    const { response } = outcome
    const { spec } = job
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

  /** The worker ended under the call: a broken pool (or a message that could not be sent). */
  private endedExit(job: Job, cause: Cause.Cause<unknown>): Exit.Exit<unknown, unknown> {
    const sendError = cause.reasons.find(
      (reason) =>
        reason._tag === "Fail" &&
        reason.error instanceof WorkerError &&
        reason.error.reason instanceof WorkerSendError
    )
    if (sendError?._tag === "Fail") return this.unsendable(job, sendError.error)
    // CPython's message, then what Node said of the worker's end
    const detail = endReason(cause)
    const message = `${
      this.kind === "thread"
        ? "A thread in the thread pool was terminated abruptly while the future was running or pending."
        : "A process in the process pool was terminated abruptly while the future was running or pending."
    }${detail === undefined ? "" : ` (${detail})`}`
    return Exit.fail(
      this.kind === "thread"
        ? new errors.BrokenThreadPool({ message })
        : new errors.BrokenProcessPool({ message })
    )
  }

  /** Arguments structured clone cannot copy (a function, a Promise...): a bug of the caller. */
  private unsendable(job: Job, error: unknown): Exit.Exit<never> {
    const cause = error instanceof WorkerError ? error.reason.cause : error
    return Exit.die(
      new errors.TypeError({
        message: `the arguments of ${job.spec.name}() cannot be sent to a worker: ${messageOf(cause)}`
      })
    )
  }

  /** FINISHED: the outcome goes to the loop's future, at a turn of its ready queue. */
  private finishJob(job: Job, exit: Exit.Exit<Exit.Exit<unknown, unknown>>): void {
    job.state = "finished"
    this.jobs.delete(job)
    const { future, loop } = job
    // asyncio's `_call_set_state`: nothing is delivered to a closed loop
    if (!loop.isClosed()) {
      if (Exit.isSuccess(exit)) loop.callSoonFn(setState, { future, exit: exit.value })
      else if (job.outcome !== undefined) loop.callSoonFn(setState, { future, exit: job.outcome })
      // interrupted while pending: cancelled by its future, or by shutdown(cancelFutures)
      else loop.callSoonFn(cancelFuture, future)
    }
    if (this.jobs.size === 0) this.releaseAlive()
    this.closeWhenIdle()
  }

  private closeWhenIdle(): void {
    if ((!this.shutdownRequested && this.broken === undefined) || this.jobs.size > 0) return
    if (this.pool === undefined) Deferred.doneUnsafe(this.closed, Exit.void)
    else Deferred.doneUnsafe(this.closing, Exit.void)
  }

  /** The pool's fiber, started by the first call: it loads the Node platform, makes the pool,
   * and closes it (every worker) once `closing` opens. */
  private startPool(): Deferred.Deferred<Pool.Pool<PoolWorker>, unknown> {
    if (this.pool !== undefined) return this.pool
    const pool = Deferred.makeUnsafe<Pool.Pool<PoolWorker>, unknown>()
    this.pool = pool
    const program = Effect.gen({ self: this }, function* () {
      const node = yield* Effect.tryPromise({
        try: () => import("./nodeWorkers.js"),
        catch: (cause) =>
          new errors.RuntimeError({
            message: `${this.kind === "thread" ? "ThreadPoolExecutor" : "ProcessPoolExecutor"} needs the package @effect/platform-node (npm install @effect/platform-node): ${messageOf(cause)}`
          })
      })
      const host = hostUrl()
      const spawnNode = (id: number) => {
        const { node: spawned, handle } = node.spawn({
          kind: this.kind,
          host,
          execArgv: this.settings.execArgv
        })
        const worker = this.workers.get(id)
        if (worker !== undefined) worker.node = handle
        return spawned
      }
      const made = yield* Pool.makeWithStrategy({
        acquire: this.acquire(),
        min: 0,
        max: this.settings.maxWorkers,
        strategy: keepWorkers
      }).pipe(Effect.provide(node.layer(spawnNode)))
      this.poolValue = made
      Deferred.doneUnsafe(pool, Exit.succeed(made))
      yield* Deferred.await(this.closing)
      this.holdAlive() // until the workers are gone
    }).pipe(
      Effect.scoped,
      Effect.onExit((exit) =>
        Effect.sync(() => {
          if (Exit.isFailure(exit)) Deferred.doneUnsafe(pool, Exit.die(causeError(exit.cause)))
          this.poolValue = undefined
          this.releaseAlive()
          Deferred.doneUnsafe(this.closed, Exit.void)
        })
      )
    )
    Effect.runFork(program)
    return pool
  }

  /** A pool item: a worker spawned and ready (or ended: the call that gets it sees why). */
  private acquire() {
    return Effect.gen({ self: this }, function* () {
      const platform = yield* Worker.WorkerPlatform
      const id = this.nextWorkerId++
      const backing = yield* Effect.orDie(platform.spawn<CallResponse, CallRequest>(id))
      const worker: PoolWorker = {
        backing,
        node: undefined,
        ready: Deferred.makeUnsafe<void>(),
        started: false,
        ended: undefined,
        call: undefined
      }
      this.workers.set(id, worker)
      yield* Effect.addFinalizer(() => Effect.sync(() => this.workers.delete(id)))
      yield* backing
        .run((response) => Effect.sync(() => this.onResponse(worker, response)), {
          onSpawn: Effect.sync(() => {
            worker.started = true
            Deferred.doneUnsafe(worker.ready, Exit.void)
          })
        })
        .pipe(
          Effect.catchCause((cause) => Effect.sync(() => this.onWorkerEnded(worker, cause))),
          Effect.forkScoped
        )
      yield* Deferred.await(worker.ready)
      worker.node?.unref()
      return worker
    })
  }

  private onResponse(worker: PoolWorker, response: CallResponse): void {
    const call = worker.call
    if (call !== undefined && call.id === response.id) {
      Deferred.doneUnsafe(call.done, Exit.succeed({ _tag: "Response", response }))
    }
  }

  /** The worker is gone: its call (if any) ends with why, and the pool replaces it (if it had started). */
  private onWorkerEnded(worker: PoolWorker, cause: Cause.Cause<unknown>): void {
    worker.ended = cause
    Deferred.doneUnsafe(worker.ready, Exit.void)
    if (!worker.started) {
      this.breakPool(cause)
      return
    }
    if (worker.call !== undefined)
      Deferred.doneUnsafe(worker.call.done, Exit.succeed({ _tag: "Ended", cause }))
    const pool = this.poolValue
    if (pool !== undefined) Effect.runFork(Pool.invalidate(pool, worker))
  }

  /** A worker could not start: the pending calls fail, the pool closes once the others are done. */
  private breakPool(cause: Cause.Cause<unknown>): void {
    if (this.broken !== undefined) return
    const detail = endReason(cause)
    const message = `A worker ${this.kind} could not start, the ${this.kind} pool is not usable anymore${
      detail === undefined ? "" : ` (${detail})`
    }`
    this.broken = Exit.fail(
      this.kind === "thread"
        ? new errors.BrokenThreadPool({ message })
        : new errors.BrokenProcessPool({ message })
    )
    for (const job of this.jobs) {
      if (job.state !== "pending") continue
      job.outcome = this.broken
      job.fiber?.interruptUnsafe()
    }
    this.closeWhenIdle()
  }

  private holdAlive(): void {
    if (this.keepAlive !== undefined) return
    this.keepAlive = setInterval(() => {}, 2 ** 31 - 1)
  }

  private releaseAlive(): void {
    if (this.keepAlive === undefined) return
    clearInterval(this.keepAlive)
    this.keepAlive = undefined
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
        message: `${spec.name}(): argument ${index + 1} does not match its Schema: ${messageOf(issue)}`
      })
    }
  })
}

/** What a worker's end says: "The worker has exited with code: 1", the error it threw... */
const endReason = (cause: Cause.Cause<unknown>): string | undefined => {
  for (const reason of cause.reasons) {
    // `new Worker(...)` itself threw (an `execArgv` it does not take)
    if (reason._tag === "Die") return messageOf(reason.defect)
    if (reason._tag !== "Fail" || !(reason.error instanceof WorkerError)) continue
    const { message, cause: inner } = reason.error.reason
    return inner === undefined ? message : `${message}: ${messageOf(inner)}`
  }
  return undefined
}

/** The error that stopped the pool's fiber (the platform could not be loaded). */
const causeError = (cause: Cause.Cause<unknown>): unknown => {
  const reason = cause.reasons[0]
  if (reason === undefined) return new errors.RuntimeError({ message: "the executor's pool stopped" })
  return reason._tag === "Fail" ? reason.error : reason._tag === "Die" ? reason.defect : reason
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
  future.cancelUnsafe()
}

/** Each executor's pool, by the public object (`ThreadPoolExecutor`, `ProcessPoolExecutor`). */
const cores = new WeakMap<object, ExecutorCore>()

export const registerExecutor = (executor: object, core: ExecutorCore): void => {
  cores.set(executor, core)
}

export const executorCoreOf = (value: unknown): ExecutorCore | undefined =>
  typeof value === "object" && value !== null ? cores.get(value) : undefined
