/**
 * The effect-asyncio side of the differential fuzzer: runs a program of `ast.ts` with the public
 * API of `@effect-asyncio/core`, under `TestClock` with `runVirtual` (as `asyncio.run` on virtual
 * time), and returns its log. `interp.py` is the same interpreter for CPython 3.13; both write the
 * same lines with the same formatting rule (`fmt`).
 *
 * A program that deadlocks (main still pending once every timer has fired: `runVirtual` has moved
 * the clock a year ahead and main is not done) ends its log with `-> deadlock`, as the CPython side
 * does when its loop would block forever.
 */
import * as asyncio from "@effect-asyncio/core"
import { runVirtual, type VirtualRun } from "@effect-asyncio/core/testing"
import { Cause, Effect, Exit, type Fiber, Stream } from "effect"
import { TestClock } from "effect/testing"
import type { Catchable, Child, Op, Prim, Program } from "./ast.js"

type AnyTask = asyncio.Task<unknown, unknown>
type AnyFuture = asyncio.Future<unknown, unknown>
type DoneCallback = (future: AnyFuture) => void
/** What a variable holds: a task or a future, the handle of a loop callback, a done callback. */
type Binding = AnyFuture | asyncio.Handle | DoneCallback
type Eff<A = unknown> = Effect.Effect<A, unknown, asyncio.EventLoop>

/** The reports of the exception handler that depend on CPython's garbage collector: not compared. */
const GC_MESSAGES = [
  "Task exception was never retrieved",
  "Future exception was never retrieved",
  "Task was destroyed but it is pending!"
]
/**
 * A callback that raised: logged as `! Exception in callback: <class>`, since CPython's message
 * goes on with the callback's qualified name and source line, which JavaScript cannot reproduce.
 */
const CALLBACK_MESSAGE = "Exception in callback"

const quote = (s: string): string => `'${s}'`

/** A duration or a time: integers without a point, otherwise up to 3 decimals (as `fmt_num`). */
export const fmtNum = (x: number): string =>
  Number.isInteger(x) ? String(x) : x.toFixed(3).replace(/0+$/, "").replace(/\.$/, "")

const tagOf = (value: unknown): string | undefined => {
  if (typeof value !== "object" || value === null || !("_tag" in value)) return undefined
  return typeof value._tag === "string" ? value._tag : undefined
}

const messageOf = (value: object): string =>
  "message" in value && typeof value.message === "string" ? value.message : String(value)

/** The formatting rule shared with interp.py (its `fmt`): Python's repr, roughly. */
export const fmt = (value: unknown): string => {
  if (value === undefined || value === null) return "None"
  if (value === true) return "True"
  if (value === false) return "False"
  if (typeof value === "number") return fmtNum(value)
  if (typeof value === "string") return quote(value)
  if (Array.isArray(value)) return `[${value.map(fmt).join(", ")}]`
  if (value instanceof asyncio.ExceptionGroup) {
    const inner = value.reasons.map((reason) =>
      fmt(Cause.isFailReason(reason) ? reason.error : reason.defect)
    )
    return `ExceptionGroup(${quote(value.groupMessage)}, [${inner.join(", ")}])`
  }
  const tag = tagOf(value)
  if (tag !== undefined && typeof value === "object") {
    const message = messageOf(value)
    return message === "" ? `${tag}()` : `${tag}(${quote(message)})`
  }
  if (value instanceof Error) return `${value.name}(${quote(value.message)})`
  return String(value)
}

/** Python's `type(e).__name__` for what a callback threw. */
const className = (value: unknown): string =>
  tagOf(value) ?? (value instanceof Error ? value.name : value === undefined ? "NoneType" : typeof value)

/** How an effect ended, as the line after `->`: a typed error, a defect, or an interruption. */
const fmtCause = (cause: Cause.Cause<unknown>): string => {
  const fail = cause.reasons.find(Cause.isFailReason)
  if (fail !== undefined) return fmt(fail.error)
  const die = cause.reasons.find(Cause.isDieReason)
  if (die !== undefined) return fmt(die.defect)
  return "interrupted"
}

type Primitive =
  | asyncio.Lock
  | asyncio.Event
  | asyncio.Semaphore
  | asyncio.Condition
  | asyncio.Queue<number>
  | asyncio.Barrier

