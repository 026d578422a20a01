/**
 * How a call travels: one `effect/cluster` entity type serves every task definition, by name.
 *
 * A call is the entity's one RPC, `Run { task, payload }`, persisted in the cluster's message
 * storage (so a runner that dies leaves it to the next owner of its shard); the payload, the
 * success and the error are JSON values encoded with the definition's own Schemas, so the RPC's
 * schemas do not depend on which definitions a process has. A durable call is the workflow
 * `effect-asyncio/DurableTask`, whose one activity runs the same handler.
 *
 * One entity type instead of one per definition: a runner can then answer a name it does not
 * serve with a typed `TaskNotRegistered` at once, where an entity type nobody registered would
 * leave the message waiting for its registration (a defect after `entityRegistrationTimeout`).
 */
import { Cause, type Context, Effect, Layer, Schema } from "effect"
import { ClusterSchema, Entity, type Sharding } from "effect/cluster"
import { Rpc } from "effect/rpc"
import { Activity, Workflow, type WorkflowEngine } from "effect/workflow"
import type { AnyTaskDefinition } from "../definitions.js"
import { PayloadError, TaskNotRegistered } from "../errors.js"

/** The handler failed with an error of its definition's error Schema, encoded as JSON. */
export class TaskFailed extends Schema.TaggedError<TaskFailed>()("effect-asyncio/cluster/TaskFailed", {
  task: Schema.String,
  error: Schema.Json
}) {}

/** What a `Run` can fail with on the runner's side. */
export const RunError = Schema.Union([TaskFailed, TaskNotRegistered, PayloadError])
export type RunError = typeof RunError.Type

const RunPayload = { task: Schema.String, payload: Schema.Json }

export const Run = Rpc.make("Run", {
  payload: RunPayload,
  success: Schema.Json,
  error: RunError
}).annotate(ClusterSchema.Persisted, true)

/** The entity every runner registers; its ids only spread calls over the shards. */
export const TaskEntity = Entity.make("effect-asyncio/Task", [Run])

/**
 * A durable call. Its execution id is derived from `task` and `key` (the caller's, or a fresh
 * one per call), so a caller that comes back with the same key joins the same execution.
 */
export const DurableTask = Workflow.make("effect-asyncio/DurableTask", {
  payload: { key: Schema.String, ...RunPayload },
  success: Schema.Json,
  error: RunError,
  idempotencyKey: ({ task, key }) => `${task.length}:${task}:${key}`
})

type Encode = (value: unknown) => Effect.Effect<Schema.Json, Schema.SchemaError>
type Decode = (json: unknown) => Effect.Effect<unknown, Schema.SchemaError>

/** A definition's Schemas as JSON codecs, made once per definition. */
interface Codecs {
  readonly encodePayload: Encode
  readonly decodePayload: Decode
  readonly encodeSuccess: Encode
  readonly decodeSuccess: Decode
  readonly encodeError: Encode
  readonly decodeError: Decode
}

const codecCache = new WeakMap<AnyTaskDefinition, Codecs>()

const jsonCodec = (
  schema: AnyTaskDefinition["payload"]
): { readonly encode: Encode; readonly decode: Decode } => {
  const codec = Schema.toCodecJson(schema)
  // the JSON codec's encoded side is JSON by construction
  const encode = Schema.encodeUnknownEffect(codec) as Encode
  return { encode, decode: Schema.decodeUnknownEffect(codec) }
}

export const codecsOf = (definition: AnyTaskDefinition): Codecs => {
  let codecs = codecCache.get(definition)
  if (codecs === undefined) {
    const payload = jsonCodec(definition.payload)
    const success = jsonCodec(definition.success)
    const error = jsonCodec(definition.error)
    codecs = {
      encodePayload: payload.encode,
      decodePayload: payload.decode,
      encodeSuccess: success.encode,
      decodeSuccess: success.decode,
      encodeError: error.encode,
      decodeError: error.decode
    }
    codecCache.set(definition, codecs)
  }
  return codecs
}

/** A payload Schema's complaint, as a `PayloadError` of the task. */
export const payloadError = (task: string, error: Schema.SchemaError): PayloadError =>
  new PayloadError({
    task,
    message: `payload of task ${JSON.stringify(task)} does not match its Schema: ${error.message}`
  })

/** What one runner serves, by name, and the context its handlers run in. */
export interface Served {
  readonly definitions: ReadonlyMap<string, AnyTaskDefinition>
  readonly context: Context.Context<never>
}

/**
 * Runs the task `task` on a JSON payload, on the runner: decode, handle, encode. A failure of
 * the handler with its typed error becomes `TaskFailed`; a defect or an interruption stays one
 * (the cluster carries both back to the caller).
 */
export const runEncoded = (
  served: Served,
  task: string,
  payload: Schema.Json
): Effect.Effect<Schema.Json, RunError> => {
  const definition = served.definitions.get(task)
  if (definition === undefined) {
    return Effect.fail(
      new TaskNotRegistered({
        task,
        message: `no task named ${JSON.stringify(task)} is registered on this runner`
      })
    )
  }
  const codecs = codecsOf(definition)
  const handled: Effect.Effect<Schema.Json, RunError, unknown> = codecs.decodePayload(payload).pipe(
    Effect.mapError((error) => payloadError(task, error)),
    Effect.flatMap((decoded) =>
      // the payload was decoded by the definition's own Schema: it is the handler's argument type
      Effect.matchCauseEffect(
        Effect.suspend(() => definition.handler(decoded as never)),
        {
          onSuccess: (value) => Effect.orDie(codecs.encodeSuccess(value)),
          onFailure: (cause) => {
            // only the handler's typed errors travel as TaskFailed; defects and interruptions as themselves
            const failure = cause.reasons.find(Cause.isFailReason)
            if (failure === undefined) return Effect.failCause(cause as Cause.Cause<never>)
            return Effect.flatMap(Effect.orDie(codecs.encodeError(failure.error)), (error) =>
              Effect.fail(new TaskFailed({ task, error }))
            )
          }
        }
      )
    )
  )
  // the served context holds what every served handler requires (layerRunner's type says so)
  return Effect.provideContext(handled, served.context as Context.Context<unknown>)
}

/**
 * A runner's handlers for `definitions`: the entity, and the durable workflow (registered on
 * every runner, whether or not a definition is durable, so that any runner can own any shard).
 */
export const serveLayer = <R>(
  definitions: ReadonlyMap<string, AnyTaskDefinition>
): Layer.Layer<never, never, Sharding.Sharding | WorkflowEngine.WorkflowEngine | R> =>
  Layer.unwrap(
    Effect.map(Effect.context<R>(), (context) => {
      const served: Served = { definitions, context: context as Context.Context<never> }
      const entity = TaskEntity.toLayer(
        TaskEntity.of({ Run: ({ payload }) => runEncoded(served, payload.task, payload.payload) }),
        // a defect is the call's result, not a reason to restart the entity (and replay every call on it)
        { concurrency: "unbounded", disableFatalDefects: true, mailboxCapacity: "unbounded" }
      )
      const workflow = DurableTask.toLayer(({ task, payload }) =>
        Activity.make({
          name: task,
          success: Schema.Json,
          error: RunError,
          execute: runEncoded(served, task, payload)
        })
      )
      return Layer.mergeAll(entity, workflow)
    })
  )
