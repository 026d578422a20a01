/**
 * Minimising a program that diverges: greedy delta debugging over the AST. Each step tries
 * smaller variants of the program (a half of a block removed, one op removed, a block unwrapped
 * into its parent, a child of a combinator dropped, an option dropped, a sleep made 0...), in that
 * order, runs each on both sides and keeps the first that still diverges; it stops when no variant
 * diverges (the program is then 1-minimal for these edits) or when the budget of runs is spent.
 *
 * Every variant goes through `normalize`, which keeps it valid: a variable whose `spawn` was
 * removed is no longer read (the ops reading it go, a combinator loses that child), bodies nobody
 * runs any more and unused primitives are dropped.
 */
import { type Body, bindsOf, blocksOf, type Child, type Op, type Program, sizeOf, tasksOf } from "./ast.js"

type Ops = ReadonlyArray<Op>

/** The program with every dangling reference removed (see the module comment). */
export const normalize = (program: Program): Program => {
  const bodies: Record<string, Body> = {}
  const usedPrims = new Set<string>()

  const visitBody = (name: string, visible: ReadonlySet<string>) => {
    const body = program.bodies[name]
    if (body === undefined) return false
    bodies[name] = { ops: [], ret: body.ret }
    bodies[name] = { ops: block(body.ops, new Set(visible), []), ret: body.ret }
    return true
  }

  const keepChild = (child: Child, visible: ReadonlySet<string>): boolean =>
    "task" in child ? visible.has(child.task) : visitBody(child.body, visible)

  /** `timeouts`: how many `timeout` blocks are around, in the same coroutine */
  const block = (ops: Ops, visible: Set<string>, groups: ReadonlyArray<string>, timeouts = 0): Array<Op> => {
    const out: Array<Op> = []
    for (const op of ops) {
      const kept = one(op, visible, groups, timeouts)
      if (kept !== undefined) out.push(kept)
    }
    return out
  }

  const one = (
    op: Op,
    visible: Set<string>,
    groups: ReadonlyArray<string>,
    timeouts: number
  ): Op | undefined => {
    if ("prim" in op) usedPrims.add(op.prim)
    switch (op.op) {
      case "reschedule":
      case "expired":
        return timeouts > 0 ? op : undefined
      case "spawn": {
        if (!visitBody(op.body, visible)) return undefined
        visible.add(op.body)
        if (op.group !== undefined && !groups.includes(op.group)) {
          const { group: _group, ...rest } = op
          return rest
        }
        return op
      }
      case "await":
      case "done":
      case "result":
      case "name":
      case "set_name":
      case "exception":
      case "cancelled":
      case "on_done":
      case "remove_done":
      case "fut_set":
      case "handle_cancel":
      case "create_future":
      case "call": {
        if (!tasksOf(op).every((name) => visible.has(name))) return undefined
        for (const name of bindsOf(op)) visible.add(name)
        return op
      }
      case "cancel":
      case "cancelling":
      case "uncancel":
        return op.task === "self" || visible.has(op.task) ? op : undefined
      case "gather":
      case "as_completed": {
        const children = op.children.filter((child) => keepChild(child, visible))
        return children.length === 0 ? undefined : { ...op, children }
      }
      case "wait": {
        const tasks = op.tasks.filter((task) => visible.has(task))
        return tasks.length === 0 ? undefined : { ...op, tasks }
      }
      case "wait_for":
      case "shield":
        return keepChild(op.child, visible) ? op : undefined
      case "try": {
        const body = block(op.body, new Set(visible), groups, timeouts)
        const handler = block(op.handler, new Set(visible), groups, timeouts)
        const fin =
          op.finally === undefined ? undefined : block(op.finally, new Set(visible), groups, timeouts)
        return { ...op, body, handler, ...(fin === undefined ? {} : { finally: fin }) }
      }
      case "try_star":
        return {
          ...op,
          body: block(op.body, new Set(visible), groups, timeouts),
          handler: block(op.handler, new Set(visible), groups, timeouts)
        }
      case "timeout":
        return { ...op, body: block(op.body, new Set(visible), groups, timeouts + 1) }
      case "with":
        return { ...op, body: block(op.body, new Set(visible), groups, timeouts) }
      case "taskgroup":
        return { ...op, body: block(op.body, new Set(visible), [...groups, op.label], timeouts) }
      default:
        return op
    }
  }

  const main = block(program.main, new Set(), [])
  return { ...program, main, bodies, prims: program.prims.filter((prim) => usedPrims.has(prim.name)) }
}