const makePrim = (prim: Prim): Primitive => {
  switch (prim.kind) {
    case "lock":
      return new asyncio.Lock()
    case "event":
      return new asyncio.Event()
    case "semaphore":
      return new asyncio.Semaphore(prim.value)
    case "condition":
      return new asyncio.Condition()
    case "queue":
      return prim.order === "lifo"
        ? new asyncio.LifoQueue<number>({ maxsize: prim.maxsize })
        : prim.order === "priority"
          ? new asyncio.PriorityQueue<number>({ maxsize: prim.maxsize })
          : new asyncio.Queue<number>({ maxsize: prim.maxsize })
    case "barrier":
      return new asyncio.Barrier(prim.parties)
  }
}

/** A coroutine instance: its label, its variables, the task groups and timeouts it is inside. */
interface Ctx {
  readonly me: string
  readonly env: Map<string, Binding>
  readonly groups: Map<string, asyncio.TaskGroup>
  readonly timeouts: Array<asyncio.Timeout>
}

const newCtx = (me: string, env: ReadonlyMap<string, Binding>): Ctx => ({
  me,
  env: new Map(env),
  groups: new Map(),
  timeouts: []
})

const bug = (message: string): never => {
  throw new Error(`difftest interpreter: ${message}`)
}

/** One run of one program. */
class Run {
  readonly lines: Array<string> = []
  stopped = false
  private readonly prims = new Map<string, Primitive>()
  /** notifications of each condition so far (for cond_wait_for) */
  private readonly notified = new Map<string, number>()
  /** loop.time() when main started */
  private t0 = 0
  /** body name -> the task that started running it */
  private readonly started = new Map<string, AnyTask | undefined>()

  constructor(readonly program: Program) {}

  log(line: string): void {
    if (!this.stopped) this.lines.push(line)
  }

  private logged(line: string): Effect.Effect<void> {
    return Effect.sync(() => this.log(line))
  }

  private task(ctx: Ctx, name: string): AnyTask {
    const value = ctx.env.get(name)
    return asyncio.isTask(value) ? value : bug(`no task ${name} in ${ctx.me}`)
  }

  /** A task or a future. */
  private future(ctx: Ctx, name: string): AnyFuture {
    const value = ctx.env.get(name)
    return asyncio.isFuture(value) ? value : bug(`no future ${name} in ${ctx.me}`)
  }

  private handle(ctx: Ctx, name: string): asyncio.Handle {
    const value = ctx.env.get(name)
    return asyncio.isHandle(value) ? value : bug(`no handle ${name} in ${ctx.me}`)
  }

  private callback(ctx: Ctx, name: string): DoneCallback {
    const value = ctx.env.get(name)
    return typeof value === "function" ? value : bug(`no callback ${name} in ${ctx.me}`)
  }

  private target(ctx: Ctx, name: string): Eff<AnyTask> {
    if (name !== "self") return Effect.succeed(this.task(ctx, name))
    return Effect.map(asyncio.currentTask, (task) => task ?? bug("no current task"))
  }

  private prim<P extends Primitive>(name: string, kind: abstract new (...args: never) => P): P {
    const prim = this.prims.get(name)
    return prim instanceof kind ? prim : bug(`no ${kind.name} ${name}`)
  }

  main(): Eff<void> {
    return Effect.gen({ self: this }, function* () {
      for (const prim of this.program.prims) this.prims.set(prim.name, makePrim(prim))
      this.t0 = (yield* asyncio.getRunningLoop).time()
      return yield* this.ops(this.program.main, newCtx("main", new Map()))
    })
  }

  body(name: string, env: ReadonlyMap<string, Binding>): Eff {
    const body = this.program.bodies[name] ?? bug(`no body ${name}`)
    const start = Effect.map(asyncio.currentTask, (task) => {
      this.started.set(name, task)
    })
    return Effect.as(Effect.andThen(start, this.ops(body.ops, newCtx(name, env))), body.ret)
  }

  private child(ctx: Ctx, child: Child): Eff {
    return "body" in child ? this.body(child.body, ctx.env) : this.future(ctx, child.task)
  }

  ops(ops: ReadonlyArray<Op>, ctx: Ctx): Eff<void> {
    const self = this
    return Effect.gen(function* () {
      for (const op of ops) yield* self.op(op, ctx)
    })
  }

