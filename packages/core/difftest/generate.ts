/**
 * The generator of the differential fuzzer: a seeded PRNG of its own (mulberry32, so the same seed
 * gives the same program on every machine) and random asyncio programs of a given feature level
 * (see `ast.ts` and the README of this folder).
 *
 * Every program it makes is valid in CPython and avoids what effect-asyncio does differently on
 * purpose (the README's differences table):
 * - no cycle of awaits: a coroutine only awaits tasks it can see, which were made before it or by
 *   it (a snapshot of its creator's variables at creation, plus its own); variables bound inside a
 *   block are visible in that block only, so every variable read exists when it is read;
 * - a task never catches its own cancellation: `except CancelledError` is only generated at the
 *   top level of main, and main then never cancels itself (nothing else can cancel main);
 * - `except*` is only generated in main's task (an outside `cancel()` of a task inside a failing
 *   group runs no handler in effect-asyncio);
 * - `except` handlers and `finally` blocks do not await and do not create tasks (finalizers are
 *   uninterruptible in Effect; a task made during the shutdown lives on in Effect);
 * - `cancelling()` is read on a task, or `uncancel()` called, only where no `timeout`, `wait_for`
 *   or TaskGroup of that task can have raised the count (effect-asyncio does not raise it), and
 *   `uncancel()` of another task only right after `cancel()` of a task that has not started;
 * - no bad argument (effect-asyncio dies where CPython raises): `task_done()` only after a `get`;
 * - locks, semaphores and conditions are taken in one global order, and code holding one does not
 *   await tasks nor wait without a timeout, so they cause no deadlock; events, queues, barriers
 *   and conditions may wait without a timeout and deadlock: both sides detect that and it is
 *   compared (`-> deadlock`);
 * - every sleep is short (at most 3 s) and the number of ops is capped: every program ends;
 * - futures (level 7) are settled from tasks or from loop callbacks, often by a timer scheduled
 *   when they are made; a future nobody settles may deadlock a program, which both sides detect;
 * - loop callbacks are not scheduled and futures not settled in `finally` blocks (they may run
 *   during `asyncio.run`'s shutdown, whose number of loop turns is not the program's);
 * - `all_tasks()` only without the eager task factory (CPython 3.13.0 names its tasks `None`).
 */
import type { Body, Catchable, Child, Level, Op, Prim, Program, ReturnWhen, Settle, Via } from "./ast.js"

/** mulberry32: a small, fast 32-bit PRNG. */
export class Rng {
  private state: number

  constructor(seed: number) {
    this.state = seed >>> 0
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0
    let t = this.state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }

  /** An integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1))
  }

  bool(p = 0.5): boolean {
    return this.next() < p
  }

  pick<T>(items: ReadonlyArray<T>): T {
    const item = items[Math.floor(this.next() * items.length)]
    if (item === undefined) throw new Error("pick from an empty list")
    return item
  }

  /** Picks by weight; entries with weight 0 never come out. */
  weighted<T>(entries: ReadonlyArray<readonly [T, number]>): T | undefined {
    const total = entries.reduce((sum, [, w]) => sum + w, 0)
    if (total <= 0) return undefined
    let x = this.next() * total
    for (const [value, w] of entries) {
      x -= w
      if (x < 0 && w > 0) return value
    }
    return entries.findLast(([, w]) => w > 0)?.[0]
  }

  /** A random subset of `items` (at least one, at most `max`), in their order. */
  subset<T>(items: ReadonlyArray<T>, max: number): Array<T> {
    const n = this.int(1, Math.min(max, items.length))
    const chosen = new Set<number>()
    while (chosen.size < n) chosen.add(this.int(0, items.length - 1))
    return [...chosen].sort((a, b) => a - b).flatMap((i) => (items[i] === undefined ? [] : [items[i]]))
  }
}

/** The PRNG seed of program `seed` of `level`: the same on every machine. */
export const seedOf = (level: number, seed: number): number => {
  let h = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(level + 1, 0xc2b2ae35)
  h ^= h >>> 16
  h = Math.imul(h, 0x27d4eb2f)
  h ^= h >>> 15
  return h >>> 0
}

