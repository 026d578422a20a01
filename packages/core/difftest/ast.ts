/**
 * The programs of the differential fuzzer: a JSON AST of small asyncio programs, read by both
 * interpreters (`interp.py` for CPython 3.13, `interp.ts` for effect-asyncio).
 *
 * A program is a main coroutine and named bodies. Every body is used at most once (by one
 * `spawn`, or as one child of a combinator), so every op runs at most once and each coroutine
 * instance has a unique label: its body's name ("main" for main). Every line of the log starts
 * with the label of the coroutine that wrote it.
 *
 * Task variables: `spawn` binds the new task to a variable named as its body. A coroutine sees
 * the variables its creator could see when it was created (a snapshot), plus the ones it binds
 * itself; `TaskGroup` labels are visible lexically, inside the group's body only. Futures
 * (`create_future`: `f1`, `f2`...), handles of loop callbacks (`h1`...) and done callbacks that can
 * be removed (`cb1`...) are variables too, with the same visibility.
 */

/** The feature levels; a program of level k uses ops of levels <= k. */
export const LEVELS = [1, 2, 3, 4, 5, 6, 7] as const
export type Level = (typeof LEVELS)[number]

/** A child of a combinator: a body run as a coroutine, or a task variable. */
export type Child = { readonly body: string } | { readonly task: string }

/** How a future is settled: `set_result(value)`, `set_exception(ValueError(msg))`, `cancel(msg)`. */
export type Settle = "result" | "exception" | "cancel"

/**
 * Where a loop callback is scheduled: `call_soon`, `call_later(d)`, `call_at(loop.time() + d)`;
 * a future is also settled directly by the task (`"task"`).
 */
export type Via = "soon" | "later" | "at"

/** The target of a task operation: a task variable, or `"self"` (`asyncio.current_task()`). */
export type Target = string

/** The errors a `try` may catch (`except (A, B) as e:`). */
export type Catchable = "ValueError" | "TimeoutError" | "CancelledError"

export type ReturnWhen = "ALL_COMPLETED" | "FIRST_COMPLETED" | "FIRST_EXCEPTION"

