/**
 * The layers that make a process part of a cluster: a runner serves task definitions, a client
 * only calls them, and the test cluster does both in one process without any server.
 *
 * Runners and clients are `effect/cluster` processes over sockets (`@effect/platform-node`'s
 * `NodeClusterSocket`), with the cluster's messages, replies, runners and shard locks in
 * PostgreSQL (`@effect/sql-pg`). Every runner serves every definition (the cluster routes a call
 * by its shard, never by name), and durable definitions run on `effect/workflow`'s cluster
 * engine, whose state is in the same database.
 *
 * @since 0.2.0
 */
import * as NodeClusterSocket from "@effect/platform-node/NodeClusterSocket"
import * as PgClient from "@effect/sql-pg/PgClient"
import * as asyncio from "@effect-asyncio/core"
import { Effect, Layer, Option, Redacted } from "effect"
import type { ConfigError } from "effect/Config"
import {
  ClusterWorkflowEngine,
  RunnerAddress,
  type Sharding,
  type ShardingConfig,
  TestRunner
} from "effect/cluster"
import type { SocketServerError } from "effect/socket/SocketServer"
import type { SqlClient } from "effect/sql/SqlClient"
import type { SqlError } from "effect/sql/SqlError"
import type { WorkflowEngine } from "effect/workflow"
import type { AnyTaskDefinition, TaskServices } from "./definitions.js"
import { makeRemote } from "./internal/call.js"
import { describe } from "./internal/describe.js"
import { serveLayer } from "./internal/protocol.js"
import { Cluster } from "./remote.js"

/**
 * `effect/cluster`'s sharding settings (`ShardingConfig`), any of which a runner or client may
 * override; the others come from the environment (`ShardingConfig.layerFromEnv`) or Effect's
 * defaults. The ones a fleet tunes first: `shardLockRefreshInterval` / `shardLockExpiration`
 * and `runnerHealthCheckInterval` (how soon a dead runner's shards move), and
 * `entityMessagePollInterval` (how often storage is read for calls nobody was notified of).
 *
 * @example
 * ```ts
 * import type * as cluster from "@effect-asyncio/cluster"
 *
 * const fast: cluster.ShardingOptions = { runnerHealthCheckInterval: "1 second", shardLockExpiration: "3 seconds" }
 * console.log(Object.keys(fast).length) // 2
 * ```
 * @since 0.2.0
 * @category layers
 */
export type ShardingOptions = Partial<ShardingConfig.ShardingConfig["Service"]>

/**
 * Where the cluster keeps its state: a PostgreSQL URL (`postgres://user@host:port/database`),
 * or `@effect/sql-pg`'s pool configuration.
 *
 * @example
 * ```ts
 * import type * as cluster from "@effect-asyncio/cluster"
 *
 * const storage: cluster.Postgres = "postgres://postgres@127.0.0.1:54329/fleet"
 * console.log(typeof storage) // string
 * ```
 * @since 0.2.0
 * @category layers
 */
export type Postgres = string | PgClient.PgClientConfig

/**
 * Options of {@link layerRunner}.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import type * as cluster from "@effect-asyncio/cluster"
 * import * as clusterApi from "@effect-asyncio/cluster"
 *
 * const Ping = clusterApi.defineTask({ name: "docs/layers/runner-options", handler: () => Effect.void })
 * const options: cluster.RunnerOptions<typeof Ping> = {
 *   tasks: [Ping],
 *   postgres: "postgres://postgres@127.0.0.1:54329/fleet",
 *   port: 34431
 * }
 * console.log(options.port) // 34431
 * ```
 * @since 0.2.0
 * @category layers
 */
export interface RunnerOptions<Tasks extends AnyTaskDefinition> {
  /** The definitions this runner serves: the same on every runner of the cluster. */
  readonly tasks: ReadonlyArray<Tasks>
  /** The cluster's storage. */
  readonly postgres: Postgres
  /** The address other processes reach this runner at (default `"localhost"`). */
  readonly host?: string | undefined
  /** The port this runner listens on, for the other runners and the clients. */
  readonly port: number
  /** Overrides of `effect/cluster`'s sharding settings. */
  readonly sharding?: ShardingOptions | undefined
}