  /** `await effect`, under `asyncio.timeout(timeout)` when a timeout is given. */
  private bounded(
    ctx: Ctx,
    what: string,
    effect: Eff,
    timeout: number | undefined,
    errors: ReadonlyArray<string> = []
  ): Eff<boolean> {
    const guarded = timeout === undefined ? effect : asyncio.timeout(timeout, effect)
    return guarded.pipe(
      Effect.map((value) => ({ ok: true, line: `${what} -> ${fmt(value)}` })),
      Effect.catchIf(
        (error) => tagOf(error) === "TimeoutError",
        () => Effect.succeed({ ok: false, line: `${what} timed out` })
      ),
      Effect.catchIf(
        (error) => errors.includes(tagOf(error) ?? ""),
        (error) => Effect.succeed({ ok: false, line: `${what} raised ${fmt(error)}` })
      ),
      Effect.map(({ ok, line }) => {
        this.log(`${ctx.me}: ${line}`)
        return ok
      })
    )
  }

  op(op: Op, ctx: Ctx): Eff<void> {
    const self = this
    const me = ctx.me
    const log = (line: string) => this.log(`${me}: ${line}`)
    return Effect.gen(function* () {
      switch (op.op) {
        case "log":
          return log(op.text)
        case "sleep":
          yield* asyncio.sleep(op.d)
          return log(`slept ${fmtNum(op.d)}`)
        case "spawn": {
          const coro = self.body(op.body, ctx.env)
          const options: asyncio.CreateTaskOptions = { name: op.name, eagerStart: op.eager }
          const task: AnyTask =
            op.group === undefined
              ? yield* asyncio.createTask(coro, options)
              : yield* (ctx.groups.get(op.group) ?? bug(`no group ${op.group}`)).createTask(coro, options)
          ctx.env.set(op.body, task)
          return log(`spawn ${op.body}`)
        }
        case "await": {
          const value = yield* self.future(ctx, op.task)
          return log(`await ${op.task} -> ${fmt(value)}`)
        }
        case "done":
          return log(`${op.task}.done() = ${fmt(self.future(ctx, op.task).done())}`)
        case "cancelled":
          return log(`${op.task}.cancelled() = ${fmt(self.future(ctx, op.task).cancelled())}`)
        case "result":
        case "exception": {
          const task = self.future(ctx, op.task)
          const exit = yield* Effect.exit<unknown, unknown, never>(
            op.op === "result" ? task.result() : task.exception()
          )
          return Exit.isSuccess(exit)
            ? log(`${op.task}.${op.op}() = ${fmt(exit.value)}`)
            : log(`${op.task}.${op.op}() raised ${fmtCause(exit.cause)}`)
        }
        case "name":
          return log(`${op.task}.get_name() = ${self.task(ctx, op.task).getName()}`)
        case "set_name":
          self.task(ctx, op.task).setName(op.name)
          return log(`${op.task}.set_name(${quote(op.name)})`)
        case "all_tasks": {
          const names = [...(yield* asyncio.allTasks)].map((task) => task.getName()).sort()
          return log(`all_tasks() = ${fmt(names)}`)
        }
        case "gather": {
          const aws = op.children.map((child) => self.child(ctx, child))
          const values: ReadonlyArray<unknown> = op.returnExceptions
            ? yield* asyncio.gather(...aws, { returnExceptions: true })
            : yield* asyncio.gather(...aws)
          return log(`gather -> ${fmt(values)}`)
        }
        case "wait": {
          const tasks = op.tasks.map((name) => self.future(ctx, name))
          const { done, pending } = yield* asyncio.wait(tasks, {
            returnWhen: op.returnWhen,
            timeout: op.timeout
          })
          const names = [...new Set(op.tasks)]
          const d = names.filter((name) => done.has(self.future(ctx, name))).join(", ")
          const p = names.filter((name) => pending.has(self.future(ctx, name))).join(", ")
          return log(`wait -> done=[${d}] pending=[${p}]`)
        }
        case "as_completed": {
          const aws = op.children.map((child) => self.child(ctx, child))
          if (op.stream === true) {
            // as interp.py: the label of a task or future passed in, or of the body its task runs
            const labelOf = (t: AnyFuture): string => {
              for (const child of op.children) {
                if ("task" in child && ctx.env.get(child.task) === t) return child.task
                if ("body" in child && self.started.get(child.body) === t) return child.body
              }
              return "?"
            }
            const completed = yield* asyncio.asCompleted(aws, { timeout: op.timeout })
            yield* Stream.runForEach(completed.stream, (t: AnyFuture) =>
              Effect.gen(function* () {
                const label = labelOf(t)
                const exit = yield* Effect.exit<unknown, unknown, never>(t.result())
                log(
                  `as_completed stream -> ${label}: ${Exit.isSuccess(exit) ? fmt(exit.value) : `raised ${fmtCause(exit.cause)}`}`
                )
              })
            ).pipe(
              Effect.catchIf(
                (error) => tagOf(error) === "TimeoutError",
                () => Effect.sync(() => log("as_completed stream timed out"))
              )
            )
            return
          }
          for (const next of yield* asyncio.asCompleted(aws, { timeout: op.timeout })) {
            const line = yield* next.pipe(
              Effect.map((value) => `as_completed -> ${fmt(value)}`),
              Effect.catchIf(
                (error) => tagOf(error) === "ValueError" || tagOf(error) === "TimeoutError",
                (error) => Effect.succeed(`as_completed raised ${fmt(error)}`)
              )
            )
            log(line)
          }
          return
        }
        case "raise":
          log(`raise ValueError(${quote(op.msg)})`)
          return yield* new asyncio.ValueError({ message: op.msg })
        case "try": {
          const catches: ReadonlyArray<Catchable> = op.catch
          let effect: Eff<void> = Effect.catchIf(
            self.ops(op.body, ctx),
            (error) => catches.some((name) => name === tagOf(error)),
            (error) => Effect.andThen(self.logged(`${me}: caught ${fmt(error)}`), self.ops(op.handler, ctx))
          )
          const fin = op.finally
          if (fin !== undefined) {
            effect = Effect.ensuring(
              effect,
              Effect.orDie(Effect.andThen(self.logged(`${me}: finally`), self.ops(fin, ctx)))
            )
          }
          return yield* effect
        }
        case "try_star":
          return yield* self.ops(op.body, ctx).pipe(
            asyncio.exceptStar(
              (error: unknown) => tagOf(error) === "ValueError",
              (eg) => Effect.andThen(self.logged(`${me}: caught* ${fmt(eg)}`), self.ops(op.handler, ctx))
            )
          )
        case "cancel": {
          const task = yield* self.target(ctx, op.task)
          const value = yield* task.cancel(op.msg)
          return log(`${op.task}.cancel(${op.msg === undefined ? "" : quote(op.msg)}) -> ${fmt(value)}`)
        }
        case "cancelling":
          return log(`${op.task}.cancelling() = ${(yield* self.target(ctx, op.task)).cancelling()}`)
        case "uncancel":
          return log(`${op.task}.uncancel() = ${(yield* self.target(ctx, op.task)).uncancel()}`)
        case "wait_for": {
          const value = yield* asyncio.waitFor(self.child(ctx, op.child), op.timeout)
          return log(`wait_for -> ${fmt(value)}`)
        }
        case "timeout": {
          const body = (cm: asyncio.Timeout) =>
            Effect.suspend(() => {
              ctx.timeouts.push(cm)
              return Effect.ensuring(
                self.ops(op.body, ctx),
                Effect.sync(() => ctx.timeouts.pop())
              )
            })
          const loop = yield* asyncio.getRunningLoop
          yield* op.at === true ? asyncio.timeoutAt(loop.time() + op.d, body) : asyncio.timeout(op.d, body)
          return log("timeout block done")
        }
        case "reschedule": {
          const cm = ctx.timeouts.at(-1) ?? bug("reschedule outside of a timeout block")
          const loop = yield* asyncio.getRunningLoop
          yield* cm.reschedule(op.d === null ? null : loop.time() + op.d)
          return log(`reschedule(${op.d === null ? "None" : `now + ${fmtNum(op.d)}`})`)
        }
        case "expired":
          return log(
            `expired() = ${fmt((ctx.timeouts.at(-1) ?? bug("expired outside of a timeout block")).expired())}`
          )
        case "shield": {
          const value = yield* asyncio.shield(self.child(ctx, op.child))
          return log(`shield -> ${fmt(value)}`)
        }
        case "taskgroup":
          yield* asyncio.TaskGroup.run((tg) =>
            Effect.suspend(() => {
              ctx.groups.set(op.label, tg)
              return self.ops(op.body, ctx)
            })
          )
          return log(`${op.label} exited`)
        case "on_done": {
          const name = op.task
          const callback = (task: AnyFuture): void => {
            let outcome: string
            if (task.cancelled()) outcome = "cancelled"
            else {
              const exit = Effect.runSyncExit(task.exception())
              outcome = Exit.isSuccess(exit)
                ? exit.value === undefined
                  ? "ok"
                  : fmt(exit.value)
                : fmtCause(exit.cause)
            }
            self.log(`${me}: callback ${name}: ${outcome}`)
          }
          self.future(ctx, name).addDoneCallback(callback)
          if (op.cb === undefined) return log(`on_done ${name}`)
          ctx.env.set(op.cb, callback)
          return log(`on_done ${name} as ${op.cb}`)
        }
        case "remove_done": {
          const n = self.future(ctx, op.task).removeDoneCallback(self.callback(ctx, op.cb))
          return log(`${op.task}.remove_done_callback(${op.cb}) = ${n}`)
        }
        case "with": {
          const prim = self.prims.get(op.prim)
          const body = Effect.andThen(self.logged(`${me}: ${op.prim} acquired`), self.ops(op.body, ctx))
          if (
            prim instanceof asyncio.Lock ||
            prim instanceof asyncio.Semaphore ||
            prim instanceof asyncio.Condition
          ) {
            yield* prim.use(body)
          } else bug(`cannot use ${op.prim}`)
          return log(`${op.prim} released`)
        }
        case "locked": {
          const prim = self.prims.get(op.prim)
          if (prim instanceof asyncio.Event) return log(`${op.prim}.is_set() = ${fmt(prim.isSet())}`)
          if (
            prim instanceof asyncio.Lock ||
            prim instanceof asyncio.Semaphore ||
            prim instanceof asyncio.Condition
          ) {
            return log(`${op.prim}.locked() = ${fmt(prim.locked())}`)
          }
          return bug(`no locked() on ${op.prim}`)
        }
        case "event_set":
          yield* self.prim(op.prim, asyncio.Event).set()
          return log(`${op.prim}.set()`)
        case "event_clear":
          yield* self.prim(op.prim, asyncio.Event).clear()
          return log(`${op.prim}.clear()`)
        case "event_wait":
          yield* self.bounded(ctx, `${op.prim}.wait()`, self.prim(op.prim, asyncio.Event).wait(), op.timeout)
          return
        case "cond_wait": {
          const cond = self.prim(op.prim, asyncio.Condition)
          yield* cond.use(self.bounded(ctx, `${op.prim}.wait()`, cond.wait(), op.timeout))
          return
        }
        case "cond_wait_for": {
          const cond = self.prim(op.prim, asyncio.Condition)
          const { prim, n } = op
          const predicate = (): boolean => {
            const r = (self.notified.get(prim) ?? 0) >= n
            log(`predicate -> ${fmt(r)}`)
            return r
          }
          yield* cond.use(
            self.bounded(ctx, `${prim}.wait_for(notified >= ${n})`, cond.waitFor(predicate), op.timeout)
          )
          return
        }
        case "cond_notify": {
          const cond = self.prim(op.prim, asyncio.Condition)
          const n = op.n
          const prim = op.prim
          const count = Effect.sync(() => self.notified.set(prim, (self.notified.get(prim) ?? 0) + 1))
          yield* cond.use(
            Effect.andThen(
              count,
              n === "all"
                ? Effect.andThen(cond.notifyAll(), self.logged(`${me}: ${op.prim}.notify_all()`))
                : Effect.andThen(cond.notify(n), self.logged(`${me}: ${op.prim}.notify(${n})`))
            )
          )
          return
        }
        case "q_put": {
          const q = self.prim(op.prim, asyncio.Queue<number>)
          yield* self.bounded(ctx, `${op.prim}.put(${op.item})`, q.put(op.item), op.timeout, [
            "QueueShutDown"
          ])
          return
        }
        case "q_get": {
          const q = self.prim(op.prim, asyncio.Queue<number>)
          const got = yield* self.bounded(ctx, `${op.prim}.get()`, q.get(), op.timeout, ["QueueShutDown"])
          if (got && op.taskDone) {
            yield* q.taskDone()
            log(`${op.prim}.task_done()`)
          }
          return
        }
        case "q_put_nowait": {
          const q = self.prim(op.prim, asyncio.Queue<number>)
          const exit = yield* Effect.exit(q.putNowait(op.item))
          return Exit.isSuccess(exit)
            ? log(`${op.prim}.put_nowait(${op.item})`)
            : log(`${op.prim}.put_nowait(${op.item}) raised ${fmtCause(exit.cause)}`)
        }
        case "q_get_nowait": {
          const q = self.prim(op.prim, asyncio.Queue<number>)
          const exit = yield* Effect.exit(q.getNowait())
          if (Exit.isFailure(exit)) return log(`${op.prim}.get_nowait() raised ${fmtCause(exit.cause)}`)
          log(`${op.prim}.get_nowait() -> ${fmt(exit.value)}`)
          if (op.taskDone) {
            yield* q.taskDone()
            log(`${op.prim}.task_done()`)
          }
          return
        }
        case "q_join":
          yield* self.bounded(
            ctx,
            `${op.prim}.join()`,
            self.prim(op.prim, asyncio.Queue<number>).join(),
            op.timeout
          )
          return
        case "barrier_wait":
          yield* self.bounded(
            ctx,
            `${op.prim}.wait()`,
            self.prim(op.prim, asyncio.Barrier).wait(),
            op.timeout,
            ["BrokenBarrierError"]
          )
          return
        case "barrier_abort":
          yield* self.prim(op.prim, asyncio.Barrier).abort()
          return log(`${op.prim}.abort()`)
        case "barrier_reset":
          yield* self.prim(op.prim, asyncio.Barrier).reset()
          return log(`${op.prim}.reset()`)
        case "q_shutdown":
          yield* self.prim(op.prim, asyncio.Queue<number>).shutdown(op.immediate)
          return log(`${op.prim}.shutdown(${fmt(op.immediate)})`)
        case "create_future":
          ctx.env.set(op.fut, (yield* asyncio.getRunningLoop).createFuture<unknown, unknown>())
          return log(`create_future ${op.fut}`)
        case "fut_set":
          return yield* self.futSet(op, ctx)
        case "call": {
          const text = op.text
          return yield* self.schedule(op, ctx, text, () => self.log(`${me}: callback ${text}`))
        }
        case "handle_cancel":
          self.handle(ctx, op.handle).cancel()
          return log(`${op.handle}.cancel()`)
        case "time": {
          const loop = yield* asyncio.getRunningLoop
          return log(`time = ${Math.round((loop.time() - self.t0) * 1000)}`)
        }
      }
    })
  }

