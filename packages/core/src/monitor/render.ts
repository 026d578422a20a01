/**
 * `ps` and `pstree` as text, from a snapshot: CPython 3.14's `asyncio/tools.py`
 * (`build_task_table`, `build_async_tree`, `_find_cycles`), on this library's tasks.
 *
 * Differences, each for a reason: no `tid` column but `loop` (JavaScript has one thread; a
 * process may run several loops); the columns `state`, `waits on` and `age` are added (what
 * aiomonitor's `ps` shows), and columns are as wide as their widest cell instead of fixed
 * widths; a coroutine stack is the task's `Effect.fn` / span names (graph.ts).
 */
import { type Frame, formatId, type Snapshot, type TaskInfo } from "./protocol.js"

/** `_format_stack_entry`: `name file:line`, or the name alone. */
const formatFrame = (frame: Frame): string =>
  frame.file === undefined ? frame.name : `${frame.name} ${frame.file}:${frame.line ?? 0}`

/** `" -> ".join(name of each frame)`, as tools.py's coroutine stack and awaiter chain. */
const chain = (stack: ReadonlyArray<Frame>): string => stack.map((frame) => frame.name).join(" -> ")

const pendingOf = (snapshot: Snapshot): ReadonlyArray<TaskInfo> =>
  snapshot.tasks.filter((task) => task.state === "pending" || task.state === "cancelling")

