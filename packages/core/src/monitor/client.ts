/**
 * The CLI's side of the monitor socket: connects to the monitor of process `pid` (an Effect
 * `Socket` over `NodeSocket.makeNet`), sends requests, and matches each answer to its request.
 */
import * as fs from "node:fs"
import * as NodeSocket from "@effect/platform-node/NodeSocket"
import { Deferred, Effect, Exit, Schema, type Scope } from "effect"
import {
  CancelResult,
  forEachLine,
  GraphNode,
  PROTOCOL_VERSION,
  Response,
  Snapshot,
  socketPath,
  WhereResult
} from "./protocol.js"

/** Why the CLI cannot do what it was asked: what, and which process. */
export class MonitorError extends Schema.TaggedError<MonitorError>()("MonitorError", {
  message: Schema.String
}) {}

export interface MonitorClient {
  readonly pid: number
  readonly ps: Effect.Effect<Snapshot, MonitorError>
  readonly graph: (task: number) => Effect.Effect<GraphNode, MonitorError>
  readonly where: (task: number) => Effect.Effect<string, MonitorError>
  readonly cancel: (task: number, message?: string) => Effect.Effect<boolean | "queued", MonitorError>
}

const decodeResponse = Schema.decodeUnknownExit(Response)

/** Is there such a process, and can this user signal it (the socket's permission follows). */
const checkProcess = (pid: number): MonitorError | undefined => {
  try {
    process.kill(pid, 0)
    return undefined
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === "EPERM") {
      return new MonitorError({
        message: `process ${pid} belongs to another user: its monitor is not yours to open`
      })
    }
    return new MonitorError({ message: `no such process: ${pid}` })
  }
}

/** Connects to the monitor of `pid` for the scope's lifetime. */
export const connect = (pid: number): Effect.Effect<MonitorClient, MonitorError, Scope.Scope> =>
  Effect.gen(function* () {
    if (!Number.isSafeInteger(pid) || pid <= 0) {
      return yield* new MonitorError({ message: `not a process id: ${pid}` })
    }
    const missing = checkProcess(pid)
    if (missing !== undefined) return yield* missing
    const path = socketPath(pid)
    if (!fs.existsSync(path)) {
      return yield* new MonitorError({
        message:
          `process ${pid} has no effect-asyncio monitor (no socket ${path}): start the program with ` +
          "run(main, { monitor: true }) or EFFECT_ASYNCIO_MONITOR=1"
      })
    }
    const socket = yield* NodeSocket.makeNet({ path, openTimeout: "2 seconds" })
    const fail = (cause: unknown) =>
      new MonitorError({
        message: `cannot talk to the monitor of process ${pid} (${path}): ${describe(cause)}`
      })
    const reader = yield* Effect.mapError(socket.reader, fail)
    const writer = yield* socket.writer
    const waiting = new Map<number, Deferred.Deferred<unknown, MonitorError>>()
    let closed: MonitorError | undefined
    const failAll = (error: MonitorError) => {
      closed = error
      for (const deferred of waiting.values()) Deferred.doneUnsafe(deferred, Exit.fail(error))
      waiting.clear()
    }
    // the reader: each line answers the request with its id
    yield* Effect.forkScoped(
      forEachLine(reader, (line) =>
        Effect.sync(() => {
          let parsed: unknown
          try {
            parsed = JSON.parse(line)
          } catch {
            return
          }
          const decoded = decodeResponse(parsed)
          if (Exit.isFailure(decoded)) return
          const response = decoded.value
          const deferred = waiting.get(response.id)
          if (deferred === undefined) return
          waiting.delete(response.id)
          Deferred.doneUnsafe(
            deferred,
            response.ok
              ? Exit.succeed(response.result)
              : Exit.fail(new MonitorError({ message: response.error }))
          )
        })
      ).pipe(
        Effect.catchCause(() =>
          Effect.sync(() =>
            failAll(new MonitorError({ message: `the monitor of process ${pid} closed the connection` }))
          )
        )
      )
    )
    let nextId = 0
    const request = <S extends Schema.Top>(
      schema: S,
      message: Record<string, unknown>
    ): Effect.Effect<S["Type"], MonitorError> =>
      Effect.gen(function* () {
        if (closed !== undefined) return yield* closed
        nextId += 1
        const id = nextId
        const deferred = Deferred.makeUnsafe<unknown, MonitorError>()
        waiting.set(id, deferred)
        yield* Effect.mapError(writer.write(`${JSON.stringify({ id, ...message })}\n`), fail)
        const result = yield* Deferred.await(deferred)
        return yield* Effect.mapError(
          Schema.decodeUnknownEffect(schema as never)(result) as Effect.Effect<S["Type"], unknown>,
          (error) =>
            new MonitorError({
              message: `the monitor of process ${pid} answered what this CLI cannot read (protocol ${PROTOCOL_VERSION}): ${describe(error)}`
            })
        )
      })
    const ps = Effect.flatMap(request(Snapshot, { method: "ps" }), (snapshot) =>
      snapshot.version === PROTOCOL_VERSION
        ? Effect.succeed(snapshot)
        : Effect.fail(
            new MonitorError({
              message: `the monitor of process ${pid} speaks protocol ${snapshot.version}, this CLI ${PROTOCOL_VERSION}: use the CLI of the program's own effect-asyncio`
            })
          )
    )
    return {
      pid,
      ps,
      graph: (task) => request(GraphNode, { method: "graph", task }),
      where: (task) => Effect.map(request(WhereResult, { method: "where", task }), (result) => result.text),
      cancel: (task, message) =>
        Effect.map(
          request(CancelResult, { method: "cancel", task, ...(message === undefined ? {} : { message }) }),
          (result) => result.cancelled
        )
    } satisfies MonitorClient
  }).pipe(
    Effect.catchIf(
      (error): error is Exclude<typeof error, MonitorError> => !(error instanceof MonitorError),
      (error) =>
        Effect.fail(
          new MonitorError({ message: `cannot connect to the monitor of process ${pid}: ${describe(error)}` })
        )
    )
  )

const describe = (error: unknown): string => {
  if (typeof error === "object" && error !== null) {
    const cause =
      (error as { reason?: { cause?: unknown }; cause?: unknown }).reason?.cause ??
      (error as { cause?: unknown }).cause
    if (cause instanceof Error) return cause.message
    if (error instanceof Error) return error.message
  }
  return String(error)
}