/**
 * Options of {@link layerClient}.
 *
 * @example
 * ```ts
 * import type * as cluster from "@effect-asyncio/cluster"
 *
 * const options: cluster.ClientOptions = { postgres: "postgres://postgres@127.0.0.1:54329/fleet" }
 * console.log(options.postgres) // postgres://postgres@127.0.0.1:54329/fleet
 * ```
 * @since 0.2.0
 * @category layers
 */
export interface ClientOptions {
  /** The cluster's storage: the runners' database. */
  readonly postgres: Postgres
  /** Overrides of `effect/cluster`'s sharding settings. */
  readonly sharding?: ShardingOptions | undefined
}

/**
 * What building a runner or client layer can fail with: PostgreSQL out of reach at start
 * (`SqlError`), the runner's port taken (`SocketServerError`), a bad sharding setting in the
 * environment (`ConfigError`).
 *
 * @example
 * ```ts
 * import type * as cluster from "@effect-asyncio/cluster"
 *
 * const tag = (error: cluster.LayerError): string => error._tag
 * console.log(typeof tag) // function
 * ```
 * @since 0.2.0
 * @category layers
 */
export type LayerError = SqlError | SocketServerError | ConfigError

const sqlLayer = (postgres: Postgres): Layer.Layer<PgClient.PgClient | SqlClient, SqlError> =>
  PgClient.layer(typeof postgres === "string" ? { url: Redacted.make(postgres) } : postgres)

const clusterLayer = (
  role: "runner" | "client"
): Layer.Layer<Cluster, never, Sharding.Sharding | WorkflowEngine.WorkflowEngine> =>
  Layer.effect(Cluster)(Effect.map(makeRemote, (remote) => Cluster.of({ role, remote })))

/** The definitions by name; one name, one definition (a bug in the caller otherwise). */
const definitionsByName = (caller: string, tasks: ReadonlyArray<AnyTaskDefinition>) => {
  if (!Array.isArray(tasks)) {
    throw new asyncio.TypeError({
      message: `${caller}(): tasks must be an array of task definitions, got ${describe(tasks)}`
    })
  }
  const byName = new Map<string, AnyTaskDefinition>()
  for (const task of tasks) {
    const existing = byName.get(task.name)
    if (existing !== undefined && existing !== task) {
      throw new asyncio.ValueError({
        message: `${caller}(): two definitions are named ${JSON.stringify(task.name)}`
      })
    }
    byName.set(task.name, task)
  }
  return byName
}

/**
 * Serves `tasks` and the workflows of durable tasks on top of a built `Sharding` and engine,
 * and gives the `Cluster` service on them.
 */
const runnerOn = <Tasks extends AnyTaskDefinition>(
  caller: string,
  tasks: ReadonlyArray<Tasks>
): Layer.Layer<Cluster, never, Sharding.Sharding | WorkflowEngine.WorkflowEngine | TaskServices<Tasks>> =>
  Layer.merge(serveLayer<TaskServices<Tasks>>(definitionsByName(caller, tasks)), clusterLayer("runner"))

/**
 * A runner process: it joins the cluster whose state is in `postgres`, listens on `port` for
 * the other runners and the clients, takes its share of the shards, and runs the calls of
 * `tasks` that land on them (and the durable ones' workflows). It can call tasks itself too
 * (`remote` in a handler or beside them). The handlers' requirements are the layer's.
 *
 * Closing the layer hands its shards to the other runners: the calls it was running are
 * interrupted and run again elsewhere (a call is stored before it runs).
 *
 * @example
 * ```ts
 * import { Effect, Layer, Schema } from "effect"
 * import * as cluster from "@effect-asyncio/cluster"
 *
 * const Double = cluster.defineTask({
 *   name: "docs/layers/double",
 *   payload: Schema.Number,
 *   success: Schema.Number,
 *   handler: (n) => Effect.succeed(n * 2)
 * })
 *
 * // a runner process: `Layer.launch(runner)` keeps it serving until it is stopped
 * const runner = cluster.layerRunner({
 *   tasks: [Double],
 *   postgres: "postgres://postgres@127.0.0.1:54329/fleet",
 *   port: 34431
 * })
 * console.log(Layer.isLayer(runner)) // true
 * ```
 * @since 0.2.0
 * @category layers
 */
