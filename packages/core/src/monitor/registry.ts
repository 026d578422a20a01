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

interface TaskRecord {
  readonly id: number
  readonly started: number
  readonly parent: number | undefined
  /** set when the task is done */
  ended?: number
  finished?: Omit<TaskInfo, "loop">
}

/** The monitor's observer of one loop's tasks. */
class TaskHistory implements TaskObserver {
  readonly pending = new Map<TaskImpl<unknown, unknown>, TaskRecord>()
  readonly finished: Array<Omit<TaskInfo, "loop">> = []

  constructor(private readonly loop: EventLoopImpl) {}

  taskCreated(task: TaskImpl<unknown, unknown>): void {
    // the creator: `spawnTask` has just read the context it creates from (the loop keeps it)
    const creator = this.loop.spawnParent
    const parent = creator === undefined ? undefined : creatorOf(creator)
    this.pending.set(task, { id: idOf(task), started: this.loop.time(), parent })
  }

  taskDone(task: TaskImpl<unknown, unknown>): void {
    const record = this.pending.get(task)
    if (record === undefined) return
    this.pending.delete(task)
    const ended = this.loop.time()
    let state: TaskInfo["state"] = "ok"
    let detail: string | undefined
    if (task.cancelled()) {
      state = "cancelled"
      const message = task.cancelMessage ?? task.cancelledExc?.message
      if (message !== undefined && message !== "") detail = String(message)
    } else if (task.exit !== undefined && Exit.isFailure(task.exit)) {
      state = "failed"
      detail = showCause(task.exit.cause)
    }
    this.finished.push({
      id: record.id,
      name: task.getName(),
      state,
      awaitedBy: [],
      callStack: [],
      started: record.started,
      ended,
      ...(record.parent === undefined ? {} : { parent: record.parent }),
      ...(task.createdAt === undefined ? {} : { createdAt: task.createdAt }),
      ...(detail === undefined ? {} : { detail })
    })
    if (this.finished.length > HISTORY_LIMIT) this.finished.splice(0, this.finished.length - HISTORY_LIMIT)
  }

  recordOf(task: TaskImpl<unknown, unknown>): TaskRecord | undefined {
    return this.pending.get(task)
  }
}

const creatorOf = (context: Context.Context<never>): number | undefined => {
  const task = Context.get(context, CurrentTask)
  return task === undefined ? undefined : idOf(task)
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
  for (const task of loop.tasks)
    history.pending.set(task, { id: idOf(task), started: loop.time(), parent: undefined })
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
  return {
    loop: entry.number,
    id: idOf(task),
    name: task.getName(),
    state: stateOf(task),
    waitsOn: waitsOn(task),
    awaitedBy: awaitedByOf(task).map(idOf),
    callStack: graph.callStack.map(frameOf),
    ...(record?.parent === undefined ? {} : { parent: record.parent }),
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
    for (const done of entry.history.finished) tasks.push({ loop: entry.number, ...done })
  }
  return {
    version: PROTOCOL_VERSION,
    pid: process.pid,
    title: [process.argv0, ...process.argv.slice(1)].join(" "),
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
      entry.loop.callSoon(() => task.cancelUnsafe(message))
      return Effect.succeed("queued" as const)
    }
    return Effect.callback<boolean>((resume) => {
      const cancelFromMonitor = () => resume(Effect.succeed(task.cancelUnsafe(message)))
      entry.loop.callSoon(cancelFromMonitor)
    })
  })