export type Op =
  // L1: tasks and time
  | { readonly op: "log"; readonly text: string }
  | { readonly op: "sleep"; readonly d: number }
  | {
      readonly op: "spawn"
      readonly body: string
      readonly name?: string
      readonly eager?: boolean
      /** a TaskGroup label: `tg.create_task` instead of `asyncio.create_task` */
      readonly group?: string
    }
  | { readonly op: "await"; readonly task: string }
  | { readonly op: "done"; readonly task: string }
  | { readonly op: "result"; readonly task: string }
  | { readonly op: "name"; readonly task: string }
  | { readonly op: "set_name"; readonly task: string; readonly name: string }
  /** `sorted(t.get_name() for t in asyncio.all_tasks())` */
  | { readonly op: "all_tasks" }
  // L2: combinators, errors
  | { readonly op: "exception"; readonly task: string }
  | { readonly op: "gather"; readonly children: ReadonlyArray<Child>; readonly returnExceptions: boolean }
  | {
      readonly op: "wait"
      readonly tasks: ReadonlyArray<string>
      readonly returnWhen: ReturnWhen
      readonly timeout?: number
    }
  | {
      readonly op: "as_completed"
      readonly children: ReadonlyArray<Child>
      readonly timeout?: number
      /** `async for t in as_completed(...)` (3.13) instead of `for aw in as_completed(...)` */
      readonly stream?: boolean
    }
  | { readonly op: "raise"; readonly msg: string }
  | {
      readonly op: "try"
      readonly body: ReadonlyArray<Op>
      readonly catch: ReadonlyArray<Catchable>
      readonly handler: ReadonlyArray<Op>
      readonly finally?: ReadonlyArray<Op>
    }
  // L3: cancellation
  | { readonly op: "cancel"; readonly task: Target; readonly msg?: string }
  | { readonly op: "cancelling"; readonly task: Target }
  | { readonly op: "uncancel"; readonly task: Target }
  | { readonly op: "cancelled"; readonly task: string }
  | { readonly op: "wait_for"; readonly child: Child; readonly timeout: number }
  | {
      readonly op: "timeout"
      readonly d: number
      readonly body: ReadonlyArray<Op>
      /** `timeout_at(loop.time() + d)` instead of `timeout(d)` */
      readonly at?: boolean
    }
  | { readonly op: "shield"; readonly child: Child }
  /** `cm.reschedule(loop.time() + d)` of the innermost `timeout` block (`null`: never) */
  | { readonly op: "reschedule"; readonly d: number | null }
  /** `cm.expired()` of the innermost `timeout` block */
  | { readonly op: "expired" }
  // L4: structure
  | { readonly op: "taskgroup"; readonly label: string; readonly body: ReadonlyArray<Op> }
  | { readonly op: "try_star"; readonly body: ReadonlyArray<Op>; readonly handler: ReadonlyArray<Op> }
  /** `add_done_callback` of a callback that logs how the task (or future) ended; `cb` names it */
  | { readonly op: "on_done"; readonly task: string; readonly cb?: string }
  // L5: primitives (`prim` names one of the program's primitives)
  | { readonly op: "with"; readonly prim: string; readonly body: ReadonlyArray<Op> }
  | { readonly op: "locked"; readonly prim: string }
  | { readonly op: "event_set"; readonly prim: string }
  | { readonly op: "event_clear"; readonly prim: string }
  | { readonly op: "event_wait"; readonly prim: string; readonly timeout?: number }
  | { readonly op: "cond_wait"; readonly prim: string; readonly timeout?: number }
  | { readonly op: "cond_notify"; readonly prim: string; readonly n: number | "all" }
  /** `cond.wait_for(lambda: <notifications of cond so far> >= n)` (the predicate logs each call) */
  | { readonly op: "cond_wait_for"; readonly prim: string; readonly n: number; readonly timeout?: number }
  | { readonly op: "q_put"; readonly prim: string; readonly item: number; readonly timeout?: number }
  | { readonly op: "q_get"; readonly prim: string; readonly taskDone: boolean; readonly timeout?: number }
  | { readonly op: "q_put_nowait"; readonly prim: string; readonly item: number }
  | { readonly op: "q_get_nowait"; readonly prim: string; readonly taskDone: boolean }
  | { readonly op: "q_join"; readonly prim: string; readonly timeout?: number }
  | { readonly op: "barrier_wait"; readonly prim: string; readonly timeout?: number }
  | { readonly op: "barrier_abort"; readonly prim: string }
  | { readonly op: "barrier_reset"; readonly prim: string }
  | { readonly op: "q_shutdown"; readonly prim: string; readonly immediate: boolean }
  // L7: futures and loop callbacks
  | { readonly op: "create_future"; readonly fut: string }
  /**
   * Settles `fut`: `set_result(value)`, `set_exception(ValueError(value))` or `cancel(value)`
   * (`cancel()` without a value); now, from the task (`via` absent), or from a loop callback
   * scheduled with `via` (`d` seconds for `later` / `at`), whose handle is bound to `handle`.
   */
  | {
      readonly op: "fut_set"
      readonly fut: string
      readonly how: Settle
      readonly value?: number | string
      readonly via?: Via
      readonly d?: number
      readonly handle?: string
    }
  /** a loop callback that logs `text`; its handle is bound to `handle` when given */
  | {
      readonly op: "call"
      readonly via: Via
      readonly d?: number
      readonly text: string
      readonly handle?: string
    }
  /** `Handle.cancel()` / `TimerHandle.cancel()` */
  | { readonly op: "handle_cancel"; readonly handle: string }
  /** `loop.time()` since main started, in integer milliseconds */
  | { readonly op: "time" }
  /** `remove_done_callback` of the callback `cb` that `on_done` added to `task` */
  | { readonly op: "remove_done"; readonly task: string; readonly cb: string }