const SLEEPS = [0, 0, 0, 0, 0.25, 0.5, 1, 1.5, 2] as const
const TIMEOUTS = [0, 0.25, 0.5, 1, 1.5, 2, 3] as const
const WAIT_FOR_TIMEOUTS = [0, 0.25, 0.5, 1, 2] as const
const BOUNDED_TIMEOUTS = [0, 0.25, 0.5, 1, 2] as const
/** Delays of loop callbacks (`call_later`, `call_at`) and of the timers that settle futures. */
const CALL_DELAYS = [0, 0, 0.25, 0.5, 1, 1.5, 2] as const
const FALLBACK_DELAYS = [0.5, 1, 1.5, 2, 3] as const
const RETURN_WHEN: ReadonlyArray<ReturnWhen> = ["ALL_COMPLETED", "FIRST_COMPLETED", "FIRST_EXCEPTION"]

/** Where an op is generated. */
interface Scope {
  readonly me: string
  /** the task variables visible here (a copy per block) */
  readonly tasks: Array<string>
  /** the future variables visible here (level 7) */
  readonly futures: Array<string>
  /** the handles of loop callbacks visible here */
  readonly handles: Array<string>
  /** the done callbacks that can be removed: [callback, task or future] */
  readonly callbacks: Array<readonly [string, string]>
  /** tasks spawned lazily in this block since the last op that may suspend: not started yet */
  readonly fresh: Set<string>
  /** the TaskGroup labels around (innermost last) */
  readonly groups: ReadonlyArray<string>
  /** the code runs in main's task */
  readonly inMainTask: boolean
  /** the top level of main (where `except CancelledError` may be) */
  readonly topMain: boolean
  /** a lock, semaphore or condition is held: only bounded waits */
  readonly critical: boolean
  /** an `except` handler or a `finally` block: nothing that awaits */
  readonly syncOnly: boolean
  readonly inFinally: boolean
  /** inside a timeout, a TaskGroup body or an inline `wait_for(coro)` body of the same task */
  readonly cancelScope: boolean
  /** the index of the last primitive held (locks are taken in index order) */
  readonly held: number
  /** how many `timeout` blocks of this coroutine are around */
  readonly timeouts: number
  /** coroutine depth (main is 0) */
  readonly depth: number
  /** block nesting */
  readonly nest: number
}

type Kind = Op["op"] | "try_cancel" | "cancel_awaiter"

/** Ops that never suspend the coroutine running them. */
const SYNC_OPS: ReadonlySet<Op["op"]> = new Set([
  "log",
  "spawn",
  "done",
  "result",
  "name",
  "exception",
  "raise",
  "cancel",
  "cancelling",
  "uncancel",
  "cancelled",
  "on_done",
  "locked",
  "event_set",
  "event_clear",
  "q_put_nowait",
  "q_get_nowait",
  "q_shutdown",
  "reschedule",
  "expired",
  "set_name",
  "all_tasks",
  "create_future",
  "fut_set",
  "call",
  "handle_cancel",
  "time",
  "remove_done"
])

/** Whether `ops` hold something that may raise their task's cancel count in CPython only. */
const hasCancelScope = (ops: ReadonlyArray<Op>, bodies: Readonly<Record<string, Body>>): boolean =>
  ops.some((op) => {
    switch (op.op) {
      case "timeout":
      case "taskgroup":
      case "wait_for":
        return true
      case "event_wait":
      case "cond_wait":
      case "cond_wait_for":
      case "q_put":
      case "q_get":
      case "q_join":
      case "barrier_wait":
        return op.timeout !== undefined
      case "try":
        return [op.body, op.handler, op.finally ?? []].some((block) => hasCancelScope(block, bodies))
      case "try_star":
      case "with":
        return hasCancelScope(op.body, bodies) || ("handler" in op && hasCancelScope(op.handler, bodies))
      default:
        return false
    }
  })

const PRIM_PREFIX: Record<Prim["kind"], string> = {
  lock: "lock",
  event: "ev",
  semaphore: "sem",
  condition: "cond",
  queue: "q",
  barrier: "bar"
}

class Generator {
  private readonly rng: Rng
  private readonly bodies: Record<string, Body> = {}
  private readonly prims: Array<Prim> = []
  private bodyCount = 0
  private groupCount = 0
  private textCount = 0
  private futureCount = 0
  private handleCount = 0
  private callbackCount = 0
  private budget: number
  /** main catches CancelledError or uses except*: then main never cancels itself */
  private readonly mainProtected: boolean
  private readonly eagerFactory: boolean
  /**
   * Tasks CPython 3.13.0 names "None": made by `create_task` without a name under a task factory
   * (`loop.create_task` calls `task.set_name(name)` even when `name` is None, a CPython bug that
   * effect-asyncio does not copy); `get_name()` is not asked of them.
   */
  private readonly unnamed = new Set<string>()