  /** `set_result` / `set_exception` / `cancel` of a future, now or from a loop callback. */
  private futSet(op: Op & { op: "fut_set" }, ctx: Ctx): Eff<void> {
    const { me } = ctx
    const name = op.fut
    const fut = this.future(ctx, name)
    const value = op.value
    const what =
      op.how === "result"
        ? `${name}.set_result(${fmt(value)})`
        : op.how === "exception"
          ? `${name}.set_exception(ValueError(${quote(String(value))}))`
          : `${name}.cancel(${value === undefined ? "" : quote(String(value))})`
    if (op.via === undefined) {
      if (op.how === "cancel") {
        return Effect.map(value === undefined ? fut.cancel() : fut.cancel(value), (r) =>
          this.log(`${me}: ${what} -> ${fmt(r)}`)
        )
      }
      const set =
        op.how === "result"
          ? fut.setResult(value)
          : fut.setException(new asyncio.ValueError({ message: String(value) }))
      return set.pipe(
        Effect.map(() => this.log(`${me}: ${what}`)),
        Effect.catchTag("InvalidStateError", (e) =>
          Effect.sync(() => this.log(`${me}: ${what} raised ${fmt(e)}`))
        )
      )
    }
    const callback = (): void => {
      if (op.how === "cancel") {
        const r = value === undefined ? fut.cancelUnsafe() : fut.cancelUnsafe(value)
        this.log(`${me}: callback ${what} -> ${fmt(r)}`)
        return
      }
      this.log(`${me}: callback ${what}`)
      // InvalidStateError if the future is done: the loop reports it
      if (op.how === "result") fut.setResultUnsafe(value)
      else fut.setExceptionUnsafe(new asyncio.ValueError({ message: String(value) }))
    }
    return this.schedule(op, ctx, what, callback)
  }

