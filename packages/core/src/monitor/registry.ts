/**
 * What the monitor knows of this process: the loops it watches, and for each a history of its
 * tasks (when each was created, when and how it ended), which the loop itself does not keep.
 *
 * A watched loop has a `TaskHistory` attached to its task registry (the only per-task cost of
 * the monitor: a record when a task is created, its end written when it is done; the last
 * `HISTORY_LIMIT` finished tasks are kept for the timeline). Everything else is read from the
 * live tasks when a client asks: names, states, what each waits on, awaited-by links, stacks.
 * Reads happen between the loop's turns (JavaScript runs one thing at a time); a cancel is a
 * callback queued on the task's loop, so it runs where asyncio's would, in the loop's order.
 */
import * as path from "node:path"
import { Context, Effect, Exit } from "effect"
import type { Future } from "../futures.js"
import { captureCallGraph, type FutureCallGraph, formatCallGraph } from "../graph.js"
import type { EventLoopImpl } from "../internal/eventLoop.js"
import { awaitedByOf, CurrentTask, idOf } from "../internal/future.js"
import { showCause } from "../internal/outcome.js"
import type { TaskImpl, TaskObserver } from "../internal/task.js"
import { waitsOn } from "../internal/waitsOn.js"
import { type GraphNode, PROTOCOL_VERSION, type Snapshot, type TaskInfo } from "./protocol.js"

/** Finished tasks kept per loop for the timeline. */
export const HISTORY_LIMIT = 500

/**
 * What the monitor keeps of a task: when it was created and by which task; once it is done,
 * when and how it ended (the task itself is not kept then).
 */
class TaskRecord {
  id = 0
  name = ""
  state: TaskInfo["state"] = "ok"
  ended = 0
  detail: string | undefined = undefined
  createdAt: string | undefined = undefined

  constructor(
    readonly started: number,
    /** the creator while the task is pending, its id once the task is done */
    public parent: TaskImpl<unknown, unknown> | number | undefined
  ) {}

  parentId(): number | undefined {
    const parent = this.parent
    return parent === undefined || typeof parent === "number" ? parent : idOf(parent)
  }
}

/**
 * The monitor's observer of one loop's tasks: a record per pending task, and the records of the
 * last `HISTORY_LIMIT` finished ones in a ring (the timeline's).
 */
class TaskHistory implements TaskObserver {
  readonly pending = new Map<TaskImpl<unknown, unknown>, TaskRecord>()
  private readonly ring: Array<TaskRecord | undefined> = new Array(HISTORY_LIMIT)
  private next = 0

  constructor(private readonly loop: EventLoopImpl) {}

  taskCreated(task: TaskImpl<unknown, unknown>): void {
    // the creator: `loop.spawn` has just read the context it creates from (the loop keeps it)
    const creator = this.loop.spawnParent
    // ids in creation order (Task-1 is 0x1), as `ps` and the timeline list them
    idOf(task)
    this.pending.set(
      task,
      new TaskRecord(this.loop.time(), creator === undefined ? undefined : Context.get(creator, CurrentTask))
    )
  }

  taskDone(task: TaskImpl<unknown, unknown>): void {
    const record = this.pending.get(task)
    if (record === undefined) return
    this.pending.delete(task)
    record.ended = this.loop.time()
    record.id = idOf(task)
    record.name = task.getName()
    record.parent = record.parentId()
    record.createdAt = task.createdAt
    if (task.cancelled()) {
      record.state = "cancelled"
      const message = task.cancelMessage ?? task.cancelledExc?.message
      if (message !== undefined && message !== "") record.detail = String(message)
    } else if (task.exit !== undefined && Exit.isFailure(task.exit)) {
      record.state = "failed"
      record.detail = showCause(task.exit.cause)
    }
    this.ring[this.next] = record
    this.next = (this.next + 1) % HISTORY_LIMIT
  }

  recordOf(task: TaskImpl<unknown, unknown>): TaskRecord | undefined {
    return this.pending.get(task)
  }

  /** The finished tasks kept, oldest first. */
  finished(): Array<Omit<TaskInfo, "loop">> {
    const infos: Array<Omit<TaskInfo, "loop">> = []
    for (let i = 0; i < HISTORY_LIMIT; i++) {
      const record = this.ring[(this.next + i) % HISTORY_LIMIT]
      if (record === undefined) continue
      const parent = record.parentId()
      infos.push({
        id: record.id,
        name: record.name,
        state: record.state,
        awaitedBy: [],
        callStack: [],
        started: record.started,
        ended: record.ended,
        ...(parent === undefined ? {} : { parent }),
        ...(record.createdAt === undefined ? {} : { createdAt: record.createdAt }),
        ...(record.detail === undefined ? {} : { detail: record.detail })
      })
    }
    return infos
  }
}

interface Watched {
  readonly number: number
  readonly loop: EventLoopImpl
  readonly history: TaskHistory
  readonly detach: () => void
}

const watched: Array<Watched> = []
let loopCounter = 0