  constructor(
    private readonly level: Level,
    private readonly seed: number
  ) {
    this.rng = new Rng(seedOf(level, seed))
    const [lo, hi] = (
      [
        [5, 12],
        [6, 16],
        [8, 20],
        [8, 22],
        [10, 24],
        [10, 24],
        [10, 24]
      ] as const
    )[level - 1] ?? [5, 12]
    this.budget = this.rng.int(lo, hi)
    this.mainProtected = level >= 3 && this.rng.bool(0.35)
    this.eagerFactory = level >= 6 && this.rng.bool(level === 6 ? 0.7 : 0.3)
  }

  program(): Program {
    const scope: Scope = {
      me: "main",
      tasks: [],
      futures: [],
      handles: [],
      callbacks: [],
      fresh: new Set(),
      groups: [],
      inMainTask: true,
      topMain: true,
      critical: false,
      syncOnly: false,
      inFinally: false,
      cancelScope: false,
      held: -1,
      timeouts: 0,
      depth: 0,
      nest: 0
    }
    const main = this.block(scope, 3, 8, false)
    return {
      level: this.level,
      seed: this.seed,
      eager: this.eagerFactory,
      prims: this.prims,
      main,
      bodies: this.bodies
    }
  }

  private text(): string {
    this.textCount += 1
    return `step ${this.textCount}`
  }

  /** A block of ops; a coroutine's or a `try` body may end with a raise. */
  private block(scope: Scope, min: number, max: number, mayRaise: boolean): Array<Op> {
    const ops: Array<Op> = []
    const n = this.rng.int(min, max)
    for (let i = 0; i < n && this.budget > 0; i++) {
      for (const op of this.op(scope)) {
        this.budget -= 1
        ops.push(op)
        if (!SYNC_OPS.has(op.op)) scope.fresh.clear()
      }
    }
    if (mayRaise && this.level >= 2 && this.rng.bool(0.2))
      ops.push({ op: "raise", msg: `e${this.textCount++}` })
    return ops
  }

  /** A nested block of the same coroutine. */
  private nested(scope: Scope, changes: Partial<Scope>): Scope {
    return {
      ...scope,
      tasks: [...scope.tasks],
      futures: [...scope.futures],
      handles: [...scope.handles],
      callbacks: [...scope.callbacks],
      fresh: new Set(scope.fresh),
      topMain: false,
      nest: scope.nest + 1,
      ...changes
    }
  }

  private newBodyName(): string {
    const n = this.bodyCount++
    const letter = String.fromCharCode(65 + (n % 26))
    return n < 26 ? letter : `${letter}${Math.floor(n / 26)}`
  }

  /**
   * Makes a new body, generated in the scope of the coroutine that will run it; `lead` makes its
   * first ops.
   */
  private body(parent: Scope, inline: boolean, lead?: (scope: Scope) => ReadonlyArray<Op>): string {
    const name = this.newBodyName()
    const scope: Scope = {
      me: name,
      tasks: [...parent.tasks],
      futures: [...parent.futures],
      handles: [...parent.handles],
      callbacks: [...parent.callbacks],
      fresh: new Set(),
      groups: [],
      inMainTask: inline && parent.inMainTask,
      topMain: false,
      critical: false,
      syncOnly: false,
      inFinally: false,
      cancelScope: inline,
      held: -1,
      timeouts: 0,
      depth: parent.depth + 1,
      nest: 0
    }
    // reserve the name first: nested bodies are numbered after it
    this.bodies[name] = { ops: [], ret: 0 }
    // a body may use up to half of what is left, so that its creator keeps some
    const saved = this.budget
    this.budget = Math.max(1, Math.floor(saved / 2))
    const allowed = this.budget
    const first = lead === undefined ? [] : lead(scope)
    this.budget -= first.length
    const ops = [...first, ...this.block(scope, first.length > 0 ? 0 : 1, first.length > 0 ? 2 : 4, true)]
    this.budget = saved - (allowed - this.budget)
    const ret = this.rng.bool() ? this.rng.int(1, 9) : name.toLowerCase()
    this.bodies[name] = { ops, ret }
    return name
  }

  private canSpawn(scope: Scope): boolean {
    return scope.depth < 3 && this.bodyCount < 12 && this.budget > 1 && !scope.syncOnly
  }