/** The op with one of its blocks replaced. */
const withBlock = (op: Op, index: number, ops: Ops): Op => {
  switch (op.op) {
    case "try":
      if (index === 0) return { ...op, body: ops }
      if (index === 1) return { ...op, handler: ops }
      return { ...op, finally: ops }
    case "try_star":
      return index === 0 ? { ...op, body: ops } : { ...op, handler: ops }
    case "timeout":
    case "taskgroup":
    case "with":
      return { ...op, body: ops }
    default:
      return op
  }
}

/** Smaller forms of one op, without touching its blocks. */
function* simpler(op: Op): Generator<Op | Ops> {
  const blocks = blocksOf(op)
  // unwrap: the first block in place of the op (a try's body, a group's body...)
  const first = blocks[0]
  if (first !== undefined) yield first
  switch (op.op) {
    case "spawn": {
      const { name: _n, eager: _e, group: _g, ...bare } = op
      if (op.name !== undefined || op.eager !== undefined || op.group !== undefined) yield bare
      break
    }
    case "sleep":
      if (op.d !== 0) yield { ...op, d: 0 }
      break
    case "gather":
    case "as_completed":
      if (op.children.length > 1) {
        for (let i = 0; i < op.children.length; i++) {
          yield { ...op, children: op.children.filter((_, j) => j !== i) }
        }
      }
      if (op.op === "gather" && op.returnExceptions) yield { ...op, returnExceptions: false }
      if (op.op === "as_completed" && op.timeout !== undefined) {
        const { timeout: _t, ...rest } = op
        yield rest
      }
      if (op.op === "as_completed" && op.stream === true) {
        const { stream: _s, ...rest } = op
        yield rest
      }
      break
    case "wait":
      if (op.tasks.length > 1) {
        for (let i = 0; i < op.tasks.length; i++) yield { ...op, tasks: op.tasks.filter((_, j) => j !== i) }
      }
      if (op.timeout !== undefined) {
        const { timeout: _t, ...rest } = op
        yield rest
      }
      if (op.returnWhen !== "ALL_COMPLETED") yield { ...op, returnWhen: "ALL_COMPLETED" }
      break
    case "try":
      if (op.finally !== undefined) {
        const { finally: _f, ...rest } = op
        yield rest
      }
      if (op.catch.length > 1) {
        for (let i = 0; i < op.catch.length; i++) yield { ...op, catch: op.catch.filter((_, j) => j !== i) }
      }
      break
    case "cancel":
      if (op.msg !== undefined) {
        const { msg: _m, ...rest } = op
        yield rest
      }
      break
    case "fut_set":
      if (op.via !== undefined) {
        const { via: _v, d: _d, handle: _h, ...rest } = op
        yield rest
      }
      if (op.handle !== undefined) {
        const { handle: _h, ...rest } = op
        yield rest
      }
      if (op.via !== undefined && op.via !== "soon" && op.d !== 0) yield { ...op, d: 0 }
      break
    case "call":
      if (op.handle !== undefined) {
        const { handle: _h, ...rest } = op
        yield rest
      }
      if (op.via !== "soon" && op.d !== 0) yield { ...op, d: 0 }
      break
    case "on_done":
      if (op.cb !== undefined) {
        const { cb: _c, ...rest } = op
        yield rest
      }
      break
    case "wait_for":
      if (op.timeout !== 0) yield { ...op, timeout: 0 }
      break
    case "timeout":
      if (op.d !== 0) yield { ...op, d: 0 }
      if (op.at === true) {
        const { at: _a, ...rest } = op
        yield rest
      }
      break
    case "event_wait":
    case "cond_wait":
    case "cond_wait_for":
    case "q_put":
    case "q_get":
    case "q_join":
    case "barrier_wait":
      if (op.timeout !== undefined) {
        const { timeout: _t, ...rest } = op
        yield rest
      }
      break
    default:
      break
  }
}

