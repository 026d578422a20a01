/**
 * Call graphs, as CPython 3.14's `asyncio.graph`: `captureCallGraph`, `formatCallGraph`,
 * `printCallGraph` for the current task or any future, with CPython's layout (3.14's `limit`
 * included).
 *
 * A coroutine has frames; an Effect has none. The call stack of a task is what Effect knows of
 * it: the functions made with `Effect.fn("name")` and the spans of `Effect.withSpan` it is
 * inside, innermost first, each at the line where it is now (where it called the next one; the
 * innermost one at its definition). In debug mode the task's creation site ends the stack.
 * "Awaited by" follows asyncio 3.14's awaited-by links: the tasks that await a future, a task,
 * a `gather`, a `shield`ed task or a TaskGroup's child.
 *
 * @since 0.2.0
 */
import { Context, Effect, type Fiber, References } from "effect"
import { EventLoop } from "./events.js"
import { RuntimeError, TypeError, ValueError } from "./exceptions.js"
import type { Future } from "./futures.js"
import { CurrentTask, FutureImpl, idOf } from "./internal/future.js"
import { pyRepr } from "./internal/outcome.js"
import { TaskImpl } from "./internal/task.js"
import * as validate from "./internal/validate.js"
import { waitsOn } from "./internal/waitsOn.js"

/**
 * One entry of a call stack (CPython's `FrameCallGraphEntry`): the name of an `Effect.fn` or of a
 * span, and where it is, when known.
 *
 * @example
 * ```ts
 * import type * as asyncio from "@effect-asyncio/core"
 *
 * const entry: asyncio.FrameCallGraphEntry = { name: "fetchUser", file: "/app/users.ts", line: 12 }
 * console.log(entry.name) // fetchUser
 * ```
 * @since 0.2.0
 * @category Call graphs
 */
export interface FrameCallGraphEntry {
  readonly name: string
  readonly file?: string | undefined
  readonly line?: number | undefined
}

/**
 * CPython's `FutureCallGraph(future, call_stack, awaited_by)`, plus what the future's task waits
 * on (`Event.wait()`, `gather(1 of 2 pending)`...) when it is a pending task.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import * as asyncio from "@effect-asyncio/core"
 *
 * const program = Effect.gen(function* () {
 *   const graph = yield* asyncio.captureCallGraph()
 *   return graph?.awaitedBy.length
 * })
 * asyncio.run(program).then(console.log) // 0
 * ```
 * @since 0.2.0
 * @category Call graphs
 */
export interface FutureCallGraph {
  readonly future: Future<unknown, unknown>
  readonly callStack: ReadonlyArray<FrameCallGraphEntry>
  readonly awaitedBy: ReadonlyArray<FutureCallGraph>
  /** What the task waits on, if the future is a pending task. */
  readonly waitsOn?: string | undefined
}

/**
 * Options of `captureCallGraph` (CPython's keyword arguments `future=` and `depth=`).
 *
 * @example
 * ```ts
 * import type * as asyncio from "@effect-asyncio/core"
 *
 * const options: asyncio.CallGraphOptions = { depth: 2 }
 * console.log(options.depth) // 2
 * ```
 * @since 0.2.0
 * @category Call graphs
 */
export interface CallGraphOptions {
  /** The future or task to describe; default: the current task. */
  readonly future?: Future<unknown, unknown> | undefined
  /** For the current task, skip `depth - 1` entries from the top of its call stack (default 1). */
  readonly depth?: number | undefined
  /**
   * Keep at most `|limit|` entries of each call stack: the outermost ones (nearest the task's
   * body) when positive, the innermost when negative; `0` keeps none (only "awaited by").
   */
  readonly limit?: number | undefined
}

/**
 * Options of `printCallGraph`: those of `captureCallGraph`, and `file`, where to write (CPython's
 * `file=`; default `console.log`).
 *
 * @example
 * ```ts
 * import type * as asyncio from "@effect-asyncio/core"
 *
 * const options: asyncio.PrintCallGraphOptions = { file: process.stderr }
 * console.log(typeof options.file?.write) // function
 * ```
 * @since 0.2.0
 * @category Call graphs
 */
export interface PrintCallGraphOptions extends CallGraphOptions {
  readonly file?: { readonly write: (text: string) => unknown } | undefined
}

/**
 * A number that identifies a task or future for as long as it lives (what `id()` is in
 * CPython's layout): given on first use, never reused.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import * as asyncio from "@effect-asyncio/core"
 *
 * const program = Effect.gen(function* () {
 *   const task = yield* asyncio.createTask(asyncio.sleep(0))
 *   return asyncio.futureId(task) === asyncio.futureId(task)
 * })
 * asyncio.run(program).then(console.log) // true
 * ```
 * @since 0.2.0
 * @category Call graphs
 */