/** Starts watching `loop`; the function returned stops. */
export const watchLoop = (loop: EventLoopImpl): (() => void) => {
  const existing = watched.find((entry) => entry.loop === loop)
  if (existing !== undefined) return () => {}
  loopCounter += 1
  const history = new TaskHistory(loop)
  const entry: Watched = { number: loopCounter, loop, history, detach: loop.tasks.observe(history) }
  // the tasks that exist already (a Runner's loop between runs)
  for (const task of loop.tasks) history.pending.set(task, new TaskRecord(loop.time(), undefined))
  watched.push(entry)
  return () => {
    const index = watched.indexOf(entry)
    if (index < 0) return
    watched.splice(index, 1)
    entry.detach()
  }
}

export const watchedLoops = (): number => watched.length

const stateOf = (task: TaskImpl<unknown, unknown>): TaskInfo["state"] =>
  task.cancelling() > 0 ? "cancelling" : "pending"

/** The call stack of a pending task, as graph.ts reads it. */
const graphOf = (task: TaskImpl<unknown, unknown>): FutureCallGraph =>
  Effect.runSync(captureCallGraph(task as unknown as Future<unknown, unknown>))

const infoOf = (entry: Watched, task: TaskImpl<unknown, unknown>): TaskInfo => {
  const record = entry.history.recordOf(task)
  const graph = graphOf(task)
  const parent = record?.parentId()
  return {
    loop: entry.number,
    id: idOf(task),
    name: task.getName(),
    state: stateOf(task),
    waitsOn: waitsOn(task),
    awaitedBy: awaitedByOf(task).map(idOf),
    callStack: graph.callStack.map(frameOf),
    ...(parent === undefined ? {} : { parent }),
    ...(task.createdAt === undefined ? {} : { createdAt: task.createdAt }),
    ...(record === undefined ? {} : { started: record.started })
  }
}

const frameOf = (entry: FutureCallGraph["callStack"][number]) => ({
  name: entry.name,
  ...(entry.file === undefined ? {} : { file: entry.file }),
  ...(entry.line === undefined ? {} : { line: entry.line })
})

/** Everything `ps` answers: the pending tasks of every watched loop, then the finished ones. */
export const snapshot = (): Snapshot => {
  const tasks: Array<TaskInfo> = []
  for (const entry of watched) {
    for (const task of entry.loop.tasks) if (!task.done()) tasks.push(infoOf(entry, task))
  }
  for (const entry of watched) {
    for (const done of entry.history.finished()) tasks.push({ loop: entry.number, ...done })
  }
  return {
    version: PROTOCOL_VERSION,
    pid: process.pid,
    title: [path.basename(process.argv0), ...process.argv.slice(1)].join(" "),
    loops: watched.map((entry) => ({
      loop: entry.number,
      now: entry.loop.time(),
      debug: entry.loop.getDebug(),
      running: entry.loop.isRunning()
    })),
    tasks
  }
}

/** The pending task with this id, and its loop. */
const find = (id: number): { entry: Watched; task: TaskImpl<unknown, unknown> } | undefined => {
  for (const entry of watched) {
    for (const task of entry.loop.tasks) if (!task.done() && idOf(task) === id) return { entry, task }
  }
  return undefined
}

/** The error text of a request for a task that is not (or no longer) pending. */
export const noSuchTask = (id: number): string => `no pending task with id 0x${id.toString(16)}`

const toNode = (graph: FutureCallGraph): GraphNode => {
  const future = graph.future as unknown as TaskImpl<unknown, unknown>
  const isTask = typeof (future as { getName?: unknown }).getName === "function"
  return {
    id: idOf(future),
    kind: isTask ? "Task" : "Future",
    name: isTask ? future.getName() : undefined,
    waitsOn: graph.waitsOn,
    callStack: graph.callStack.map(frameOf),
    awaitedBy: graph.awaitedBy.map(toNode)
  }
}

/** The call graph of a pending task (`captureCallGraph(task)`). */
export const graphOfTask = (id: number): GraphNode | string => {
  const found = find(id)
  return found === undefined ? noSuchTask(id) : toNode(graphOf(found.task))
}

/** `where TASK`: its call graph in CPython's layout (`formatCallGraph(task)`). */
export const whereTask = (id: number): string | undefined => {
  const found = find(id)
  return found === undefined
    ? undefined
    : Effect.runSync(formatCallGraph(found.task as unknown as Future<unknown, unknown>))
}

/**
 * `cancel TASK`: `task.cancel(msg)` from a callback of the task's loop (asyncio's
 * `loop.call_soon_threadsafe(task.cancel, msg)`), so it runs between two steps as every cancel
 * does. Answers `task.cancel()`'s result once the callback ran, or `queued` when the loop is not
 * running (a Runner between two runs: it runs at the next).
 */
export const cancelTask = (
  id: number,
  message: string | undefined
): Effect.Effect<boolean | "queued" | undefined> =>
  Effect.suspend((): Effect.Effect<boolean | "queued" | undefined> => {
    const found = find(id)
    if (found === undefined) return Effect.succeed(undefined)
    const { entry, task } = found
    if (!entry.loop.isRunning()) {
      entry.loop.callSoon(() => task.cancelNow(message))
      return Effect.succeed("queued" as const)
    }
    return Effect.callback<boolean>((resume) => {
      const cancelFromMonitor = () => resume(Effect.succeed(task.cancelNow(message)))
      entry.loop.callSoon(cancelFromMonitor)
    })
  })
