/**
 * The errors a remote task can fail with besides its own: each is a `Schema.TaggedError`, so it
 * travels between processes typed, and is handled with `Effect.catchTag`.
 *
 * Which channel an error travels in follows the core's rule: what a correct program can meet (a
 * payload from outside that does not match its Schema, a runner that does not serve the task, the
 * cluster's storage out of reach) is a typed failure; a bad argument TypeScript could not rule out
 * (`remote` given something that is not a task definition) dies with the core's `TypeError`.
 *
 * @since 0.2.0
 */
import { Schema } from "effect"

/**
 * The payload does not match the task's payload Schema. On the caller's side it is raised before
 * anything is sent; a runner raises it too when it cannot decode what it received (a client and a
 * runner built from different versions of the definition).
 *
 * @example
 * ```ts
 * import { Effect, Schema } from "effect"
 * import * as cluster from "@effect-asyncio/cluster"
 *
 * const Square = cluster.defineTask({
 *   name: "docs/errors/square",
 *   payload: Schema.Int,
 *   success: Schema.Int,
 *   handler: (n) => Effect.succeed(n * n)
 * })
 * const program = cluster.remote(Square, 1.5).pipe(
 *   Effect.catchTag("PayloadError", (error) => Effect.succeed(error._tag)),
 *   Effect.provide(cluster.layerTest({ tasks: [Square] }))
 * )
 * Effect.runPromise(program).then(console.log) // PayloadError
 * ```
 * @since 0.2.0
 * @category errors
 */
export class PayloadError extends Schema.TaggedError<PayloadError>()("PayloadError", {
  /** The task's name. */
  task: Schema.String,
  message: Schema.String
}) {}

/**
 * The runner that received the call serves no task of that name: its process did not import the
 * module that defines it, or its `layerRunner` was not given the definition. Every runner of a
 * cluster must serve the same definitions: the cluster routes a call by its shard, never by name.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import * as cluster from "@effect-asyncio/cluster"
 *
 * const Served = cluster.defineTask({ name: "docs/errors/served", handler: () => Effect.void })
 * const Missing = cluster.defineTask({ name: "docs/errors/missing", handler: () => Effect.void })
 * const program = cluster.remote(Missing, undefined).pipe(
 *   Effect.catchTag("TaskNotRegistered", (error) => Effect.succeed(error.message)),
 *   Effect.provide(cluster.layerTest({ tasks: [Served] }))
 * )
 * Effect.runPromise(program).then(console.log) // no task named "docs/errors/missing" is registered on this runner
 * ```
 * @since 0.2.0
 * @category errors
 */
export class TaskNotRegistered extends Schema.TaggedError<TaskNotRegistered>()("TaskNotRegistered", {
  /** The name that was called. */
  task: Schema.String,
  message: Schema.String
}) {}

/**
 * The cluster could not take the call: its message storage (PostgreSQL) is out of reach
 * (`reason: "PersistenceError"`), the target entity's mailbox is full (`"MailboxFull"`), or the
 * call could not be routed to a runner (`"EntityNotAssignedToRunner"`,
 * `"AlreadyProcessingMessage"`). Nothing ran for a call that failed this way before it was
 * stored; a call already stored is never failed with it: it waits for its reply.
 *
 * @example
 * ```ts
 * import * as cluster from "@effect-asyncio/cluster"
 *
 * const error = new cluster.ClusterError({ reason: "PersistenceError", message: "storage down" })
 * console.log(error._tag, error.reason) // ClusterError PersistenceError
 * ```
 * @since 0.2.0
 * @category errors
 */
export class ClusterError extends Schema.TaggedError<ClusterError>()("ClusterError", {
  /** The tag of the `effect/cluster` error it stands for. */
  reason: Schema.Literals([
    "PersistenceError",
    "MailboxFull",
    "EntityNotAssignedToRunner",
    "AlreadyProcessingMessage"
  ]),
  message: Schema.String
}) {}