export const futureId = (future: Future<unknown, unknown>): number => {
  checkFuture(future, "futureId() future")
  return idOf(future as unknown as FutureImpl<unknown, unknown>)
}

const checkFuture = (future: unknown, what: string): FutureImpl<unknown, unknown> => {
  if (!validate.isInstance(future, FutureImpl)) {
    throw new TypeError({
      message: `${what}: ${validate.describe(future)} object does not appear to be compatible with asyncio.Future`
    })
  }
  return future
}

/** `at fn (file:line:col)` / `at file:line:col`: the first location in a stack string. */
const LOCATION = /\(?([^()\s]+):(\d+):\d+\)?\s*$/m

const pathOf = (file: string): string =>
  file.startsWith("file://") ? decodeURIComponent(new URL(file).pathname) : file

const locationOf = (stack: string | undefined): { file?: string; line?: number } => {
  if (stack === undefined) return {}
  for (const text of stack.split("\n")) {
    const match = LOCATION.exec(text.trim())
    if (match === null) continue
    return { file: pathOf(match[1] as string), line: Number(match[2]) }
  }
  return {}
}

/** A creation site, `file:line` (debug mode). */
const siteOf = (site: string): { file?: string; line?: number } => {
  const match = /^(.*):(\d+)$/.exec(site)
  if (match === null) return {}
  return { file: pathOf(match[1] as string), line: Number(match[2]) }
}

const DEFINITION = " (definition)"

/**
 * The call stack of a fiber from Effect's stack frames, innermost first: each `Effect.fn` or
 * span at the line where it called the next one (the innermost at its definition).
 */
const stackOf = (fiber: Fiber.Fiber<unknown, unknown> | undefined): Array<FrameCallGraphEntry> => {
  if (fiber === undefined) return []
  const frames: Array<{ name: string; call: string | undefined; definition: string | undefined }> = []
  let frame = fiber.getRef(References.CurrentStackFrame)
  let guard = 0
  while (frame !== undefined && guard < 256) {
    guard += 1
    const parent: References.StackFrame | undefined = frame.parent
    if (frame.name.endsWith(DEFINITION)) {
      frame = parent
      continue
    }
    const definition =
      parent !== undefined && parent.name === `${frame.name}${DEFINITION}` ? safeStack(parent) : undefined
    frames.push({ name: frame.name, call: safeStack(frame), definition })
    frame = parent
  }
  return frames.map((entry, i) => {
    // where this function is now: where it called the one inside it
    const here = i === 0 ? locationOf(entry.definition ?? entry.call) : locationOf(frames[i - 1]?.call)
    return { name: entry.name, ...here }
  })
}

const safeStack = (frame: References.StackFrame): string | undefined => {
  try {
    return frame.stack()
  } catch {
    return undefined
  }
}

/** A task's stack: its fiber's frames, then (debug mode) where it was created. */
const taskStack = (
  future: FutureImpl<unknown, unknown>,
  fiber: Fiber.Fiber<unknown, unknown> | undefined
): Array<FrameCallGraphEntry> => {
  const stack = future instanceof TaskImpl ? stackOf(fiber) : []
  if (future.createdAt !== undefined) {
    const site = siteOf(future.createdAt)
    stack.push({ name: `<${future instanceof TaskImpl ? "task" : "future"} created here>`, ...site })
  }
  return stack
}

const awaitersOf = (future: FutureImpl<unknown, unknown>): Array<FutureImpl<unknown, unknown>> => {
  const links = future.awaitedBy
  if (links === undefined) return []
  return links instanceof Set ? [...links] : [links]
}

/**
 * CPython's `_build_graph_for_future`, with a guard against cycles: a future already on the path
 * from the root is not followed again. A future reached by two paths (awaited by two tasks, one
 * of which awaits the other) is shown under both, as CPython shows it.
 */
const buildGraph = (
  future: FutureImpl<unknown, unknown>,
  callStack: Array<FrameCallGraphEntry>,
  path: Set<FutureImpl<unknown, unknown>>
): FutureCallGraph => {
  path.add(future)
  const awaitedBy: Array<FutureCallGraph> = []
  for (const parent of awaitersOf(future)) {
    if (path.has(parent)) continue
    const fiber = parent instanceof TaskImpl ? parent.fiberUnsafe() : undefined
    awaitedBy.push(buildGraph(parent, taskStack(parent, fiber), path))
  }
  path.delete(future)
  const pendingTask = future instanceof TaskImpl && !future.done()
  return {
    future: future as unknown as Future<unknown, unknown>,
    callStack,
    awaitedBy,
    waitsOn: pendingTask ? waitsOn(future) : undefined
  }
}