  /** A child of a combinator: a new body (run as a task or inline) or a visible task. */
  private child(scope: Scope, inline: boolean): Child | undefined {
    const canBody = this.canSpawn(scope)
    const awaitables = this.awaitables(scope)
    if (awaitables.length > 0 && (!canBody || this.rng.bool(0.4))) return { task: this.rng.pick(awaitables) }
    if (!canBody) return undefined
    return { body: this.body(scope, inline) }
  }

  /** Children of a combinator; at most `maxBodies` of them new bodies. */
  private children(scope: Scope, max: number, maxBodies = max): Array<Child> {
    const n = this.rng.int(1, max)
    const children: Array<Child> = []
    let bodies = 0
    for (let i = 0; i < n; i++) {
      const awaitables = this.awaitables(scope)
      const child =
        bodies < maxBodies
          ? this.child(scope, false)
          : awaitables.length > 0
            ? { task: this.rng.pick(awaitables) }
            : undefined
      if (child === undefined) continue
      if ("body" in child) bodies += 1
      children.push(child)
    }
    return children
  }

  /** The tasks and futures visible here (what `await`, `gather`, `wait`... take). */
  private awaitables(scope: Scope): ReadonlyArray<string> {
    return scope.futures.length === 0 ? scope.tasks : [...scope.tasks, ...scope.futures]
  }

  /** Whether `task`'s cancel count is the same in both implementations at any time. */
  private plainCount(task: string): boolean {
    const body = this.bodies[task]
    return body !== undefined && !hasCancelScope(body.ops, this.bodies)
  }

  private prim(kind: Prim["kind"], scope: Scope): string | undefined {
    const ordered = kind === "lock" || kind === "semaphore" || kind === "condition"
    const existing = this.prims.filter((p, i) => p.kind === kind && (!ordered || i > scope.held))
    if (existing.length > 0 && (this.prims.length >= 4 || this.rng.bool(0.7)))
      return this.rng.pick(existing).name
    if (this.prims.length >= 4) return undefined
    const count = this.prims.filter((p) => p.kind === kind).length + 1
    const name = `${PRIM_PREFIX[kind]}${count}`
    switch (kind) {
      case "lock":
      case "event":
      case "condition":
        this.prims.push({ kind, name })
        break
      case "semaphore":
        this.prims.push({ kind, name, value: this.rng.int(1, 2) })
        break
      case "queue": {
        const order = this.rng.weighted([
          [undefined, 3],
          ["lifo", 1],
          ["priority", 1]
        ] as const)
        this.prims.push({
          kind,
          name,
          maxsize: this.rng.int(0, 2),
          ...(order === undefined ? {} : { order })
        })
        break
      }
      case "barrier":
        this.prims.push({ kind, name, parties: this.rng.int(2, 3) })
        break
    }
    return name
  }

  private primIndex(name: string): number {
    return this.prims.findIndex((p) => p.name === name)
  }

  /** A timeout for a wait on a primitive: always when holding one, mostly otherwise. */
  private boundedTimeout(scope: Scope): { timeout?: number } {
    if (!scope.critical && this.rng.bool(0.1)) return {}
    return { timeout: this.rng.pick(BOUNDED_TIMEOUTS) }
  }

