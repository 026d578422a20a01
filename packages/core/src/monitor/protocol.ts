/**
 * The monitor's wire protocol: JSON lines over the process's Unix domain socket.
 *
 * Each line the client sends is one request, `{"id": 1, "method": "ps"}`; each line the server
 * sends back answers one, `{"id": 1, "ok": true, "result": ...}` or `{"id": 1, "ok": false,
 * "error": "no task 0x7"}`, in the order the requests came. Both sides decode what they read with
 * the schemas below (the server trusts nothing it reads; the client checks that it talks to a
 * monitor of the same protocol version). A person can speak it too:
 * `echo '{"id":1,"method":"ps"}' | nc -U /tmp/effect-asyncio-1234.sock`.
 *
 * Methods: `ps` (a `Snapshot`: every pending task, and the tasks done lately for the timeline),
 * `graph` (the call graph of one task), `where` (that graph in CPython's layout), `cancel` (asks
 * the task to cancel, from a callback of its loop).
 */
import * as os from "node:os"
import * as path from "node:path"
import { Effect, Schema } from "effect"

/** Bumped when a message changes shape: a client refuses a server of another version. */
export const PROTOCOL_VERSION = 1

/** Where the monitor of process `pid` listens: `<tmpdir>/effect-asyncio-<pid>.sock`. */
export const socketPath = (pid: number): string => path.join(os.tmpdir(), `effect-asyncio-${pid}.sock`)

/** One entry of a task's call stack (`Effect.fn` / span names; see graph.ts). */
export const Frame = Schema.Struct({
  name: Schema.String,
  file: Schema.optionalKey(Schema.String),
  line: Schema.optionalKey(Schema.Number)
})
export type Frame = typeof Frame.Type

/** `pending`, `cancelling` (a cancel was requested), or how it ended. */
export const TaskState = Schema.Literals(["pending", "cancelling", "ok", "failed", "cancelled"])
export type TaskState = typeof TaskState.Type

/** One task, as `ps`, `pstree`, the console and the page show it. */
export const TaskInfo = Schema.Struct({
  /** the loop's number in this process (1, 2... in the order monitored loops were made) */
  loop: Schema.Number,
  /** `futureId(task)` */
  id: Schema.Number,
  name: Schema.String,
  state: TaskState,
  /** what a pending task waits on (`Event.wait()`, `task 'worker'`...) */
  waitsOn: Schema.optionalKey(Schema.String),
  /** the ids of the tasks that await it (3.14's awaited-by links) */
  awaitedBy: Schema.Array(Schema.Number),
  /** the id of the task that created it */
  parent: Schema.optionalKey(Schema.Number),
  callStack: Schema.Array(Frame),
  /** where `createTask` was called, in debug mode */
  createdAt: Schema.optionalKey(Schema.String),
  /** loop time (seconds) when it was created, and when it was done */
  started: Schema.optionalKey(Schema.Number),
  ended: Schema.optionalKey(Schema.Number),
  /** a failed task's exception, a cancelled task's message */
  detail: Schema.optionalKey(Schema.String)
})
export type TaskInfo = typeof TaskInfo.Type

/** A monitored loop: its number, its clock now, its debug mode. */
export const LoopInfo = Schema.Struct({
  loop: Schema.Number,
  now: Schema.Number,
  debug: Schema.Boolean,
  running: Schema.Boolean
})
export type LoopInfo = typeof LoopInfo.Type

/** The answer to `ps`: the process, its loops, its pending tasks, then those done lately. */
export const Snapshot = Schema.Struct({
  version: Schema.Number,
  pid: Schema.Number,
  title: Schema.String,
  loops: Schema.Array(LoopInfo),
  tasks: Schema.Array(TaskInfo)
})
export type Snapshot = typeof Snapshot.Type

/** A call graph node (graph.ts's `FutureCallGraph`, by id). */
export interface GraphNode {
  readonly id: number
  readonly kind: "Task" | "Future"
  readonly name?: string | undefined
  readonly waitsOn?: string | undefined
  readonly callStack: ReadonlyArray<Frame>
  readonly awaitedBy: ReadonlyArray<GraphNode>
}
export const GraphNode: Schema.Codec<GraphNode> = Schema.Struct({
  id: Schema.Number,
  kind: Schema.Literals(["Task", "Future"]),
  name: Schema.optional(Schema.String),
  waitsOn: Schema.optional(Schema.String),
  callStack: Schema.Array(Frame),
  awaitedBy: Schema.Array(Schema.suspend((): Schema.Codec<GraphNode> => GraphNode))
})

export const Request = Schema.Union([
  Schema.Struct({ id: Schema.Number, method: Schema.Literal("ps") }),
  Schema.Struct({ id: Schema.Number, method: Schema.Literal("graph"), task: Schema.Number }),
  Schema.Struct({ id: Schema.Number, method: Schema.Literal("where"), task: Schema.Number }),
  Schema.Struct({
    id: Schema.Number,
    method: Schema.Literal("cancel"),
    task: Schema.Number,
    message: Schema.optionalKey(Schema.String)
  })
])
export type Request = typeof Request.Type

/** What each method answers with. */
export const CancelResult = Schema.Struct({
  /** `task.cancel()`'s answer (false: the task was done), or `queued` when the loop is not running */
  cancelled: Schema.Union([Schema.Boolean, Schema.Literal("queued")])
})
export const WhereResult = Schema.Struct({ text: Schema.String })

export const Response = Schema.Union([
  Schema.Struct({ id: Schema.Number, ok: Schema.Literal(true), result: Schema.Unknown }),
  Schema.Struct({ id: Schema.Number, ok: Schema.Literal(false), error: Schema.String })
])
export type Response = typeof Response.Type

/** A task id as ps prints it and as a person types it: `0x1f`, or decimal. */
export const formatId = (id: number): string => `0x${id.toString(16)}`

export const parseId = (text: string): number | undefined => {
  const trimmed = text.trim()
  const value = /^0x[0-9a-f]+$/i.test(trimmed)
    ? Number.parseInt(trimmed.slice(2), 16)
    : /^\d+$/.test(trimmed)
      ? Number(trimmed)
      : Number.NaN
  return Number.isSafeInteger(value) ? value : undefined
}

/**
 * The framing of the socket's JSON lines, for both ends: `onLine` gets each non-empty line that
 * `reader` delivers, in order, until the reader fails.
 */
export const forEachLine = <E1, E2, R>(
  reader: { readonly pull: Effect.Effect<ReadonlyArray<string | Uint8Array>, E1> },
  onLine: (line: string) => Effect.Effect<void, E2, R>
): Effect.Effect<never, E1 | E2, R> =>
  Effect.gen(function* () {
    const decoder = new TextDecoder()
    let buffered = ""
    while (true) {
      const chunks = yield* reader.pull
      for (const chunk of chunks)
        buffered += typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: true })
      let newline = buffered.indexOf("\n")
      while (newline >= 0) {
        const line = buffered.slice(0, newline).trim()
        buffered = buffered.slice(newline + 1)
        newline = buffered.indexOf("\n")
        if (line !== "") yield* onLine(line)
      }
    }
  })