/** An integer option; `null` only where CPython takes `None` (`limit`). */
const checkInteger = (value: unknown, name: string, orNull = false): number | undefined => {
  if (value === undefined || (orNull && value === null)) return undefined
  if (typeof value !== "number" || !Number.isInteger(value)) {
    throw new TypeError({ message: `${name} must be an integer, got ${validate.describe(value)}` })
  }
  return value
}

/** The keys of `CallGraphOptions` (`PrintCallGraphOptions` adds `file`). */
const CALL_GRAPH_OPTIONS: ReadonlyArray<string> = ["future", "depth", "limit"]

/** `(future)`, `(options)` or `(future, options)`, as CPython's positional `future`. */
const checkArguments = (first: unknown, second: unknown, fn: string): PrintCallGraphOptions => {
  let options: unknown = second
  let future: unknown
  if (validate.isInstance(first, FutureImpl)) future = first
  // CPython's `future=None`: the current task
  else if (first === null) future = undefined
  // an options object alone; any other value is a future of the wrong kind
  else if (
    first !== undefined &&
    second === undefined &&
    validate.isPlainObject(first) &&
    !validate.isThenable(first)
  )
    options = first
  else if (first !== undefined) checkFuture(first, `${fn} future`)
  const keys = fn === "printCallGraph()" ? [...CALL_GRAPH_OPTIONS, "file"] : CALL_GRAPH_OPTIONS
  const given = validate.options(options as PrintCallGraphOptions | undefined, fn.slice(0, -2), keys) ?? {}
  if (future === undefined && given.future !== undefined && given.future !== null)
    future = checkFuture(given.future, `${fn} future`)
  const depth = checkInteger(given.depth, `${fn} depth`) ?? 1
  if (depth < 0) throw new ValueError({ message: `${fn} depth must be >= 0, got ${depth}` })
  const limit = checkInteger(given.limit, `${fn} limit`, true)
  const file = given.file
  if (file !== undefined && (typeof file !== "object" || file === null || typeof file.write !== "function")) {
    throw new TypeError({
      message: `${fn} file must have a write(text) method, got ${validate.describe(file)}`
    })
  }
  return { future: future as Future<unknown, unknown> | undefined, depth, limit, file }
}

/** CPython's truncation of every call stack in the graph to `|limit|` entries. */
const truncate = (graph: FutureCallGraph, limit: number | undefined): FutureCallGraph => {
  if (limit === undefined) return graph
  const stack = graph.callStack
  const callStack =
    limit === 0 ? [] : limit > 0 ? stack.slice(Math.max(0, stack.length - limit)) : stack.slice(0, -limit)
  return { ...graph, callStack, awaitedBy: graph.awaitedBy.map((parent) => truncate(parent, limit)) }
}

const capture = (options: PrintCallGraphOptions): Effect.Effect<FutureCallGraph | undefined> =>
  Effect.withFiber((fiber) => {
    const { depth = 1, future, limit } = options
    const current = fiber.getRef(CurrentTask)
    const loop = Context.getOrUndefined(fiber.context, EventLoop)
    if (future !== undefined && (loop === undefined || future !== (current as unknown))) {
      const impl = future as unknown as FutureImpl<unknown, unknown>
      const other = impl instanceof TaskImpl ? impl.fiberUnsafe() : undefined
      return Effect.succeed(truncate(buildGraph(impl, taskStack(impl, other), new Set()), limit))
    }
    if (loop === undefined) {
      return Effect.die(
        new RuntimeError({
          message:
            "captureCallGraph() is called outside of a running event loop and no *future* to introspect was provided"
        })
      )
    }
    // not a generic call stack introspection utility: no current task, no graph (CPython)
    if (current === undefined) return Effect.succeed(undefined)
    const stack = taskStack(current, fiber).slice(Math.max(0, depth - 1))
    return Effect.succeed(truncate(buildGraph(current, stack, new Set()), limit))
  })

/** Checks the arguments when the effect runs: a bad one dies with asyncio's class. */
const checked = <A>(
  fn: string,
  first: unknown,
  second: unknown,
  body: (options: PrintCallGraphOptions) => Effect.Effect<A>
): Effect.Effect<A> =>
  Effect.suspend(() => {
    let options: PrintCallGraphOptions
    try {
      options = checkArguments(first, second, fn)
    } catch (error) {
      return Effect.die(error)
    }
    return body(options)
  })