  private weights(scope: Scope): Array<readonly [Kind, number]> {
    const L = this.level
    const has = scope.tasks.length > 0
    const hasAw = has || scope.futures.length > 0
    const canAwait = !scope.syncOnly && !scope.critical
    const suspends = !scope.syncOnly
    const mayCancelSelf = !(this.mainProtected && scope.inMainTask)
    const selfCount = !(scope.inFinally && scope.cancelScope)
    const nestOk = scope.nest < 3 && this.budget > 2
    // level 7 is about futures and callbacks: fewer primitives there
    const P = L >= 7 ? 0.25 : 1
    return [
      // L1
      ["log", 1],
      ["sleep", suspends ? 3 : 0],
      ["spawn", this.canSpawn(scope) && !scope.syncOnly ? 3 : 0],
      ["await", hasAw && canAwait ? (L >= 7 ? 6 : 4) : 0],
      ["done", hasAw ? 1 : 0],
      ["result", hasAw ? 0.8 : 0],
      ["name", has ? 0.4 : 0],
      ["set_name", has ? 0.3 : 0],
      ["all_tasks", this.eagerFactory ? 0 : 0.3],
      // L2
      ["exception", L >= 2 && hasAw ? 0.5 : 0],
      ["gather", L >= 2 && canAwait ? 2 : 0],
      ["wait", L >= 2 && hasAw && canAwait ? 2 : 0],
      ["as_completed", L >= 2 && canAwait ? 1 : 0],
      ["try", L >= 2 && suspends && nestOk ? 1.5 : 0],
      // L3
      ["cancel", L >= 3 ? (has ? 2 : 0) + (mayCancelSelf ? 0.4 : 0) : 0],
      ["cancelling", L >= 3 ? 0.6 : 0],
      ["uncancel", L >= 3 && (mayCancelSelf || scope.fresh.size > 0) && selfCount ? 0.6 : 0],
      ["cancelled", L >= 3 && hasAw ? 0.5 : 0],
      ["wait_for", L >= 3 && canAwait ? 1.5 : 0],
      ["timeout", L >= 3 && suspends && nestOk ? 1.5 : 0],
      ["shield", L >= 3 && canAwait ? 1 : 0],
      ["reschedule", L >= 3 && scope.timeouts > 0 && !scope.syncOnly ? 1 : 0],
      ["expired", L >= 3 && scope.timeouts > 0 ? 0.4 : 0],
      ["try_cancel", L >= 3 && scope.topMain && this.mainProtected && nestOk ? 2.5 : 0],
      ["cancel_awaiter", L >= 3 && suspends && this.canSpawn(scope) && this.budget > 4 ? 0.8 : 0],
      // L4
      ["taskgroup", L >= 4 && canAwait && nestOk ? 2 : 0],
      ["try_star", L >= 4 && scope.inMainTask && this.mainProtected && canAwait && nestOk ? 1.5 : 0],
      ["on_done", L >= 4 && hasAw ? (L >= 7 ? 1.5 : 1) : 0],
      // L5
      ["with", L >= 5 && suspends && nestOk ? 2 * P : 0],
      ["locked", L >= 5 ? 0.4 * P : 0],
      ["event_set", L >= 5 ? 1 * P : 0],
      ["event_clear", L >= 5 ? 0.3 * P : 0],
      ["event_wait", L >= 5 && suspends ? 1.5 * P : 0],
      ["cond_wait", L >= 5 && suspends ? 1 * P : 0],
      ["cond_notify", L >= 5 && suspends ? 1 * P : 0],
      ["cond_wait_for", L >= 5 && suspends ? 0.8 * P : 0],
      ["q_put", L >= 5 && suspends ? 1.2 * P : 0],
      ["q_get", L >= 5 && suspends ? 1.2 * P : 0],
      ["q_put_nowait", L >= 5 ? 0.5 * P : 0],
      ["q_get_nowait", L >= 5 ? 0.5 * P : 0],
      ["q_join", L >= 5 && suspends ? 0.5 * P : 0],
      ["barrier_wait", L >= 5 && suspends ? 1 * P : 0],
      ["barrier_abort", L >= 5 && suspends ? 0.2 * P : 0],
      ["barrier_reset", L >= 5 && suspends ? 0.2 * P : 0],
      ["q_shutdown", L >= 5 ? 0.3 * P : 0],
      // L7
      ["create_future", L >= 7 && this.futureCount < 4 && !scope.inFinally ? 2.5 : 0],
      ["fut_set", L >= 7 && scope.futures.length > 0 && !scope.inFinally ? 6 : 0],
      ["call", L >= 7 && !scope.inFinally ? 1.5 : 0],
      ["handle_cancel", L >= 7 && scope.handles.length > 0 ? 3 : 0],
      ["time", L >= 7 ? 0.5 : 0],
      ["remove_done", L >= 7 && scope.callbacks.length > 0 ? 3 : 0]
    ]
  }