  /** `call_soon(cb)`, `call_later(d, cb)` or `call_at(loop.time() + d, cb)`; binds the handle. */
  private schedule(
    op: { readonly via?: "soon" | "later" | "at"; readonly d?: number; readonly handle?: string },
    ctx: Ctx,
    what: string,
    callback: () => void
  ): Eff<void> {
    return Effect.map(asyncio.getRunningLoop, (loop) => {
      const d = op.d ?? 0
      let handle: asyncio.Handle
      let how: string
      if (op.via === "later") {
        handle = loop.callLater(d, callback)
        how = `call_later(${fmtNum(d)})`
      } else if (op.via === "at") {
        handle = loop.callAt(loop.time() + d, callback)
        how = `call_at(now + ${fmtNum(d)})`
      } else {
        handle = loop.callSoon(callback)
        how = "call_soon"
      }
      if (op.handle === undefined) return this.log(`${ctx.me}: ${how} ${what}`)
      ctx.env.set(op.handle, handle)
      this.log(`${ctx.me}: ${how} ${what} -> ${op.handle}`)
    })
  }
}

/** Real-time limits of one run (the program itself runs on virtual time, in milliseconds). */
const POLL_MS = 5
/** After the clock has moved a year ahead, how long main may stay pending before it is a deadlock. */
const GRACE_MS = 25
/** A run still going after this long is stopped: `-> hang`. */
const HANG_MS = 10_000
/** The clock `runVirtual` moves to once main is waiting: a year, in milliseconds. */
const YEAR_MS = 365 * 24 * 3600 * 1000

