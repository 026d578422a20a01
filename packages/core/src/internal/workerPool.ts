/**
 * The workers of an executor: Effect's `Pool` (at most `maxWorkers` items, one call at a time
 * each, made on demand, kept until the pool closes, as CPython keeps its threads and processes)
 * of `effect/workers` Workers on `@effect/platform-node`'s `NodeWorker` platform, in a fiber of
 * its own, outside every loop. internal/executor.ts puts the calls through it.
 *
 * A call waits for a worker (interruptibly: it leaves the queue), then is sent and waits for
 * the answer, which nothing interrupts. A worker that ends under a call ends that call; one that
 * ends before it could start breaks the pool, as a failing initializer breaks CPython's.
 */
import { type Cause, Deferred, Effect, Exit, Pool } from "effect"
import * as Worker from "effect/workers/Worker"
import { WorkerError } from "effect/workers/WorkerError"
import * as errors from "../exceptions.js"
import type { NodeWorkerHandle } from "./nodeWorkers.js"
import { type CallRequest, type CallResponse, messageOf } from "./workerProtocol.js"

export type WorkerKind = "thread" | "process"

/** A worker as the pool holds it. */
export interface PoolWorker {
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

/** How a call through the pool ended, before it is read as the call's outcome. */
export type CallOutcome =
  /** the worker's answer */
  | { readonly _tag: "Response"; readonly response: CallResponse }
  /** the worker ended under the call (or the call could not be sent to it) */
  | { readonly _tag: "Ended"; readonly cause: Cause.Cause<unknown> }
  /** the pool has no worker to give: @effect/platform-node is missing */
  | { readonly _tag: "Unavailable"; readonly cause: Cause.Cause<unknown> }

export interface PoolSettings {
  readonly kind: WorkerKind
  readonly maxWorkers: number
  readonly execArgv: ReadonlyArray<string> | undefined
}

/** Items are kept until the pool closes. */
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

/** Keeps Node running until the returned function is called (a worker, idle, does not). */
export const keepNodeAlive = (): (() => void) => {
  const timer = setInterval(() => {}, 2 ** 31 - 1)
  return () => clearInterval(timer)
}

export class WorkerPool {
  /** the pool, made by its own fiber on the first call (or why it could not be made) */
  private pool: Deferred.Deferred<Pool.Pool<PoolWorker>, unknown> | undefined = undefined
  private poolValue: Pool.Pool<PoolWorker> | undefined = undefined
  /** opens once the pool may close */
  private readonly closing = Deferred.makeUnsafe<void>()
  /** done once every worker is gone */
  readonly closed = Deferred.makeUnsafe<void>()
  private nextWorkerId = 0
  /** workers by the id the pool spawned them with (the spawner fills in their Node object) */
  private readonly workers = new Map<number, PoolWorker>()

  constructor(
    private readonly settings: PoolSettings,
    /** called when a worker could not start */
    private readonly onBroken: (cause: Cause.Cause<unknown>) => void
  ) {}

  /**
   * Runs `request` in a worker: waits for one (interruptibly), then, once `sent(worker)` has been
   * told which, sends the call and waits for its answer, uninterruptibly.
   */
  run(request: CallRequest, sent: (worker: PoolWorker) => void): Effect.Effect<CallOutcome> {
    return Effect.flatMap(Effect.exit(Deferred.await(this.start())), (pool) =>
      Exit.isFailure(pool)
        ? Effect.succeed<CallOutcome>({ _tag: "Unavailable", cause: pool.cause })
        : Pool.use(pool.value, (worker) => this.call(worker, request, sent))
    )
  }

  /** Closes every worker once it is idle (a pool never started is closed at once). */
  close(): void {
    if (this.pool === undefined) Deferred.doneUnsafe(this.closed, Exit.void)
    else Deferred.doneUnsafe(this.closing, Exit.void)
  }

  private call(worker: PoolWorker, request: CallRequest, sent: (worker: PoolWorker) => void) {
    return Effect.uninterruptible(
      Effect.suspend((): Effect.Effect<CallOutcome> => {
        if (worker.ended !== undefined) return Effect.succeed({ _tag: "Ended", cause: worker.ended })
        sent(worker)
        const done = Deferred.makeUnsafe<CallOutcome>()
        worker.call = { id: request.id, done }
        return worker.backing.send(request).pipe(
          Effect.matchCauseEffect({
            onFailure: (cause) => Effect.succeed<CallOutcome>({ _tag: "Ended", cause }),
            onSuccess: () => Deferred.await(done)
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

  /** The pool's fiber, started by the first call: it loads the Node platform, makes the pool,
   * and closes it (every worker) once `closing` opens. */
  private start(): Deferred.Deferred<Pool.Pool<PoolWorker>, unknown> {
    if (this.pool !== undefined) return this.pool
    const pool = Deferred.makeUnsafe<Pool.Pool<PoolWorker>, unknown>()
    this.pool = pool
    const { kind } = this.settings
    const program = Effect.gen({ self: this }, function* () {
      const node = yield* Effect.tryPromise({
        try: () => import("./nodeWorkers.js"),
        catch: (cause) =>
          new errors.RuntimeError({
            message: `${kind === "thread" ? "ThreadPoolExecutor" : "ProcessPoolExecutor"} needs the package @effect/platform-node (npm install @effect/platform-node): ${messageOf(cause)}`
          })
      })
      const host = hostUrl()
      const spawnNode = (id: number) => {
        const { node: spawned, handle } = node.spawn({ kind, host, execArgv: this.settings.execArgv })
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
      return keepNodeAlive() // until the workers are gone
    }).pipe(
      Effect.scoped,
      Effect.onExit((exit) =>
        Effect.sync(() => {
          if (Exit.isFailure(exit)) Deferred.doneUnsafe(pool, Exit.die(causeError(exit.cause)))
          else exit.value()
          this.poolValue = undefined
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

  /** The worker is gone: its call (if any) ends with why; the pool replaces it if it had started. */
  private onWorkerEnded(worker: PoolWorker, cause: Cause.Cause<unknown>): void {
    worker.ended = cause
    Deferred.doneUnsafe(worker.ready, Exit.void)
    if (!worker.started) {
      this.onBroken(cause)
      return
    }
    if (worker.call !== undefined)
      Deferred.doneUnsafe(worker.call.done, Exit.succeed({ _tag: "Ended", cause }))
    const pool = this.poolValue
    if (pool !== undefined) Effect.runFork(Pool.invalidate(pool, worker))
  }
}

/** What a worker's end says: "The worker has exited with code: 1", the error it threw... */
export const endReason = (cause: Cause.Cause<unknown>): string | undefined => {
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