  /** One op, or a few that go together (`cancel` then `uncancel`). */
  private op(scope: Scope): ReadonlyArray<Op> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const kind = this.rng.weighted(this.weights(scope))
      if (kind === undefined) return []
      const op = this.make(kind, scope)
      if (op !== undefined) return "op" in op ? [op] : op
    }
    return []
  }

  private eagerOption(): { eager?: boolean } {
    const p = this.level >= 6 ? 0.5 : 0.15
    return this.rng.bool(p) ? { eager: this.rng.bool(0.7) } : {}
  }

  private make(kind: Kind, scope: Scope): Op | ReadonlyArray<Op> | undefined {
    const rng = this.rng
    const L = this.level
    switch (kind) {
      case "log":
        return { op: "log", text: this.text() }
      case "sleep":
        return { op: "sleep", d: rng.pick(SLEEPS) }
      case "spawn": {
        const group =
          scope.groups.length > 0 && rng.bool(0.8)
            ? rng.bool(0.8)
              ? scope.groups[scope.groups.length - 1]
              : rng.pick(scope.groups)
            : undefined
        const body = this.body(scope, false)
        const name = rng.bool(0.15) ? { name: `w${body.toLowerCase()}` } : {}
        const eager = group === undefined ? this.eagerOption() : {}
        scope.tasks.push(body)
        if (this.eagerFactory && eager.eager === undefined && name.name === undefined) this.unnamed.add(body)
        const lazy =
          group === undefined
            ? eager.eager !== true && (eager.eager === false || !this.eagerFactory)
            : !this.eagerFactory
        if (lazy) scope.fresh.add(body)
        return { op: "spawn", body, ...name, ...eager, ...(group === undefined ? {} : { group }) }
      }
      case "await": {
        // a future as often as a task, where there are both
        const pool =
          scope.futures.length > 0 && (scope.tasks.length === 0 || rng.bool(0.5))
            ? scope.futures
            : scope.tasks
        return { op: "await", task: rng.pick(pool) }
      }
      case "name": {
        const named = scope.tasks.filter((task) => !this.unnamed.has(task))
        return named.length === 0 ? undefined : { op: "name", task: rng.pick(named) }
      }
      case "done":
      case "result":
      case "exception":
      case "cancelled":
        return { op: kind, task: rng.pick(this.awaitables(scope)) }
      case "on_done": {
        const task = rng.pick(this.awaitables(scope))
        if (L < 7 || rng.bool(0.3)) return { op: "on_done", task }
        const cb = `cb${++this.callbackCount}`
        scope.callbacks.push([cb, task])
        return { op: "on_done", task, cb }
      }
      case "set_name":
        return { op: "set_name", task: rng.pick(scope.tasks), name: `n${this.textCount++}` }
      case "all_tasks":
        return { op: "all_tasks" }
      case "gather": {
        const children = this.children(scope, 3)
        if (children.length === 0) return undefined
        return { op: "gather", children, returnExceptions: rng.bool(0.4) }
      }
      case "wait": {
        const tasks = rng.subset(this.awaitables(scope), 3)
        const timeout = rng.bool(0.4) ? { timeout: rng.pick(WAIT_FOR_TIMEOUTS) } : {}
        return { op: "wait", tasks, returnWhen: rng.pick(RETURN_WHEN), ...timeout }
      }
      case "as_completed": {
        // CPython starts the coroutines of as_completed in the order of a set (their addresses)
        const children = this.children(scope, 3, 1)
        if (children.length === 0) return undefined
        const timeout = L >= 3 && rng.bool(0.3) ? { timeout: rng.pick(BOUNDED_TIMEOUTS.slice(1)) } : {}
        return { op: "as_completed", children, ...timeout, ...(rng.bool(0.3) ? { stream: true } : {}) }
      }
      case "try": {
        const catches: Array<Catchable> = ["ValueError"]
        if (L >= 3 && rng.bool(0.5)) catches.push("TimeoutError")
        if (catches.length > 1 && rng.bool(0.3)) catches.shift()
        const body = this.block(this.nested(scope, {}), 1, 3, true)
        const handler = this.block(this.nested(scope, { syncOnly: true }), 0, 2, false)
        const withFinally = L >= 3 && rng.bool(0.4)
        const fin = withFinally
          ? this.block(this.nested(scope, { syncOnly: true, inFinally: true }), 0, 2, false)
          : []
        return { op: "try", body, catch: catches, handler, ...(withFinally ? { finally: fin } : {}) }
      }
      case "try_cancel": {
        const catches: Array<Catchable> = ["CancelledError"]
        if (rng.bool(0.4)) catches.push("ValueError")
        const body = this.block(this.nested(scope, {}), 1, 3, false)
        const handler = this.block(this.nested(scope, { syncOnly: true }), 0, 2, false)
        return { op: "try", body, catch: catches, handler }
      }
      case "cancel": {
        const mayCancelSelf = !(this.mainProtected && scope.inMainTask)
        const self = mayCancelSelf && (scope.tasks.length === 0 || rng.bool(0.15))
        if (!self && scope.tasks.length === 0) return undefined
        const task = self ? "self" : rng.pick(scope.tasks)
        return { op: "cancel", task, ...(rng.bool(0.4) ? { msg: `m${this.textCount++}` } : {}) }
      }
      case "cancelling": {
        const selfOk = !(scope.inFinally && scope.cancelScope)
        const others = scope.tasks.filter((t) => this.plainCount(t))
        if (others.length > 0 && (!selfOk || rng.bool(0.6)))
          return { op: "cancelling", task: rng.pick(others) }
        return selfOk ? { op: "cancelling", task: "self" } : undefined
      }
      case "uncancel": {
        const fresh = [...scope.fresh].filter((t) => this.plainCount(t))
        const mayCancelSelf = !(this.mainProtected && scope.inMainTask)
        if (fresh.length > 0 && (!mayCancelSelf || rng.bool(0.5))) {
          // `cancel(t)` then `uncancel(t)`: withdrawn before t starts
          const task = rng.pick(fresh)
          return [
            { op: "cancel", task },
            { op: "uncancel", task }
          ]
        }
        if (!mayCancelSelf) return undefined
        // cancelled itself and still running: withdrawn before it suspends
        if (rng.bool(0.5)) {
          return [
            { op: "cancel", task: "self" },
            { op: "uncancel", task: "self" }
          ]
        }
        return { op: "uncancel", task: "self" }
      }
      case "wait_for": {
        const timeout = rng.pick(WAIT_FOR_TIMEOUTS)
        const child = this.child(scope, timeout > 0)
        if (child === undefined) return undefined
        return { op: "wait_for", child, timeout }
      }
      case "timeout": {
        const body = this.block(
          this.nested(scope, { cancelScope: true, timeouts: scope.timeouts + 1 }),
          1,
          3,
          true
        )
        return { op: "timeout", d: rng.pick(TIMEOUTS), body, ...(rng.bool(0.3) ? { at: true } : {}) }
      }
      case "reschedule":
        return { op: "reschedule", d: rng.bool(0.2) ? null : rng.pick(TIMEOUTS) }
      case "expired":
        return { op: "expired" }
      case "q_shutdown": {
        const prim = this.prim("queue", scope)
        return prim === undefined ? undefined : { op: "q_shutdown", prim, immediate: rng.bool(0.4) }
      }
      case "shield": {
        const child = this.child(scope, false)
        return child === undefined ? undefined : { op: "shield", child }
      }
      case "taskgroup": {
        const label = `g${++this.groupCount}`
        const body = this.block(
          this.nested(scope, { groups: [...scope.groups, label], cancelScope: true }),
          1,
          4,
          true
        )
        return { op: "taskgroup", label, body }
      }
      case "try_star": {
        const body = this.block(this.nested(scope, {}), 1, 2, true)
        const handler = this.block(this.nested(scope, { syncOnly: true }), 0, 1, false)
        return { op: "try_star", body, handler }
      }
      case "with": {
        const kinds: Array<Prim["kind"]> = ["lock", "semaphore", "condition"]
        const prim = this.prim(rng.pick(kinds), scope)
        if (prim === undefined) return undefined
        const index = this.primIndex(prim)
        if (index <= scope.held) return undefined
        const body = this.block(this.nested(scope, { critical: true, held: index }), 1, 3, true)
        return { op: "with", prim, body }
      }
      case "locked": {
        const prim = this.prim(rng.pick(["lock", "event", "semaphore", "condition"] as const), scope)
        return prim === undefined ? undefined : { op: "locked", prim }
      }
      case "event_set":
      case "event_clear": {
        const prim = this.prim("event", scope)
        return prim === undefined ? undefined : { op: kind, prim }
      }
      case "event_wait": {
        const prim = this.prim("event", scope)
        return prim === undefined ? undefined : { op: "event_wait", prim, ...this.boundedTimeout(scope) }
      }
      case "cond_wait":
      case "cond_wait_for":
      case "cond_notify": {
        const prim = this.prim("condition", scope)
        if (prim === undefined || this.primIndex(prim) <= scope.held) return undefined
        if (kind === "cond_notify")
          return { op: "cond_notify", prim, n: rng.bool(0.3) ? "all" : rng.int(1, 2) }
        if (kind === "cond_wait_for")
          return { op: "cond_wait_for", prim, n: rng.int(1, 2), ...this.boundedTimeout(scope) }
        return { op: "cond_wait", prim, ...this.boundedTimeout(scope) }
      }
      case "q_put":
      case "q_put_nowait": {
        const prim = this.prim("queue", scope)
        if (prim === undefined) return undefined
        const item = rng.int(1, 99)
        return kind === "q_put"
          ? { op: "q_put", prim, item, ...this.boundedTimeout(scope) }
          : { op: "q_put_nowait", prim, item }
      }
      case "q_get":
      case "q_get_nowait": {
        const prim = this.prim("queue", scope)
        if (prim === undefined) return undefined
        const taskDone = rng.bool(0.6)
        return kind === "q_get"
          ? { op: "q_get", prim, taskDone, ...this.boundedTimeout(scope) }
          : { op: "q_get_nowait", prim, taskDone }
      }
      case "q_join": {
        const prim = this.prim("queue", scope)
        return prim === undefined ? undefined : { op: "q_join", prim, ...this.boundedTimeout(scope) }
      }
      case "barrier_wait": {
        const prim = this.prim("barrier", scope)
        return prim === undefined ? undefined : { op: "barrier_wait", prim, ...this.boundedTimeout(scope) }
      }
      case "barrier_abort":
      case "barrier_reset": {
        const prim = this.prim("barrier", scope)
        return prim === undefined ? undefined : { op: kind, prim }
      }
      case "cancel_awaiter": {
        // a task blocked in a gather or a shield, cancelled one turn after it started
        const lead = (inner: Scope): ReadonlyArray<Op> => {
          const made = this.make(rng.bool(0.6) ? "gather" : "shield", inner)
          return made === undefined ? [] : "op" in made ? [made] : made
        }
        const body = this.body(scope, false, lead)
        scope.tasks.push(body)
        if (this.eagerFactory) this.unnamed.add(body)
        return [
          { op: "spawn", body },
          { op: "sleep", d: 0 },
          { op: "cancel", task: body, ...(rng.bool(0.4) ? { msg: `m${this.textCount++}` } : {}) }
        ]
      }
      case "create_future": {
        const fut = `f${++this.futureCount}`
        scope.futures.push(fut)
        const ops: Array<Op> = [{ op: "create_future", fut }]
        // most futures get a timer that settles them, so that few programs wait forever
        if (rng.bool(0.6)) ops.push({ ...this.settle(fut), via: "later", d: rng.pick(FALLBACK_DELAYS) })
        return ops
      }
      case "fut_set": {
        const fut = rng.pick(scope.futures)
        const via = rng.weighted<Via | "task">([
          ["task", 4],
          ["soon", 2.5],
          ["later", 2.5],
          ["at", 1]
        ])
        if (via === undefined || via === "task") return this.settle(fut)
        return { ...this.settle(fut), via, ...this.callTiming(via), ...this.handle(scope) }
      }
      case "call": {
        const via = rng.weighted<Via>([
          ["soon", 4],
          ["later", 4],
          ["at", 2]
        ])
        if (via === undefined) return undefined
        return { op: "call", via, ...this.callTiming(via), text: this.text(), ...this.handle(scope) }
      }
      case "handle_cancel":
        return { op: "handle_cancel", handle: rng.pick(scope.handles) }
      case "time":
        return { op: "time" }
      case "remove_done": {
        const [cb, task] = rng.pick(scope.callbacks)
        return { op: "remove_done", task, cb }
      }
      case "raise":
        return undefined
    }
  }

  /** `set_result` / `set_exception` / `cancel` of `fut`, from the task. */
  private settle(fut: string): Op & { op: "fut_set" } {
    const how =
      this.rng.weighted<Settle>([
        ["result", 5],
        ["exception", 2.5],
        ["cancel", 2.5]
      ]) ?? "result"
    const value =
      how === "result"
        ? this.rng.bool()
          ? this.rng.int(1, 9)
          : `v${this.textCount++}`
        : how === "exception"
          ? `e${this.textCount++}`
          : this.rng.bool(0.5)
            ? `m${this.textCount++}`
            : undefined
    return { op: "fut_set", fut, how, ...(value === undefined ? {} : { value }) }
  }

  private callTiming(via: Via): { d?: number } {
    return via === "soon" ? {} : { d: this.rng.pick(CALL_DELAYS) }
  }

  /** Sometimes binds the handle of a loop callback to a variable. */
  private handle(scope: Scope): { handle?: string } {
    if (!this.rng.bool(0.4)) return {}
    const handle = `h${++this.handleCount}`
    scope.handles.push(handle)
    return { handle }
  }
}

/** The program of `level` made from `seed`: the same on every machine. */
export const generate = (level: Level, seed: number): Program => new Generator(level, seed).program()
