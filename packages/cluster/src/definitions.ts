/**
 * Task definitions: what a runner can run for a caller in another process.
 *
 * A closure cannot cross a process, so a remote task is named: `defineTask` is called once, at
 * the top level of a module that every runner and every client imports, and its `name` is what
 * travels (with the payload, encoded by its Schema). The runner finds the handler by that name in
 * the definitions it serves. Defining one name twice in a process is refused.
 *
 * @since 0.2.0
 */
import * as asyncio from "@effect-asyncio/core"
import { type Effect, Schema } from "effect"
import { describe } from "./internal/describe.js"

/**
 * A Schema a task's payload, success or error travel with: one that needs no services to
 * decode or encode (every `effect` Schema built from plain fields, classes and tagged errors).
 *
 * @example
 * ```ts
 * import { Schema } from "effect"
 * import type * as cluster from "@effect-asyncio/cluster"
 *
 * const payload: cluster.TaskSchema = Schema.Struct({ url: Schema.String, retries: Schema.Int })
 * console.log(Schema.isSchema(payload)) // true
 * ```
 * @since 0.2.0
 * @category definitions
 */
export type TaskSchema = Schema.Codec<unknown, unknown, never, never>

/**
 * A remote task's definition: its name, the Schemas of its payload, success and error, and the
 * handler a runner runs. Created by {@link defineTask}; given to `remote` by callers and to
 * `layerRunner` by runners.
 *
 * @example
 * ```ts
 * import { Effect, Schema } from "effect"
 * import * as cluster from "@effect-asyncio/cluster"
 *
 * const Greet: cluster.TaskDefinition<typeof Schema.String, typeof Schema.String> = cluster.defineTask({
 *   name: "docs/definitions/greet",
 *   payload: Schema.String,
 *   success: Schema.String,
 *   handler: (name) => Effect.succeed(`hello ${name}`)
 * })
 * console.log(Greet.name, Greet.durable) // docs/definitions/greet false
 * ```
 * @since 0.2.0
 * @category definitions
 */
export interface TaskDefinition<
  Payload extends TaskSchema = typeof Schema.Void,
  Success extends TaskSchema = typeof Schema.Void,
  Error extends TaskSchema = typeof Schema.Never,
  R = never
> {
  /** The name every process knows the task by. */
  readonly name: string
  readonly payload: Payload
  readonly success: Success
  readonly error: Error
  /** Whether a call runs as an `effect/workflow` activity (see the README's semantics). */
  readonly durable: boolean
  /** What a runner runs for a call; it must not rely on memory shared with the caller. */
  readonly handler: (payload: Payload["Type"]) => Effect.Effect<Success["Type"], Error["Type"], R>
}

/**
 * Any task definition, whatever its Schemas and requirements.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import * as cluster from "@effect-asyncio/cluster"
 *
 * const tasks: ReadonlyArray<cluster.AnyTaskDefinition> = [
 *   cluster.defineTask({ name: "docs/definitions/noop", handler: () => Effect.void })
 * ]
 * console.log(tasks.length) // 1
 * ```
 * @since 0.2.0
 * @category definitions
 */
export interface AnyTaskDefinition {
  readonly name: string
  readonly payload: TaskSchema
  readonly success: TaskSchema
  readonly error: TaskSchema
  readonly durable: boolean
  // the handler's argument is the payload's Type: a method keeps it bivariant here
  handler(payload: never): Effect.Effect<unknown, unknown, unknown>
}

/**
 * What a list of definitions needs from the runner that serves them: the union of their
 * handlers' requirements.
 *
 * @example
 * ```ts
 * import { Context, Effect, Layer } from "effect"
 * import * as cluster from "@effect-asyncio/cluster"
 *
 * class Db extends Context.Service<Db, { readonly url: string }>()("docs/Db") {}
 * const Query = cluster.defineTask({ name: "docs/definitions/query", handler: () => Effect.asVoid(Db) })
 *
 * // a runner that serves Query needs a Db: the layer says so in its requirements
 * const runner: Layer.Layer<cluster.Cluster, never, cluster.TaskServices<typeof Query>> = cluster.layerTest({
 *   tasks: [Query]
 * })
 * const served = runner.pipe(Layer.provide(Layer.succeed(Db, Db.of({ url: "postgres://" }))))
 * console.log(Layer.isLayer(served)) // true
 * ```
 * @since 0.2.0
 * @category definitions
 */
export type TaskServices<T extends AnyTaskDefinition> = T extends {
  handler(payload: never): Effect.Effect<unknown, unknown, infer R>
}
  ? R
  : never

/** The definitions of this process, by name: one name, one definition. */
const definitions = new Map<string, AnyTaskDefinition>()

const TypeId: unique symbol = Symbol.for("@effect-asyncio/cluster/TaskDefinition")

