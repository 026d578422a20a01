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
import { Cause, Effect, Exit, type Fiber } from "effect"
import { TestClock } from "effect/testing"
import type { Catchable, Child, Op, Prim, Program } from "./ast.js"

type AnyTask = asyncio.Task<unknown, unknown>
type Eff<A = unknown> = Effect.Effect<A, unknown, asyncio.EventLoop>

/** The reports of the exception handler that depend on CPython's garbage collector: not compared. */
const GC_MESSAGES = ["Task exception was never retrieved", "Task was destroyed but it is pending!"]

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

/** A coroutine instance: its label, its task variables, the task groups and timeouts it is inside. */
interface Ctx {
  readonly me: string
  readonly env: Map<string, AnyTask>
  readonly groups: Map<string, asyncio.TaskGroup>
  readonly timeouts: Array<asyncio.Timeout>
}

const newCtx = (me: string, env: ReadonlyMap<string, AnyTask>): Ctx => ({
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

  constructor(readonly program: Program) {}

  log(line: string): void {
    if (!this.stopped) this.lines.push(line)
  }

  private logged(line: string): Effect.Effect<void> {
    return Effect.sync(() => this.log(line))
  }

  private task(ctx: Ctx, name: string): AnyTask {
    return ctx.env.get(name) ?? bug(`no task ${name} in ${ctx.me}`)
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
    return Effect.suspend(() => {
      for (const prim of this.program.prims) this.prims.set(prim.name, makePrim(prim))
      return this.ops(this.program.main, newCtx("main", new Map()))
    })
  }

  body(name: string, env: ReadonlyMap<string, AnyTask>): Eff {
    const body = this.program.bodies[name] ?? bug(`no body ${name}`)
    return Effect.as(this.ops(body.ops, newCtx(name, env)), body.ret)
  }

  private child(ctx: Ctx, child: Child): Eff {
    return "body" in child ? this.body(child.body, ctx.env) : this.task(ctx, child.task)
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
          const value = yield* self.task(ctx, op.task)
          return log(`await ${op.task} -> ${fmt(value)}`)
        }
        case "done":
          return log(`${op.task}.done() = ${fmt(self.task(ctx, op.task).done())}`)
        case "cancelled":
          return log(`${op.task}.cancelled() = ${fmt(self.task(ctx, op.task).cancelled())}`)
        case "result":
        case "exception": {
          const task = self.task(ctx, op.task)
          const exit = yield* Effect.exit<unknown, unknown, never>(
            op.op === "result" ? task.result() : task.exception()
          )
          return Exit.isSuccess(exit)
            ? log(`${op.task}.${op.op}() = ${fmt(exit.value)}`)
            : log(`${op.task}.${op.op}() raised ${fmtCause(exit.cause)}`)
        }
        case "name":
          return log(`${op.task}.get_name() = ${self.task(ctx, op.task).getName()}`)
        case "gather": {
          const aws = op.children.map((child) => self.child(ctx, child))
          const values: ReadonlyArray<unknown> = op.returnExceptions
            ? yield* asyncio.gather(...aws, { returnExceptions: true })
            : yield* asyncio.gather(...aws)
          return log(`gather -> ${fmt(values)}`)
        }
        case "wait": {
          const tasks = op.tasks.map((name) => self.task(ctx, name))
          const { done, pending } = yield* asyncio.wait(tasks, {
            returnWhen: op.returnWhen,
            timeout: op.timeout
          })
          const names = [...new Set(op.tasks)]
          const d = names.filter((name) => done.has(self.task(ctx, name))).join(", ")
          const p = names.filter((name) => pending.has(self.task(ctx, name))).join(", ")
          return log(`wait -> done=[${d}] pending=[${p}]`)
        }
        case "as_completed": {
          const aws = op.children.map((child) => self.child(ctx, child))
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
        case "timeout":
          yield* asyncio.timeout(op.d, (cm) =>
            Effect.suspend(() => {
              ctx.timeouts.push(cm)
              return Effect.ensuring(
                self.ops(op.body, ctx),
                Effect.sync(() => ctx.timeouts.pop())
              )
            })
          )
          return log("timeout block done")
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
          self.task(ctx, name).addDoneCallback((task) => {
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
          })
          return log(`on_done ${name}`)
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
        case "cond_notify": {
          const cond = self.prim(op.prim, asyncio.Condition)
          const n = op.n
          yield* cond.use(
            n === "all"
              ? Effect.andThen(cond.notifyAll(), self.logged(`${me}: ${op.prim}.notify_all()`))
              : Effect.andThen(cond.notify(n), self.logged(`${me}: ${op.prim}.notify(${n})`))
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
      }
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
      if (!GC_MESSAGES.includes(context.message)) run.log(`! ${context.message}`)
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
