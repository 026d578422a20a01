/**
 * `remote(definition, payload)`: a call of a task on some runner of the cluster, as an effect.
 *
 * It is an effect like any other, so asyncio's combinators take it unchanged and keep their
 * rules: `createTask(remote(...))` starts it, `gather` collects many in order, `waitFor` gives it
 * a deadline, a `TaskGroup` cancels it with its siblings when one fails, `shield` protects it.
 * Cancelling the local task interrupts the run on its runner (its finalizers run there), and a
 * typed failure of the handler comes back as the same error class.
 *
 * @since 0.2.0
 */
import { Context, Effect } from "effect"
import type { AnyTaskDefinition, TaskDefinition, TaskSchema } from "./definitions.js"
import type { ClusterError, PayloadError, TaskNotRegistered } from "./errors.js"

/**
 * Options of {@link remote}.
 *
 * @example
 * ```ts
 * import type * as cluster from "@effect-asyncio/cluster"
 *
 * const options: cluster.RemoteOptions = { key: "invoice-2024-117" }
 * console.log(options.key) // invoice-2024-117
 * ```
 * @since 0.2.0
 * @category remote
 */
export interface RemoteOptions {
  /**
   * Durable tasks only: the execution's idempotency key. Two calls of one task with the same key
   * are one execution: the second (after the caller restarted, say) waits for the first and gets
   * its result, without running the handler again once it has completed. Default: a fresh key per
   * call, so every call is a run of its own.
   */
  readonly key?: string | undefined
}

/**
 * The errors of a remote call of a definition: its own, plus the cluster's.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import * as cluster from "@effect-asyncio/cluster"
 *
 * const Job = cluster.defineTask({ name: "docs/remote/job", handler: () => Effect.void })
 * const tag = (error: cluster.RemoteError<typeof Job>): string => error._tag
 * console.log(tag(new cluster.ClusterError({ reason: "MailboxFull", message: "" }))) // ClusterError
 * ```
 * @since 0.2.0
 * @category remote
 */
export type RemoteError<T extends AnyTaskDefinition> = T["error"]["Type"] | RemoteCallError

/**
 * What any remote call can fail with besides the handler's own errors.
 *
 * @example
 * ```ts
 * import * as cluster from "@effect-asyncio/cluster"
 *
 * const error: cluster.RemoteCallError = new cluster.PayloadError({ task: "t", message: "bad" })
 * console.log(error._tag) // PayloadError
 * ```
 * @since 0.2.0
 * @category remote
 */
export type RemoteCallError = PayloadError | TaskNotRegistered | ClusterError

/**
 * The cluster this process takes part in, as a runner (it serves tasks) or a client (it only
 * calls them). Provided by `layerRunner`, `layerClient` or `layerTest`; `remote` needs it.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import * as cluster from "@effect-asyncio/cluster"
 *
 * const role = Effect.map(cluster.Cluster, (c) => c.role)
 * Effect.runPromise(Effect.provide(role, cluster.layerTest({ tasks: [] }))).then(console.log) // runner
 * ```
 * @since 0.2.0
 * @category layers
 */
export class Cluster extends Context.Service<
  Cluster,
  {
    /** `"runner"` when this process serves tasks, `"client"` when it only calls them. */
    readonly role: "runner" | "client"
    /** {@link remote}, on this cluster. */
    readonly remote: <Payload extends TaskSchema, Success extends TaskSchema, Error extends TaskSchema, R>(
      definition: TaskDefinition<Payload, Success, Error, R>,
      payload: Payload["Type"],
      options?: RemoteOptions
    ) => Effect.Effect<Success["Type"], Error["Type"] | RemoteCallError>
  }
>()("@effect-asyncio/cluster/Cluster") {}

/**
 * Calls the task `definition` with `payload` on some runner of the cluster: an effect that
 * succeeds with the handler's result or fails with its typed error (decoded into the same class),
 * `PayloadError` (the payload does not match its Schema: nothing was sent), `TaskNotRegistered`
 * (the runner serves no task of that name) or `ClusterError` (the cluster could not take the
 * call). Needs the `Cluster` service (`layerRunner`, `layerClient` or `layerTest`).
 *
 * Interrupting it (cancelling the task that awaits it) interrupts the run on its runner; the
 * local task is done once the interruption is stored and sent, and the runner runs the handler's
 * finalizers on its side. A call is stored before it runs: if its runner dies, the next owner of
 * its shard runs it again (at-least-once: handlers should be idempotent).
 *
 * A durable definition runs as a workflow execution named by the task and `options.key` (a fresh
 * key per call by default): the same key, from any process, joins the execution and gets its
 * result. Cancelling the caller sends the workflow engine's interrupt for the execution, which
 * takes effect when it next suspends: an activity already running is not interrupted (Effect's
 * engine runs activities uninterruptibly), and its result is stored for the key.
 *
 * A non-durable definition rejects `options.key` (`ValueError`), a value that is not a
 * definition dies with `TypeError`.
 *
 * @example
 * ```ts
 * import { Effect, Schema } from "effect"
 * import * as asyncio from "@effect-asyncio/core"
 * import * as cluster from "@effect-asyncio/cluster"
 *
 * const Double = cluster.defineTask({
 *   name: "docs/remote/double",
 *   payload: Schema.Number,
 *   success: Schema.Number,
 *   handler: (n) => Effect.succeed(n * 2)
 * })
 *
 * // two remote calls at once, one of them with a deadline
 * const main = asyncio.gather(cluster.remote(Double, 20), asyncio.waitFor(cluster.remote(Double, 1), 5))
 *
 * Effect.runPromise(asyncio.runEffect(main).pipe(Effect.provide(cluster.layerTest({ tasks: [Double] }))))
 *   .then(console.log) // [40, 2]
 * ```
 * @since 0.2.0
 * @category remote
 */
export const remote = <Payload extends TaskSchema, Success extends TaskSchema, Error extends TaskSchema, R>(
  definition: TaskDefinition<Payload, Success, Error, R>,
  payload: Payload["Type"],
  options?: RemoteOptions
): Effect.Effect<Success["Type"], Error["Type"] | RemoteCallError, Cluster> =>
  Effect.flatMap(Cluster, (cluster) => cluster.remote(definition, payload, options))