/**
 * Whether `value` was made by {@link defineTask}.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import * as cluster from "@effect-asyncio/cluster"
 *
 * const Ping = cluster.defineTask({ name: "docs/definitions/ping", handler: () => Effect.void })
 * console.log(cluster.isTaskDefinition(Ping), cluster.isTaskDefinition({ name: "ping" })) // true false
 * ```
 * @since 0.2.0
 * @category definitions
 */
export const isTaskDefinition = (value: unknown): value is AnyTaskDefinition =>
  typeof value === "object" && value !== null && TypeId in value

/**
 * Defines a remote task, once, at the top level of a module every runner and client imports.
 *
 * `name` identifies the task across processes, so it must be unique in the cluster (a second
 * definition of the same name in one process throws `ValueError`). `payload`, `success` and
 * `error` are the Schemas the values travel with (defaults: `Schema.Void`, `Schema.Void`,
 * `Schema.Never`); typed errors must be Schema classes (`Schema.TaggedError`) to come back as
 * the same class. `durable: true` runs each call as an `effect/workflow` activity: see the
 * README for what that promises (at-least-once, idempotent handlers, replay).
 *
 * Bad options throw the core's `TypeError` / `ValueError` naming the option.
 *
 * @example
 * ```ts
 * import { Effect, Schema } from "effect"
 * import * as asyncio from "@effect-asyncio/core"
 * import * as cluster from "@effect-asyncio/cluster"
 *
 * class Negative extends Schema.TaggedError<Negative>()("Negative", { n: Schema.Number }) {}
 *
 * export const Sqrt = cluster.defineTask({
 *   name: "docs/definitions/sqrt",
 *   payload: Schema.Number,
 *   success: Schema.Number,
 *   error: Negative,
 *   handler: (n) => (n < 0 ? Effect.fail(new Negative({ n })) : Effect.succeed(Math.sqrt(n)))
 * })
 *
 * const main = asyncio.gather(cluster.remote(Sqrt, 16), cluster.remote(Sqrt, 81))
 * Effect.runPromise(asyncio.runEffect(main).pipe(Effect.provide(cluster.layerTest({ tasks: [Sqrt] }))))
 *   .then(console.log) // [4, 9]
 * ```
 * @since 0.2.0
 * @category definitions
 */
export const defineTask = <
  Payload extends TaskSchema = typeof Schema.Void,
  Success extends TaskSchema = typeof Schema.Void,
  Error extends TaskSchema = typeof Schema.Never,
  R = never
>(options: {
  readonly name: string
  readonly payload?: Payload | undefined
  readonly success?: Success | undefined
  readonly error?: Error | undefined
  readonly durable?: boolean | undefined
  readonly handler: (payload: Payload["Type"]) => Effect.Effect<Success["Type"], Error["Type"], R>
}): TaskDefinition<Payload, Success, Error, R> => {
  if (typeof options !== "object" || options === null) {
    throw new asyncio.TypeError({
      message: `defineTask() expects an options object, got ${describe(options)}`
    })
  }
  const { name, handler } = options
  if (typeof name !== "string") {
    throw new asyncio.TypeError({ message: `defineTask(): name must be a string, got ${describe(name)}` })
  }
  if (name.length === 0) throw new asyncio.ValueError({ message: "defineTask(): name must not be empty" })
  if (typeof handler !== "function") {
    throw new asyncio.TypeError({
      message: `defineTask(${JSON.stringify(name)}): handler must be a function, got ${describe(handler)}`
    })
  }
  const schemaOption = <S extends TaskSchema>(key: string, value: S | undefined, fallback: TaskSchema): S => {
    if (value === undefined) return fallback as S
    if (!Schema.isSchema(value)) {
      throw new asyncio.TypeError({
        message: `defineTask(${JSON.stringify(name)}): ${key} must be a Schema, got ${describe(value)}`
      })
    }
    return value
  }
  const payload = schemaOption("payload", options.payload, Schema.Void)
  const success = schemaOption("success", options.success, Schema.Void)
  const error = schemaOption("error", options.error, Schema.Never)
  const durable = options.durable ?? false
  if (typeof durable !== "boolean") {
    throw new asyncio.TypeError({
      message: `defineTask(${JSON.stringify(name)}): durable must be a boolean, got ${describe(durable)}`
    })
  }
  if (definitions.has(name)) {
    throw new asyncio.ValueError({
      message: `defineTask(): a task named ${JSON.stringify(name)} is already defined in this process`
    })
  }
  const definition: TaskDefinition<Payload, Success, Error, R> & { readonly [TypeId]: true } = {
    [TypeId]: true,
    name,
    payload,
    success,
    error,
    durable,
    handler
  }
  definitions.set(name, definition)
  return definition
}