/** Seconds as `ps` shows an age: `0.25s`, `12.0s`, `3m05s`, `2h01m`. */
export const formatAge = (seconds: number | undefined): string => {
  if (seconds === undefined || !Number.isFinite(seconds)) return "?"
  if (seconds < 10) return `${seconds.toFixed(2)}s`
  if (seconds < 60) return `${seconds.toFixed(1)}s`
  const minutes = Math.floor(seconds / 60)
  if (minutes < 60) return `${minutes}m${String(Math.floor(seconds % 60)).padStart(2, "0")}s`
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, "0")}m`
}

/** `sleep(60) until t=1796133279.6` reads better with how far that is: `... (in 56.6s)`. */
const withDue = (snapshot: Snapshot, task: TaskInfo): string => {
  const text = task.waitsOn ?? ""
  const now = snapshot.loops.find((loop) => loop.loop === task.loop)?.now
  const due = / until t=([\d.]+)/.exec(text)
  if (due === null || now === undefined) return text
  const left = Number(due[1]) - now
  return Number.isFinite(left) ? `${text} (in ${formatAge(Math.max(left, 0))})` : text
}

const ageOf = (snapshot: Snapshot, task: TaskInfo): string => {
  const now = snapshot.loops.find((loop) => loop.loop === task.loop)?.now
  return formatAge(now === undefined || task.started === undefined ? undefined : now - task.started)
}

export const PS_HEADER = [
  "loop",
  "task id",
  "task name",
  "state",
  "waits on",
  "coroutine stack",
  "awaiter chain",
  "awaiter name",
  "awaiter id",
  "age"
] as const

/**
 * `build_task_table`: one row per pending task and awaiter (a task awaited by two tasks has two
 * rows; one awaited by none has one, with awaiter id `0x0`), plus the creation site in debug mode.
 */
export const taskTable = (snapshot: Snapshot): Array<Array<string>> => {
  const pending = pendingOf(snapshot)
  const byId = new Map(pending.map((task) => [task.id, task]))
  const rows: Array<Array<string>> = []
  for (const task of pending) {
    const stack = chain(task.callStack)
    const common = [String(task.loop), formatId(task.id), task.name, task.state, withDue(snapshot, task)]
    const age = ageOf(snapshot, task)
    const site = task.createdAt === undefined ? [] : [task.createdAt]
    if (task.awaitedBy.length === 0) {
      rows.push([...common, stack, "", "", "0x0", age, ...site])
      continue
    }
    for (const awaiterId of task.awaitedBy) {
      const awaiter = byId.get(awaiterId)
      rows.push([
        ...common,
        stack,
        awaiter === undefined ? "" : chain(awaiter.callStack),
        awaiter?.name ?? "Unknown",
        formatId(awaiterId),
        age,
        ...site
      ])
    }
  }
  return rows
}

/** `_display_awaited_by_tasks_table`: a header, a rule, the rows, each column padded. */
export const formatTable = (snapshot: Snapshot): string => {
  const rows = taskTable(snapshot)
  const debug = rows.some((row) => row.length > PS_HEADER.length)
  const header: Array<string> = [...PS_HEADER, ...(debug ? ["created at"] : [])]
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => (row[i] ?? "").length)))
  const line = (cells: ReadonlyArray<string>) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd()
  const width = widths.reduce((sum, w) => sum + w, 0) + 2 * (widths.length - 1)
  return [line(header), "-".repeat(width), ...rows.map(line)].join("\n")
}

/** tools.py's `CycleFoundException`: the cycles of the awaited-by graph, as lists of task ids. */
export interface Cycles {
  readonly cycles: ReadonlyArray<ReadonlyArray<number>>
  readonly names: ReadonlyMap<number, string>
}

type NodeKey = string

/**
 * `build_async_tree`: the await tree, one list of lines per root (`└── (T) name`, nested frames
 * and awaited tasks), or the cycles when the graph has any (tools.py refuses to draw a tree then).
 */
export const awaitTree = (snapshot: Snapshot): Array<Array<string>> | Cycles => {
  const pending = pendingOf(snapshot)
  const names = new Map(pending.map((task) => [task.id, task.name]))
  const stacks = new Map(pending.map((task) => [task.id, task.callStack.map(formatFrame)]))
  // `_index`'s awaits: (parent id, parent's stack, child id)
  const awaits: Array<readonly [number, ReadonlyArray<string>, number]> = []
  for (const task of pending) {
    for (const parent of task.awaitedBy) awaits.push([parent, stacks.get(parent) ?? [], task.id])
  }
  const cycles = findCycles(awaits)
  if (cycles.length > 0) return { cycles, names }

  // `_build_tree`
  const labels = new Map<NodeKey, string>()
  const children = new Map<NodeKey, Array<NodeKey>>()
  const corNodes = new Map<NodeKey, Map<string, NodeKey>>()
  let nextCor = 0
  const taskKey = (id: number): NodeKey => `t${id}`
  for (const [id, name] of names) labels.set(taskKey(id), `(T) ${name}`)
  const kids = (key: NodeKey) => {
    let list = children.get(key)
    if (list === undefined) {
      list = []
      children.set(key, list)
    }
    return list
  }
  const corNode = (parent: NodeKey, frame: string): NodeKey => {
    let frames = corNodes.get(parent)
    if (frames === undefined) {
      frames = new Map()
      corNodes.set(parent, frames)
    }
    const found = frames.get(frame)
    if (found !== undefined) return found
    nextCor += 1
    const key = `c${nextCor}`
    // tools.py's `f"{flag} {label}"` with an empty coroutine flag: a leading space
    labels.set(key, ` ${frame}`)
    kids(parent).push(key)
    frames.set(frame, key)
    return key
  }
  for (const [parent, stack, child] of awaits) {
    let current = taskKey(parent)
    if (!labels.has(current)) labels.set(current, `(T) ${formatId(parent)}`)
    for (const frame of [...stack].reverse()) current = corNode(current, frame)
    const childKey = taskKey(child)
    const list = kids(current)
    if (!list.includes(childKey)) list.push(childKey)
  }
  const awaiting = new Set(awaits.map(([parent]) => parent))
  for (const [id, stack] of stacks) {
    if (awaiting.has(id)) continue
    let current = taskKey(id)
    for (const frame of [...stack].reverse()) current = corNode(current, frame)
  }
  // `_roots`: every node nobody lists as a child
  const allChildren = new Set([...children.values()].flat())
  const roots = [...labels.keys()].filter((key) => !allChildren.has(key))
  const render = (key: NodeKey, prefix: string, last: boolean, buffer: Array<string>): Array<string> => {
    buffer.push(`${prefix}${last ? "└── " : "├── "}${labels.get(key) ?? key}`)
    const nextPrefix = prefix + (last ? "    " : "│   ")
    const list = children.get(key) ?? []
    for (const [i, kid] of list.entries()) render(kid, nextPrefix, i === list.length - 1, buffer)
    return buffer
  }
  return roots.map((root) => render(root, "", true, []))
}

/** `_find_cycles`: a depth-first search for back edges of the parent → child task graph. */
const findCycles = (
  awaits: ReadonlyArray<readonly [number, ReadonlyArray<string>, number]>
): Array<Array<number>> => {
  const graph = new Map<number, Set<number>>()
  for (const [parent, , child] of awaits) {
    let set = graph.get(parent)
    if (set === undefined) {
      set = new Set()
      graph.set(parent, set)
    }
    set.add(child)
  }
  const color = new Map<number, 0 | 1 | 2>()
  const path: Array<number> = []
  const cycles: Array<Array<number>> = []
  const dfs = (v: number) => {
    color.set(v, 1)
    path.push(v)
    for (const w of graph.get(v) ?? []) {
      const c = color.get(w) ?? 0
      if (c === 0) dfs(w)
      else if (c === 1) cycles.push([...path.slice(path.indexOf(w)), w])
    }
    color.set(v, 2)
    path.pop()
  }
  for (const v of [...graph.keys()]) if ((color.get(v) ?? 0) === 0) dfs(v)
  return cycles
}

export const isCycles = (tree: Array<Array<string>> | Cycles): tree is Cycles => !Array.isArray(tree)

/** `_print_cycle_exception`'s text (stderr). */
export const formatCycles = ({ cycles, names }: Cycles): string =>
  [
    "ERROR: await-graph contains cycles - cannot print a tree!",
    "",
    ...cycles.map((cycle) => `cycle: ${cycle.map((id) => names.get(id) ?? formatId(id)).join(" → ")}`)
  ].join("\n")

/** `pstree`'s text: the trees one after the other (or the cycles). */
export const formatTree = (snapshot: Snapshot): { readonly ok: boolean; readonly text: string } => {
  const tree = awaitTree(snapshot)
  if (isCycles(tree)) return { ok: false, text: formatCycles(tree) }
  return { ok: true, text: tree.map((lines) => lines.join("\n")).join("\n") }
}