export type OpName = Op["op"]

/** A primitive of the program, made when main starts. */
export type Prim =
  | { readonly kind: "lock"; readonly name: string }
  | { readonly kind: "event"; readonly name: string }
  | { readonly kind: "semaphore"; readonly name: string; readonly value: number }
  | { readonly kind: "condition"; readonly name: string }
  | {
      readonly kind: "queue"
      readonly name: string
      readonly maxsize: number
      /** `LifoQueue` or `PriorityQueue` instead of `Queue` */
      readonly order?: "lifo" | "priority"
    }
  | { readonly kind: "barrier"; readonly name: string; readonly parties: number }

export interface Body {
  readonly ops: ReadonlyArray<Op>
  /** what the coroutine returns when its ops are done */
  readonly ret: number | string
}

export interface Program {
  readonly level: Level
  readonly seed: number
  /** `loop.set_task_factory(asyncio.eager_task_factory)` */
  readonly eager: boolean
  readonly prims: ReadonlyArray<Prim>
  readonly main: ReadonlyArray<Op>
  readonly bodies: Readonly<Record<string, Body>>
}

/** The op lists nested in an op (a block of `try`, `timeout`...), in order. */
export const blocksOf = (op: Op): ReadonlyArray<ReadonlyArray<Op>> => {
  switch (op.op) {
    case "try":
      return op.finally === undefined ? [op.body, op.handler] : [op.body, op.handler, op.finally]
    case "timeout":
    case "taskgroup":
    case "with":
      return [op.body]
    case "try_star":
      return [op.body, op.handler]
    default:
      return []
  }
}

/** The bodies an op runs as coroutines (spawned, or children of a combinator). */
export const bodiesOf = (op: Op): ReadonlyArray<string> => {
  switch (op.op) {
    case "spawn":
      return [op.body]
    case "gather":
    case "as_completed":
      return op.children.flatMap((child) => ("body" in child ? [child.body] : []))
    case "wait_for":
    case "shield":
      return "body" in op.child ? [op.child.body] : []
    default:
      return []
  }
}

/** The variables an op reads: tasks, futures, handles, callbacks (`"self"` excluded). */
export const tasksOf = (op: Op): ReadonlyArray<string> => {
  switch (op.op) {
    case "await":
    case "done":
    case "result":
    case "name":
    case "set_name":
    case "exception":
    case "cancelled":
    case "on_done":
      return [op.task]
    case "remove_done":
      return [op.task, op.cb]
    case "fut_set":
      return [op.fut]
    case "handle_cancel":
      return [op.handle]
    case "cancel":
    case "cancelling":
    case "uncancel":
      return op.task === "self" ? [] : [op.task]
    case "gather":
    case "as_completed":
      return op.children.flatMap((child) => ("task" in child ? [child.task] : []))
    case "wait":
      return op.tasks
    case "wait_for":
    case "shield":
      return "task" in op.child ? [op.child.task] : []
    default:
      return []
  }
}

/** The variables an op binds: a task, a future, a handle, a callback. */
export const bindsOf = (op: Op): ReadonlyArray<string> => {
  switch (op.op) {
    case "spawn":
      return [op.body]
    case "create_future":
      return [op.fut]
    case "fut_set":
    case "call":
      return op.handle === undefined ? [] : [op.handle]
    case "on_done":
      return op.cb === undefined ? [] : [op.cb]
    default:
      return []
  }
}

/** How many ops a program holds (main and every body, nested blocks included). */
export const sizeOf = (program: Program): number => {
  const count = (ops: ReadonlyArray<Op>): number =>
    ops.reduce((n, op) => n + 1 + blocksOf(op).reduce((m, block) => m + count(block), 0), 0)
  return count(program.main) + Object.values(program.bodies).reduce((n, body) => n + count(body.ops), 0)
}