/**
 * Runs `program` on effect-asyncio under `TestClock` and returns its log: the lines the program
 * wrote, then how main ended (`-> ok (t=...)`, `-> <error> (t=...)`, `-> deadlock`).
 */
export const runTs = (program: Program): Promise<ReadonlyArray<string>> => {
  const run = new Run(program)
  let clock: TestClock.TestClock | undefined
  const options: asyncio.EventLoopOptions = {
    eagerTaskFactory: program.eager,
    exceptionHandler: (_loop, context) => {
      if (context.message.startsWith(CALLBACK_MESSAGE))
        run.log(`! ${CALLBACK_MESSAGE}: ${className(context.exception)}`)
      else if (!GC_MESSAGES.includes(context.message)) run.log(`! ${context.message}`)
    }
  }
  const effect = Effect.gen(function* () {
    clock = yield* TestClock.testClockWith(Effect.succeed)
    return yield* runVirtual(run.main(), options)
  }).pipe(Effect.provide(TestClock.layer()))
  let fiber: Fiber.Fiber<VirtualRun<void, unknown>>
  try {
    fiber = Effect.runFork(effect)
  } catch (error) {
    return Promise.resolve([`!! interpreter error: ${fmt(error)}`])
  }
  return new Promise((resolve) => {
    const started = Date.now()
    let stuckSince: number | undefined
    let settled = false
    const finish = (last: string) => {
      if (settled) return
      settled = true
      run.log(last)
      run.stopped = true
      resolve(run.lines)
    }
    const check = () => {
      if (settled) return
      const exit = fiber.pollUnsafe()
      if (exit !== undefined) {
        if (Exit.isFailure(exit)) return finish(`!! interpreter error: ${fmtCause(exit.cause)}`)
        const { exit: mainExit, elapsed } = exit.value
        const outcome = Exit.isSuccess(mainExit) ? "ok" : fmtCause(mainExit.cause)
        return finish(`-> ${outcome} (t=${fmtNum(elapsed)})`)
      }
      const now = Date.now()
      if (clock !== undefined && clock.currentTimeMillisUnsafe() >= YEAR_MS) {
        stuckSince ??= now
        if (now - stuckSince >= GRACE_MS) {
          finish("-> deadlock")
          fiber.interruptUnsafe()
          return
        }
      }
      if (now - started >= HANG_MS) {
        finish("-> hang")
        fiber.interruptUnsafe()
        return
      }
      setTimeout(check, POLL_MS)
    }
    fiber.addObserver(() => setImmediate(check))
    setTimeout(check, POLL_MS)
  })
}
