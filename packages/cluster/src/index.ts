/**
 * effect-asyncio beyond one machine: remote tasks on Effect's cluster.
 *
 * A task is defined once (`defineTask`: a name, Schemas, a handler) in a module every process
 * imports; runners serve it (`layerRunner`), and `remote(definition, payload)` is an effect that
 * runs it on some runner, so `createTask`, `gather`, `wait`, `asCompleted`, `waitFor`, `shield`
 * and `TaskGroup` take it as they take any effect, with their rules across processes.
 *
 * ```ts
 * import { Effect, Schema } from "effect"
 * import * as asyncio from "@effect-asyncio/core"
 * import * as cluster from "@effect-asyncio/cluster"
 *
 * const Square = cluster.defineTask({
 *   name: "docs/index/square",
 *   payload: Schema.Number,
 *   success: Schema.Number,
 *   handler: (n) => Effect.succeed(n * n)
 * })
 *
 * const main = asyncio.gather(...[1, 2, 3].map((n) => cluster.remote(Square, n)))
 * Effect.runPromise(asyncio.runEffect(main).pipe(Effect.provide(cluster.layerTest({ tasks: [Square] }))))
 *   .then(console.log) // [1, 4, 9]
 * ```
 *
 * @module @effect-asyncio/cluster
 * @since 0.2.0
 */

export {
  type AnyTaskDefinition,
  defineTask,
  isTaskDefinition,
  type TaskDefinition,
  type TaskSchema,
  type TaskServices
} from "./definitions.js"
export { ClusterError, PayloadError, TaskNotRegistered } from "./errors.js"
export {
  type ClientOptions,
  type LayerError,
  layerClient,
  layerRunner,
  layerTest,
  type Postgres,
  type RunnerOptions,
  type ShardingOptions
} from "./layers.js"
export { Cluster, type RemoteCallError, type RemoteError, type RemoteOptions, remote } from "./remote.js"