export const layerRunner = <Tasks extends AnyTaskDefinition>(
  options: RunnerOptions<Tasks>
): Layer.Layer<Cluster, LayerError, TaskServices<Tasks>> => {
  const sharding: ShardingOptions = {
    ...options.sharding,
    runnerAddress: Option.some(RunnerAddress.make(options.host ?? "localhost", options.port))
  }
  const cluster = NodeClusterSocket.layer({ storage: "sql", shardingConfig: sharding })
  const engine = ClusterWorkflowEngine.layer.pipe(Layer.provideMerge(cluster))
  return runnerOn("layerRunner", options.tasks).pipe(
    Layer.provide(engine),
    Layer.provide(sqlLayer(options.postgres))
  )
}

/**
 * A client process: it calls tasks on the cluster whose state is in `postgres`, and serves
 * none (it takes no shards). It reaches the runners at the addresses they registered there.
 *
 * @example
 * ```ts
 * import { Layer } from "effect"
 * import * as cluster from "@effect-asyncio/cluster"
 *
 * const client = cluster.layerClient({ postgres: "postgres://postgres@127.0.0.1:54329/fleet" })
 * console.log(Layer.isLayer(client)) // true
 * ```
 * @since 0.2.0
 * @category layers
 */
export const layerClient = (options: ClientOptions): Layer.Layer<Cluster, LayerError> => {
  const cluster = NodeClusterSocket.layer({
    storage: "sql",
    clientOnly: true,
    ...(options.sharding === undefined ? {} : { shardingConfig: options.sharding })
  })
  const engine = ClusterWorkflowEngine.layer.pipe(Layer.provideMerge(cluster))
  return clusterLayer("client").pipe(Layer.provide(engine), Layer.provide(sqlLayer(options.postgres)))
}

/**
 * A cluster of one process in memory (`effect/cluster`'s `TestRunner`): messages and replies
 * in memory, no server, no PostgreSQL. Calls still go through the cluster's entity, their
 * payloads, results and errors through their Schemas (as if serialized), and durable tasks
 * through the workflow engine. For unit tests and examples.
 *
 * @example
 * ```ts
 * import { Effect, Schema } from "effect"
 * import * as asyncio from "@effect-asyncio/core"
 * import * as cluster from "@effect-asyncio/cluster"
 *
 * const Shout = cluster.defineTask({
 *   name: "docs/layers/shout",
 *   payload: Schema.String,
 *   success: Schema.String,
 *   handler: (text) => Effect.succeed(text.toUpperCase())
 * })
 *
 * const main = asyncio.gather(cluster.remote(Shout, "a"), cluster.remote(Shout, "b"))
 * Effect.runPromise(asyncio.runEffect(main).pipe(Effect.provide(cluster.layerTest({ tasks: [Shout] }))))
 *   .then(console.log) // ["A", "B"]
 * ```
 * @since 0.2.0
 * @category layers
 */
export const layerTest = <Tasks extends AnyTaskDefinition>(options: {
  readonly tasks: ReadonlyArray<Tasks>
}): Layer.Layer<Cluster, never, TaskServices<Tasks>> => {
  const engine = ClusterWorkflowEngine.layer.pipe(Layer.provideMerge(TestRunner.layer))
  return runnerOn("layerTest", options.tasks).pipe(Layer.provide(engine))
}