/**
 * `asyncio.capture_call_graph(future=None, *, depth=1, limit=None)`: the call graph of the
 * current task, or of `future` (positional, or the `future` option). `undefined` when the loop
 * has no current task; with neither a loop nor a future, it dies with `RuntimeError`, as CPython.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import * as asyncio from "@effect-asyncio/core"
 *
 * const child = Effect.fn("child")(function* () {
 *   const graph = yield* asyncio.captureCallGraph()
 *   return graph?.callStack.map((entry) => entry.name)
 * })
 * asyncio.run(child()).then(console.log) // ["child"]
 * ```
 * @since 0.2.0
 * @category Call graphs
 */
export const captureCallGraph: {
  (options?: CallGraphOptions): Effect.Effect<FutureCallGraph | undefined>
  (
    future: Future<unknown, unknown>,
    options?: Omit<CallGraphOptions, "future">
  ): Effect.Effect<FutureCallGraph>
} = ((first?: unknown, second?: unknown) => checked("captureCallGraph()", first, second, capture)) as never

/** CPython's `render_level`: `* Task(name='...', id=0x...)`, nested by 4 spaces. */
const render = (graph: FutureCallGraph, lines: Array<string>, level: number): void => {
  const add = (line: string) => lines.push(`${"    ".repeat(level)}${line}`)
  const future = graph.future as unknown as FutureImpl<unknown, unknown>
  const id = `0x${futureId(graph.future).toString(16)}`
  if (future instanceof TaskImpl) add(`* Task(name=${pyRepr(future.getName())}, id=${id})`)
  else add(`* Future(id=${id})`)
  if (graph.callStack.length > 0) {
    add("  + Call stack:")
    for (const entry of graph.callStack) {
      const where =
        entry.file === undefined ? "" : `File ${pyRepr(entry.file)}, line ${entry.line ?? "?"}, in `
      add(`  |   ${where}async ${entry.name}()`)
    }
  }
  if (graph.awaitedBy.length > 0) {
    add("  + Awaited by:")
    for (const parent of graph.awaitedBy) render(parent, lines, level + 1)
  }
}

const format = (options: PrintCallGraphOptions): Effect.Effect<string> =>
  Effect.map(capture(options), (graph) => {
    if (graph === undefined) return ""
    const lines: Array<string> = []
    render(graph, lines, 0)
    return lines.join("\n")
  })

/**
 * `asyncio.format_call_graph(future=None, *, depth=1, limit=None)`: the call graph as CPython
 * prints it, or `""` when there is no current task.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import * as asyncio from "@effect-asyncio/core"
 *
 * const program = Effect.gen(function* () {
 *   const text = yield* asyncio.formatCallGraph()
 *   return text.split("\n")[0]
 * })
 * asyncio.run(program).then(console.log) // * Task(name='Task-1', id=0x1)
 * ```
 * @since 0.2.0
 * @category Call graphs
 */
export const formatCallGraph: {
  (options?: CallGraphOptions): Effect.Effect<string>
  (future: Future<unknown, unknown>, options?: Omit<CallGraphOptions, "future">): Effect.Effect<string>
} = ((first?: unknown, second?: unknown) => checked("formatCallGraph()", first, second, format)) as never

/**
 * `asyncio.print_call_graph(future=None, *, file=None, depth=1, limit=None)`: prints the call
 * graph (an empty line when there is no current task, as CPython's `print("")`).
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import * as asyncio from "@effect-asyncio/core"
 *
 * const test = Effect.fn("test")(function* () {
 *   yield* asyncio.printCallGraph()
 * })
 * const main = Effect.fn("main")(function* () {
 *   yield* asyncio.TaskGroup.run((g) => g.createTask(test(), { name: "test" }))
 * })
 * asyncio.run(main())
 * // * Task(name='test', id=0x2)
 * //   + Call stack:
 * //   |   File '/app/t2.ts', line 5, in async test()
 * //   + Awaited by:
 * //       * Task(name='Task-1', id=0x1)
 * //         + Call stack:
 * //         |   File '/app/t2.ts', line 8, in async main()
 * ```
 * @since 0.2.0
 * @category Call graphs
 */
export const printCallGraph: {
  (options?: PrintCallGraphOptions): Effect.Effect<void>
  (future: Future<unknown, unknown>, options?: Omit<PrintCallGraphOptions, "future">): Effect.Effect<void>
} = ((first?: unknown, second?: unknown) =>
  checked("printCallGraph()", first, second, (options) =>
    Effect.flatMap(format(options), (text) =>
      Effect.sync(() => {
        if (options.file !== undefined) options.file.write(`${text}\n`)
        else globalThis.console.log(text)
      })
    )
  )) as never
