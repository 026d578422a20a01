/**
 * A program of the fuzzer as Python-like source, for reports (`--replay`, the minimised failures).
 */
import type { Child, Op, Program, Via } from "./ast.js"

const child = (c: Child): string => ("body" in c ? `${c.body}()` : c.task)
const target = (t: string): string => (t === "self" ? "current_task()" : t)
const timeoutArg = (t: number | undefined): string => (t === undefined ? "" : `, timeout=${t}`)
const bounded = (what: string, t: number | undefined): string =>
  t === undefined ? `await ${what}` : `async with timeout(${t}): await ${what}`
const value = (v: number | string | undefined): string => (v === undefined ? "" : JSON.stringify(v))
/** `loop.call_soon(`, `loop.call_later(d, `, `loop.call_at(loop.time() + d, ` */
const call = (via: Via, d: number | undefined): string =>
  via === "soon"
    ? "loop.call_soon("
    : via === "later"
      ? `loop.call_later(${d ?? 0}, `
      : `loop.call_at(loop.time() + ${d ?? 0}, `

const lines = (ops: ReadonlyArray<Op>, indent: string): Array<string> => {
  const out: Array<string> = []
  const push = (line: string) => out.push(indent + line)
  const block = (ops: ReadonlyArray<Op>) => {
    const inner = lines(ops, `${indent}    `)
    out.push(...(inner.length === 0 ? [`${indent}    pass`] : inner))
  }
  for (const op of ops) {
    switch (op.op) {
      case "log":
        push(`log(${JSON.stringify(op.text)})`)
        break
      case "sleep":
        push(`await sleep(${op.d})`)
        break
      case "spawn": {
        const args = [`${op.body}()`]
        if (op.name !== undefined) args.push(`name=${JSON.stringify(op.name)}`)
        if (op.eager !== undefined) args.push(`eager_start=${op.eager ? "True" : "False"}`)
        push(
          `${op.body} = ${op.group === undefined ? "create_task" : `${op.group}.create_task`}(${args.join(", ")})`
        )
        break
      }
      case "await":
        push(`await ${op.task}`)
        break
      case "done":
      case "result":
      case "exception":
      case "cancelled":
        push(`${op.task}.${op.op}()`)
        break
      case "name":
        push(`${op.task}.get_name()`)
        break
      case "set_name":
        push(`${op.task}.set_name(${JSON.stringify(op.name)})`)
        break
      case "all_tasks":
        push("sorted(t.get_name() for t in all_tasks())")
        break
      case "gather":
        push(
          `await gather(${op.children.map(child).join(", ")}${op.returnExceptions ? ", return_exceptions=True" : ""})`
        )
        break
      case "wait":
        push(`await wait([${op.tasks.join(", ")}], return_when=${op.returnWhen}${timeoutArg(op.timeout)})`)
        break
      case "as_completed":
        push(
          op.stream === true
            ? `async for t in as_completed([${op.children.map(child).join(", ")}]${timeoutArg(op.timeout)}): t.result()`
            : `for aw in as_completed([${op.children.map(child).join(", ")}]${timeoutArg(op.timeout)}): await aw`
        )
        break
      case "raise":
        push(`raise ValueError(${JSON.stringify(op.msg)})`)
        break
      case "try":
        push("try:")
        block(op.body)
        if (op.catch.length > 0) {
          push(`except (${op.catch.join(", ")}):`)
          block(op.handler)
        }
        if (op.finally !== undefined) {
          push("finally:")
          block(op.finally)
        }
        break
      case "try_star":
        push("try:")
        block(op.body)
        push("except* ValueError:")
        block(op.handler)
        break
      case "cancel":
        push(`${target(op.task)}.cancel(${op.msg === undefined ? "" : JSON.stringify(op.msg)})`)
        break
      case "cancelling":
      case "uncancel":
        push(`${target(op.task)}.${op.op}()`)
        break
      case "wait_for":
        push(`await wait_for(${child(op.child)}, ${op.timeout})`)
        break
      case "timeout":
        push(
          op.at === true
            ? `async with timeout_at(loop.time() + ${op.d}) as cm:`
            : `async with timeout(${op.d}) as cm:`
        )
        block(op.body)
        break
      case "shield":
        push(`await shield(${child(op.child)})`)
        break
      case "taskgroup":
        push(`async with TaskGroup() as ${op.label}:`)
        block(op.body)
        break
      case "on_done":
        push(
          op.cb === undefined
            ? `${op.task}.add_done_callback(log)`
            : `${op.task}.add_done_callback(${op.cb} := log)`
        )
        break
      case "remove_done":
        push(`${op.task}.remove_done_callback(${op.cb})`)
        break
      case "with":
        push(`async with ${op.prim}:`)
        block(op.body)
        break
      case "locked":
        push(`${op.prim}.locked()`)
        break
      case "event_set":
        push(`${op.prim}.set()`)
        break
      case "event_clear":
        push(`${op.prim}.clear()`)
        break
      case "event_wait":
        push(bounded(`${op.prim}.wait()`, op.timeout))
        break
      case "cond_wait":
        push(`async with ${op.prim}: ${bounded(`${op.prim}.wait()`, op.timeout)}`)
        break
      case "cond_notify":
        push(`async with ${op.prim}: ${op.prim}.${op.n === "all" ? "notify_all()" : `notify(${op.n})`}`)
        break
      case "cond_wait_for":
        push(
          `async with ${op.prim}: ${bounded(`${op.prim}.wait_for(lambda: notified >= ${op.n})`, op.timeout)}`
        )
        break
      case "q_put":
        push(bounded(`${op.prim}.put(${op.item})`, op.timeout))
        break
      case "q_get":
        push(bounded(`${op.prim}.get()`, op.timeout) + (op.taskDone ? `; ${op.prim}.task_done()` : ""))
        break
      case "q_put_nowait":
        push(`${op.prim}.put_nowait(${op.item})`)
        break
      case "q_get_nowait":
        push(`${op.prim}.get_nowait()${op.taskDone ? `; ${op.prim}.task_done()` : ""}`)
        break
      case "q_join":
        push(bounded(`${op.prim}.join()`, op.timeout))
        break
      case "barrier_wait":
        push(bounded(`${op.prim}.wait()`, op.timeout))
        break
      case "barrier_abort":
        push(`await ${op.prim}.abort()`)
        break
      case "barrier_reset":
        push(`await ${op.prim}.reset()`)
        break
      case "q_shutdown":
        push(`${op.prim}.shutdown(immediate=${op.immediate ? "True" : "False"})`)
        break
      case "reschedule":
        push(`cm.reschedule(${op.d === null ? "None" : `loop.time() + ${op.d}`})`)
        break
      case "expired":
        push("cm.expired()")
        break
      case "create_future":
        push(`${op.fut} = loop.create_future()`)
        break
      case "fut_set": {
        const method =
          op.how === "result" ? "set_result" : op.how === "exception" ? "set_exception" : "cancel"
        const arg = op.how === "exception" ? `ValueError(${value(op.value)})` : value(op.value)
        const bind = op.handle === undefined ? "" : `${op.handle} = `
        push(
          op.via === undefined
            ? `${op.fut}.${method}(${arg})`
            : `${bind}${call(op.via, op.d)}${op.fut}.${method}${arg === "" ? "" : `, ${arg}`})`
        )
        break
      }
      case "call":
        push(
          `${op.handle === undefined ? "" : `${op.handle} = `}${call(op.via, op.d)}log, ${JSON.stringify(op.text)})`
        )
        break
      case "handle_cancel":
        push(`${op.handle}.cancel()`)
        break
      case "time":
        push("loop.time()")
        break
    }
  }
  return out
}

/** The program as Python-like source. */
export const pretty = (program: Program): string => {
  const out: Array<string> = []
  if (program.eager) out.push("loop.set_task_factory(eager_task_factory)")
  for (const prim of program.prims) {
    const args =
      prim.kind === "semaphore"
        ? String(prim.value)
        : prim.kind === "queue"
          ? `maxsize=${prim.maxsize}`
          : prim.kind === "barrier"
            ? String(prim.parties)
            : ""
    const cls = {
      lock: "Lock",
      event: "Event",
      semaphore: "Semaphore",
      condition: "Condition",
      queue: "Queue",
      barrier: "Barrier"
    }[prim.kind]
    out.push(`${prim.name} = ${cls}(${args})`)
  }
  for (const [name, body] of Object.entries(program.bodies)) {
    out.push(`async def ${name}():`)
    out.push(...lines(body.ops, "    "))
    out.push(`    return ${JSON.stringify(body.ret)}`)
  }
  out.push("async def main():")
  const main = lines(program.main, "    ")
  out.push(...(main.length === 0 ? ["    pass"] : main))
  return out.join("\n")
}
