/**
 * The caller's side of a remote call: check the arguments, encode the payload with its Schema
 * (nothing is sent when that fails), send it as the entity's `Run` (or execute the durable
 * workflow), decode the result or the typed error into the definition's classes.
 *
 * The same for runners, clients and the in-memory test cluster: only the `Sharding` below differs.
 */
import * as asyncio from "@effect-asyncio/core"
import { Cause, Effect, type Schema } from "effect"
import type { Sharding } from "effect/cluster"
import type { WorkflowEngine } from "effect/workflow"
import { isTaskDefinition, type TaskDefinition, type TaskSchema } from "../definitions.js"
import { ClusterError, type PayloadError, type TaskNotRegistered } from "../errors.js"
import { describe } from "./describe.js"
import { codecsOf, DurableTask, payloadError, type RunError, TaskEntity } from "./protocol.js"

/** The options `remote` takes (its public type is `RemoteOptions`). */
export interface CallOptions {
  readonly key?: string | undefined
}

export type RemoteCall = <
  Payload extends TaskSchema,
  Success extends TaskSchema,
  Error extends TaskSchema,
  R
>(
  definition: TaskDefinition<Payload, Success, Error, R>,
  payload: Payload["Type"],
  options?: CallOptions
) => Effect.Effect<Success["Type"], Error["Type"] | PayloadError | TaskNotRegistered | ClusterError>

/**
 * How many entity ids one process spreads its calls over. Each id hashes to a shard, and the
 * shards are spread over the runners, so 256 ids reach every runner of a small fleet; an entity
 * runs its calls concurrently (`concurrency: "unbounded"`), so an id is no queue.
 */
const ENTITY_IDS = 256

type ShardingError = { readonly _tag: ClusterError["reason"] }

const clusterError = (error: ShardingError): ClusterError =>
  new ClusterError({ reason: error._tag, message: clusterMessages[error._tag] })

const clusterMessages: Record<ClusterError["reason"], string> = {
  PersistenceError: "the cluster's message storage could not store the call (is PostgreSQL reachable?)",
  MailboxFull: "the entity that takes the call has a full mailbox",
  EntityNotAssignedToRunner: "no runner owns the shard of the call",
  AlreadyProcessingMessage: "the call is already being processed"
}

const isPersistenceError = (defect: unknown): boolean =>
  typeof defect === "object" && defect !== null && "_tag" in defect && defect._tag === "PersistenceError"

export const makeRemote: Effect.Effect<RemoteCall, never, Sharding.Sharding | WorkflowEngine.WorkflowEngine> =
  Effect.gen(function* () {
    const clientFor = yield* TaskEntity.client
    const services = yield* Effect.context<WorkflowEngine.WorkflowEngine>()
    // calls spread over the entity ids round-robin, from a random start per process
    let next = Math.floor(Math.random() * ENTITY_IDS)

    const call = (
      task: string,
      payload: Schema.Json
    ): Effect.Effect<Schema.Json, RunError | ClusterError> => {
      next = (next + 1) % ENTITY_IDS
      return clientFor(`calls-${next}`)
        .Run({ task, payload })
        .pipe(
          Effect.catchTags({
            PersistenceError: clusterError,
            MailboxFull: clusterError,
            EntityNotAssignedToRunner: clusterError,
            AlreadyProcessingMessage: clusterError
          }),
          Effect.catchTag("ClusterError", Effect.fail)
        )
    }

    // A durable run survives its caller, so the cluster does not interrupt it when the caller is
    // interrupted (the workflow's `run` RPC is uninterruptible for clients): a cancelled call
    // interrupts the execution through the engine instead (its durable interrupt signal).
    const callDurable = (
      task: string,
      key: string,
      payload: Schema.Json
    ): Effect.Effect<Schema.Json, RunError | ClusterError> =>
      Effect.flatMap(DurableTask.executionId({ task, key, payload }), (executionId) =>
        DurableTask.execute({ task, key, payload }).pipe(
          Effect.onInterrupt(() => DurableTask.interrupt(executionId))
        )
      ).pipe(
        // the engine dies on a storage failure (ClusterWorkflowEngine's execute is orDie): the
        // caller sees the same typed error as for a non-durable call
        Effect.catchCause((cause): Effect.Effect<never, RunError | ClusterError> => {
          const defect = cause.reasons.find(Cause.isDieReason)
          if (defect !== undefined && isPersistenceError(defect.defect)) {
            return Effect.fail(clusterError({ _tag: "PersistenceError" }))
          }
          return Effect.failCause(cause)
        }),
        Effect.provideContext(services)
      )

    const remote: RemoteCall = (definition, payload, options) =>
      Effect.suspend(() => {
        const refused = checkArguments(definition, options)
        if (refused !== undefined) return refused
        const task = definition.name
        const codecs = codecsOf(definition)
        return codecs.encodePayload(payload).pipe(
          // nothing has been sent: the payload is refused before it leaves this process
          Effect.mapError((error) => payloadError(task, error)),
          Effect.flatMap((json) =>
            definition.durable
              ? callDurable(task, options?.key ?? crypto.randomUUID(), json)
              : call(task, json)
          ),
          Effect.flatMap((json) => Effect.orDie(codecs.decodeSuccess(json))),
          Effect.catchTag("effect-asyncio/cluster/TaskFailed", (failed) =>
            // decoded by the definition's error Schema: one of its errors
            Effect.flatMap(Effect.orDie(codecs.decodeError(failed.error)), (error) =>
              Effect.fail(error as never)
            )
          )
        )
      })

    return remote
  })

/** `remote`'s argument checks: a bug in untyped code, so a defect with the core's classes. */
const checkArguments = (definition: unknown, options: unknown): Effect.Effect<never> | undefined => {
  if (!isTaskDefinition(definition)) {
    return Effect.die(
      new asyncio.TypeError({
        message: `remote(): definition must be a task definition made by defineTask(), got ${describe(definition)}`
      })
    )
  }
  if (options === undefined) return undefined
  if (typeof options !== "object" || options === null) {
    return Effect.die(
      new asyncio.TypeError({ message: `remote(): options must be an object, got ${describe(options)}` })
    )
  }
  const key: unknown = "key" in options ? options.key : undefined
  if (key === undefined) return undefined
  if (typeof key !== "string") {
    return Effect.die(
      new asyncio.TypeError({ message: `remote(): options.key must be a string, got ${describe(key)}` })
    )
  }
  if (!definition.durable) {
    return Effect.die(
      new asyncio.ValueError({
        message: `remote(): options.key is for durable tasks; ${JSON.stringify(definition.name)} is not durable`
      })
    )
  }
  if (key.length === 0) {
    return Effect.die(new asyncio.ValueError({ message: "remote(): options.key must not be empty" }))
  }
  return undefined
}