/** Smaller forms of a list of ops: halves removed, one op removed, one op simpler, then inside. */
function* variantsOfList(ops: Ops): Generator<Ops> {
  const n = ops.length
  if (n >= 4) {
    const half = Math.floor(n / 2)
    yield ops.slice(half)
    yield ops.slice(0, half)
  }
  for (let i = 0; i < n; i++) yield [...ops.slice(0, i), ...ops.slice(i + 1)]
  for (let i = 0; i < n; i++) {
    const op = ops[i]
    if (op === undefined) continue
    for (const smaller of simpler(op)) {
      const replacement = "op" in smaller ? [smaller] : smaller
      yield [...ops.slice(0, i), ...replacement, ...ops.slice(i + 1)]
    }
  }
  for (let i = 0; i < n; i++) {
    const op = ops[i]
    if (op === undefined) continue
    const blocks = blocksOf(op)
    for (let b = 0; b < blocks.length; b++) {
      const block = blocks[b]
      if (block === undefined) continue
      for (const smaller of variantsOfList(block)) {
        yield [...ops.slice(0, i), withBlock(op, b, smaller), ...ops.slice(i + 1)]
      }
    }
  }
}

/** Every smaller variant of `program`, normalised, biggest cuts first, each once. */
export function* variants(program: Program): Generator<Program> {
  const seen = new Set<string>([JSON.stringify(program)])
  const emit = function* (candidate: Program): Generator<Program> {
    const normal = normalize(candidate)
    const key = JSON.stringify(normal)
    if (seen.has(key)) return
    seen.add(key)
    yield normal
  }
  if (program.eager) yield* emit({ ...program, eager: false })
  for (const main of variantsOfList(program.main)) yield* emit({ ...program, main })
  for (const [name, body] of Object.entries(program.bodies)) {
    for (const ops of variantsOfList(body.ops)) {
      yield* emit({ ...program, bodies: { ...program.bodies, [name]: { ...body, ops } } })
    }
    if (body.ret !== 0)
      yield* emit({ ...program, bodies: { ...program.bodies, [name]: { ...body, ret: 0 } } })
  }
}

/** Runs a batch of programs on both sides; for each, whether the two logs still diverge. */
export type Oracle = (programs: ReadonlyArray<Program>) => Promise<ReadonlyArray<boolean>>

export interface Minimised {
  readonly program: Program
  /** runs spent (each on both sides) */
  readonly runs: number
  readonly steps: number
}

/**
 * Greedy minimisation of a diverging `program`: variants are tried in batches of `batch` and the
 * first that still diverges is kept, until none does or `budget` runs are spent.
 */
export const minimise = async (
  program: Program,
  oracle: Oracle,
  budget = 400,
  batch = 8
): Promise<Minimised> => {
  let current = normalize(program)
  let runs = 0
  let steps = 0
  let improved = true
  while (improved && runs < budget) {
    improved = false
    const iterator = variants(current)
    for (;;) {
      const chunk: Array<Program> = []
      for (let next = iterator.next(); !next.done; next = iterator.next()) {
        if (sizeOf(next.value) <= sizeOf(current) || next.value.prims.length < current.prims.length) {
          chunk.push(next.value)
        }
        if (chunk.length >= batch) break
      }
      if (chunk.length === 0) break
      const results = await oracle(chunk)
      runs += chunk.length
      const index = results.indexOf(true)
      const found = chunk[index]
      if (found !== undefined) {
        current = found
        steps += 1
        improved = true
        break
      }
      if (runs >= budget) break
    }
  }
  return { program: current, runs, steps }
}
