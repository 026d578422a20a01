/**
 * Bad input, table-driven (issue 11): every export of `src/index.ts` and every public method of
 * every class, called with the values an untyped caller gets wrong (NaN, -1, ±Infinity, 1e308,
 * "1", null, undefined, {}, a Promise, a function where an effect is expected, an effect where a
 * function is expected), a future or task of another loop, and double use. Each case states its
 * outcome class:
 *
 * - `ok` (or `{ ok: value }`): accepted, with CPython 3.13's result (recorded by running Python,
 *   the script is in the comment of each row where it is not obvious);
 * - `fail:Tag`: a typed error, what a correct program can meet;
 * - `die:Tag`: the effect dies with asyncio's class as its defect (a bad argument);
 * - `throw:Tag`: thrown synchronously, by a constructor or a synchronous method;
 * - `group:Tag`: a body that raised inside a `TaskGroup`: the group's defects hold asyncio's class,
 *   as CPython puts the body's exception in its `ExceptionGroup`;
 * - `own`: the value's own error propagates (a name whose `toString` throws), as in CPython;
 * - `hang`: the case never ends where CPython's never ends either (`sleep(Infinity)`, a Barrier
 *   that never fills); the watchdog (virtual time) sees it.
 *
 * A case fails when its outcome differs, when it crashes with anything but asyncio's class (a
 * "generic crash"), when it hangs unexpectedly, when `run` rejects although the case's task was
 * only one task of main, or when the loop no longer runs a timer and a task afterwards.
 * The last test fails when an export or a public method has no case.
 */
import { appendFileSync, writeFileSync } from "node:fs"
import { afterAll, assert, describe, it } from "@effect/vitest"
import * as asyncio from "@effect-asyncio/core"
import { monitor } from "@effect-asyncio/core/monitor"
import { Cause, Context, Effect, Exit, Fiber, Layer } from "effect"
import { CurrentTask } from "../src/tasks.js"
import { work } from "./fixtures/workers.js"
import { runVirtual } from "./utils/virtual.js"

type Eff = Effect.Effect<unknown, unknown, asyncio.EventLoop>

// ---------------------------------------------------------------------------------------------
// The bad values
// ---------------------------------------------------------------------------------------------

const LABELS = [
  "NaN",
  "-1",
  "Infinity",
  "-Infinity",
  "1e308",
  '"1"',
  "null",
  "undefined",
  "{}",
  "Promise",
  "function",
  "effect"
] as const
type Label = (typeof LABELS)[number]

/** The error a value that cannot be printed throws: its own error, which may propagate. */
const OWN = new Error("the value's own error")

/** An object whose `toString` throws (Python: a `__str__` that raises). */
const unprintable = (): object => ({
  toString() {
    throw OWN
  }
})

/** A revoked Proxy: every operation on it throws, `instanceof` included. */
const revoked = (): object => {
  const { proxy, revoke } = Proxy.revocable({}, {})
  revoke()
  return proxy
}

/** A fresh bad value (a Promise is made per case: nobody awaits it). */
const valueOf = (label: Label): unknown => {
  switch (label) {
    case "NaN":
      return Number.NaN
    case "-1":
      return -1
    case "Infinity":
      return Number.POSITIVE_INFINITY
    case "-Infinity":
      return Number.NEGATIVE_INFINITY
    case "1e308":
      return 1e308
    case '"1"':
      return "1"
    case "null":
      return null
    case "undefined":
      return undefined
    case "{}":
      return {}
    case "Promise":
      return Promise.resolve(1)
    case "function":
      return () => Effect.void
    case "effect":
      return Effect.succeed("effect")
  }
}

// ---------------------------------------------------------------------------------------------
// Running a case
// ---------------------------------------------------------------------------------------------

/** A synchronous call threw (a constructor, a synchronous method). */
class Thrown {
  constructor(readonly error: unknown) {}
}

/** An effect API returned something that is not an effect. */
class NotAnEffect {
  constructor(readonly value: unknown) {}
}

/** Calls `f` with arguments TypeScript would refuse: what untyped code does. */
const call = (f: unknown, ...args: ReadonlyArray<unknown>): unknown =>
  (f as (...args: ReadonlyArray<unknown>) => unknown)(...args)

/** `target[name](...args)` with arguments TypeScript would refuse. */
const method = (target: object, name: string, ...args: ReadonlyArray<unknown>): unknown =>
  (target as Record<string, (...args: ReadonlyArray<unknown>) => unknown>)[name]?.(...args)

/** A synchronous call: its result, or what it threw. */
const attempt = (f: () => unknown): Eff =>
  Effect.sync(() => {
    try {
      return f()
    } catch (error) {
      return new Thrown(error)
    }
  })

/** An effect API: calling it must not throw (it returns an effect that dies); the effect runs. */
const effectOf = (f: () => unknown): Eff =>
  Effect.suspend(() => {
    let result: unknown
    try {
      result = f()
    } catch (error) {
      return Effect.succeed(new Thrown(error))
    }
    return Effect.isEffect(result) ? (result as Eff) : Effect.succeed(new NotAnEffect(result))
  })

/** A step of a case that may throw synchronously: stops the case there with `Thrown`. */
const step = <A>(f: () => A): Effect.Effect<A, Thrown> =>
  Effect.suspend(() => {
    try {
      return Effect.succeed(f())
    } catch (error) {
      return Effect.fail(new Thrown(error))
    }
  })

/** Runs `body`, ending the case with `Thrown` as its value if a step threw. */
const steps = (body: Effect.Effect<unknown, unknown, asyncio.EventLoop>): Eff =>
  Effect.catchIf(
    body,
    (error): error is Thrown => error instanceof Thrown,
    (thrown) => Effect.succeed(thrown)
  )

const ASYNCIO_ERRORS = [
  asyncio.CancelledError,
  asyncio.TimeoutError,
  asyncio.InvalidStateError,
  asyncio.ValueError,
  asyncio.TypeError,
  asyncio.RuntimeError,
  asyncio.KeyboardInterrupt,
  asyncio.SystemExit,
  asyncio.QueueEmpty,
  asyncio.QueueFull,
  asyncio.QueueShutDown,
  asyncio.BrokenBarrierError,
  asyncio.BrokenThreadPool,
  asyncio.BrokenProcessPool,
  asyncio.ExceptionGroup
] as const

/** asyncio's class of `error` (its tag), or `undefined` for any other value. */
const asyncioTag = (error: unknown): string | undefined => {
  for (const C of ASYNCIO_ERRORS) {
    if (error instanceof C) return (error as { readonly _tag: string })._tag
  }
  return undefined
}

const crash = (error: unknown): string => {
  let text: string
  try {
    text = error instanceof Error ? `${error.name}: ${error.message}` : String(error)
  } catch {
    text = "<unprintable>"
  }
  return `crash(${text.slice(0, 120)})`
}

/** What happened, as an outcome class (`ok` carries the value). */
type Observed = {
  readonly outcome: string
  readonly value?: unknown
  /** the message of asyncio's error, for a defect (it must say what is wrong) */
  readonly message?: string
}

/** The message of asyncio's error `error`. */
const messageOf = (error: unknown): string => String((error as { readonly message?: unknown }).message ?? "")

/** The watchdog fired: the case never ended. */
class Hang {}
const HANG = new Hang()

const classify = (result: Exit.Exit<unknown, unknown> | Hang): Observed => {
  if (result instanceof Hang) return { outcome: "hang" }
  if (Exit.isSuccess(result)) {
    const value = result.value
    if (value instanceof NotAnEffect) return { outcome: crash(`not an effect: ${String(value.value)}`) }
    if (value instanceof Thrown) {
      if (value.error === OWN) return { outcome: "own" }
      const tag = asyncioTag(value.error)
      return tag === undefined
        ? { outcome: crash(value.error) }
        : { outcome: `throw:${tag}`, message: messageOf(value.error) }
    }
    return { outcome: "ok", value }
  }
  const reasons = result.cause.reasons
  const die = reasons.find(Cause.isDieReason)
  if (die !== undefined) {
    if (die.defect === OWN) return { outcome: "own" }
    const tag = asyncioTag(die.defect)
    return tag === undefined
      ? { outcome: crash(die.defect) }
      : { outcome: `die:${tag}`, message: messageOf(die.defect) }
  }
  const fail = reasons.find(Cause.isFailReason)
  if (fail !== undefined) {
    const error = fail.error
    if (error instanceof asyncio.ExceptionGroup) {
      const defect = error.defects.find((d) => asyncioTag(d) !== undefined)
      if (defect !== undefined) return { outcome: `group:${asyncioTag(defect)}`, message: messageOf(defect) }
      if (error.defects.length > 0) return { outcome: crash(error.defects[0]) }
      return { outcome: "fail:ExceptionGroup" }
    }
    return { outcome: `fail:${asyncioTag(error) ?? "value"}` }
  }
  return { outcome: "fail:CancelledError" }
}

/** Virtual seconds after which a case that has not ended is a hang. */
const WATCHDOG = 1000

/** A case's run, as main of its own loop: its task, the watchdog, then proof the loop still runs. */
const runCase = (
  run: () => Eff
): Effect.Effect<{
  readonly observed: Observed
  readonly runOk: boolean
  readonly alive: boolean
  readonly reportsOk: boolean
}> =>
  Effect.gen(function* () {
    let reportsOk = true
    const main = Effect.gen(function* () {
      const task = yield* asyncio.createTask(Effect.suspend(run))
      const { pending } = yield* asyncio.wait([task], { timeout: WATCHDOG })
      let result: Exit.Exit<unknown, unknown> | Hang = HANG
      if (pending.size > 0) {
        task.cancelUnsafe()
        yield* asyncio.wait([task], { timeout: WATCHDOG })
      } else {
        result = yield* Effect.exit(task)
      }
      // nothing broke the loop: a timer and a task still run
      yield* asyncio.sleep(1)
      const probe = yield* asyncio.createTask(Effect.succeed("alive"))
      const alive = (yield* probe) === "alive"
      return { result, alive }
    })
    const { exit } = yield* runVirtual(main, {
      exceptionHandler: (_loop, context) => {
        // every report can be written, whatever it holds
        try {
          asyncio.formatExceptionContext(context)
        } catch {
          reportsOk = false
        }
      }
    })
    if (Exit.isFailure(exit)) {
      return { observed: { outcome: "run rejected" }, runOk: false, alive: false, reportsOk }
    }
    return { observed: classify(exit.value.result), runOk: true, alive: exit.value.alive, reportsOk }
  })

// ---------------------------------------------------------------------------------------------
// The table
// ---------------------------------------------------------------------------------------------

type Expect = string | { readonly ok: unknown }

interface Case {
  readonly api: string
  readonly arg: string
  readonly run: () => Eff
  readonly expect: Expect
  /** Invariants after the case (the lock is free, the permit is back...). */
  readonly after?: (() => void) | undefined
}

const cases: Array<Case> = []
/** Exports and `Class.method` names that have at least one case. */
const covered = new Set<string>()

const cover = (names: ReadonlyArray<string>): void => {
  for (const name of names) covered.add(name)
}

/** One case. */
const one = (
  api: string,
  arg: string,
  covers: ReadonlyArray<string>,
  run: () => Eff,
  expect: Expect,
  after?: () => void
) => {
  cover(covers)
  cases.push({ api, arg, run, expect, after })
}

/** A case per bad value: `make` gets the value, `expect` says what each value gives. */
const row = (
  api: string,
  covers: ReadonlyArray<string>,
  make: (value: unknown, label: Label) => Eff,
  expect: Record<Label, Expect> | ((label: Label, value: unknown) => Expect),
  after?: () => void
): void => {
  cover(covers)
  for (const label of LABELS) {
    const value = valueOf(label)
    const expected = typeof expect === "function" ? expect(label, value) : expect[label]
    cases.push({ api, arg: label, run: () => make(valueOf(label), label), expect: expected, after })
  }
}

/** Every value gives `other`, except those listed. */
const all = (other: Expect, except: Partial<Record<Label, Expect>> = {}): Record<Label, Expect> => {
  const out = {} as Record<Label, Expect>
  for (const label of LABELS) out[label] = except[label] ?? other
  return out
}

/** Where an effect is expected: only the effect is accepted. */
const effectOnly = (bad: Expect, ok: Expect = "ok"): Record<Label, Expect> => all(bad, { effect: ok })
/** Where a function is expected: only the function is accepted. */
const functionOnly = (bad: Expect, ok: Expect = "ok"): Record<Label, Expect> => all(bad, { function: ok })
/** Where an options object is expected: `undefined` and `{}` are accepted. */
const optionsOnly = (bad: Expect, ok: Expect = "ok"): Record<Label, Expect> =>
  all(bad, { undefined: ok, "{}": ok })

/** A body of one turn, as the Python scripts' `async def body_r(): await sleep(0); return 'r'`. */
const bodyR = Effect.andThen(asyncio.sleep(0), Effect.succeed("r"))

// ---- seconds and deadlines -------------------------------------------------------------------
// Python: /tmp/py/ref.py of the issue's note, one fresh loop per case; NaN is a ValueError
// everywhere here (the README's differences table), CPython accepts it outside sleep().

row(
  "sleep(delay)",
  ["sleep"],
  (v) => effectOf(() => asyncio.sleep(v as number, "r")),
  all("die:TypeError", {
    NaN: "die:ValueError",
    "-1": { ok: "r" },
    Infinity: "hang",
    "-Infinity": { ok: "r" },
    "1e308": "hang"
  })
)

const secondsLimit = (timedOut: Expect): Record<Label, Expect> =>
  all("die:TypeError", {
    NaN: "die:ValueError",
    "-1": timedOut,
    Infinity: { ok: "r" },
    "-Infinity": timedOut,
    "1e308": { ok: "r" },
    null: { ok: "r" },
    undefined: { ok: "r" }
  })

row(
  "waitFor(aw, timeout)",
  ["waitFor"],
  (v) => effectOf(() => asyncio.waitFor(bodyR, v as number)),
  secondsLimit("fail:TimeoutError")
)
row(
  "timeout(delay, body)",
  ["timeout"],
  (v) => effectOf(() => asyncio.timeout(v as number, bodyR)),
  secondsLimit("fail:TimeoutError")
)
row(
  "timeoutAt(when, body)",
  ["timeoutAt"],
  (v) => effectOf(() => asyncio.timeoutAt(v as number, bodyR)),
  secondsLimit("fail:TimeoutError")
)
row(
  "Timeout.reschedule(when)",
  ["Timeout.reschedule"],
  (v) => effectOf(() => asyncio.timeout(10, (cm) => Effect.andThen(cm.reschedule(v as number), bodyR))),
  secondsLimit("fail:TimeoutError")
)
row(
  "new Timeout(when)",
  ["Timeout", "Timeout.when"],
  (v) => attempt(() => new asyncio.Timeout(v as number).when()),
  (label, v) =>
    label === "NaN"
      ? "throw:ValueError"
      : typeof v === "number"
        ? { ok: v }
        : v === null || v === undefined
          ? { ok: null }
          : "throw:TypeError"
)
row(
  "wait(fs, { timeout })",
  ["wait"],
  (v) =>
    Effect.gen(function* () {
      const t = yield* asyncio.createTask(bodyR)
      const { done, pending } = yield* effectOf(() =>
        asyncio.wait([t], { timeout: v as number })
      ) as Effect.Effect<asyncio.WaitResult<asyncio.Task<string>>>
      return [done.size, pending.size]
    }),
  all("die:TypeError", {
    NaN: "die:ValueError",
    "-1": { ok: [1, 0] },
    Infinity: { ok: [1, 0] },
    "-Infinity": { ok: [1, 0] },
    "1e308": { ok: [1, 0] },
    null: { ok: [1, 0] },
    undefined: { ok: [1, 0] }
  })
)
row(
  "asCompleted(aws, { timeout })",
  ["asCompleted"],
  (v) =>
    Effect.gen(function* () {
      const it = (yield* effectOf(() => asyncio.asCompleted([bodyR], { timeout: v as number }))) as Iterable<
        Effect.Effect<string, unknown>
      >
      const out: Array<string> = []
      for (const next of it) out.push(yield* next)
      return out
    }),
  all("die:TypeError", {
    NaN: "die:ValueError",
    "-1": "fail:TimeoutError",
    Infinity: { ok: ["r"] },
    "-Infinity": "fail:TimeoutError",
    "1e308": { ok: ["r"] },
    null: { ok: ["r"] },
    undefined: { ok: ["r"] }
  })
)

/** `loop.callLater` / `callAt` of a future's `setResult`, then the future awaited. */
const timerCase = (schedule: (loop: asyncio.EventLoopService, fire: () => void) => unknown): Eff =>
  steps(
    Effect.gen(function* () {
      const loop = yield* asyncio.getRunningLoop
      const future = loop.createFuture<string>()
      yield* step(() => schedule(loop, () => future.setResultUnsafe("fired")))
      return yield* future
    })
  )

const timerExpect = all("throw:TypeError", {
  NaN: "throw:ValueError",
  "-1": { ok: "fired" },
  Infinity: "hang",
  "-Infinity": { ok: "fired" },
  "1e308": "hang"
})
row(
  "loop.callLater(delay, f)",
  ["EventLoop.callLater"],
  (v) => timerCase((loop, fire) => call(loop.callLater.bind(loop), v, fire)),
  timerExpect
)
row(
  "loop.callAt(when, f)",
  ["EventLoop.callAt", "TimerHandle.when"],
  (v) => timerCase((loop, fire) => call(loop.callAt.bind(loop), v, fire)),
  timerExpect
)

// ---- effects where effects are expected ------------------------------------------------------

row(
  "createTask(effect)",
  ["createTask"],
  (v) => effectOf(() => call(asyncio.createTask, v)),
  // a Promise is an awaitable (issue 13): the task awaits it
  all("die:TypeError", { effect: "ok", Promise: "ok" })
)
row(
  "ensureFuture(effect)",
  ["ensureFuture"],
  (v) => Effect.flatMap(effectOf(() => call(asyncio.ensureFuture, v)) as Effect.Effect<Eff>, (t) => t),
  all("die:TypeError", { effect: { ok: "effect" }, Promise: { ok: 1 } })
)
row(
  "gather(aw)",
  ["gather"],
  (v) => effectOf(() => call(asyncio.gather, v)),
  // a plain object last is the options, even alone: gather({}) is gather(), as
  // gather(return_exceptions=True) is in CPython; a Promise is an awaitable (issue 13)
  all("die:TypeError", { "{}": { ok: [] }, Promise: { ok: [1] }, effect: { ok: ["effect"] } })
)
row(
  "gather(aw, last)",
  ["gather"],
  // only a plain object last is the options: gather(aPromise) is no longer [], a Promise is an
  // awaitable (issue 13)
  (v) => effectOf(() => call(asyncio.gather, Effect.succeed(1), v)),
  all("die:TypeError", { "{}": { ok: [1] }, Promise: { ok: [1, 1] }, effect: { ok: [1, "effect"] } })
)
row(
  "gather([aw])",
  ["gather"],
  (v) => effectOf(() => call(asyncio.gather, [v])),
  all("die:TypeError", { Promise: { ok: [1] }, effect: { ok: ["effect"] } })
)
one(
  "gather([aw])",
  "a revoked Proxy after an effect",
  ["gather"],
  () => effectOf(() => asyncio.gather([Effect.succeed(1), revoked() as Eff])),
  "die:TypeError"
)
row(
  "gather([aw], options)",
  ["gather"],
  (v) => effectOf(() => call(asyncio.gather, [Effect.succeed(1)], v)),
  optionsOnly("die:TypeError", { ok: [1] })
)
row(
  "shield(aw)",
  ["shield"],
  (v) => effectOf(() => call(asyncio.shield, v)),
  all("die:TypeError", { Promise: { ok: 1 }, effect: { ok: "effect" } })
)
row(
  "waitFor(aw, 1)",
  ["waitFor"],
  (v) => effectOf(() => call(asyncio.waitFor, v, 1)),
  all("die:TypeError", { Promise: { ok: 1 }, effect: { ok: "effect" } })
)
row(
  "runEffect(main)",
  ["runEffect"],
  // asyncio.run(42): ValueError('a coroutine was expected, got 42')
  (v) => effectOf(() => call(asyncio.runEffect, v)),
  effectOnly("die:ValueError", { ok: "effect" })
)

/** A primitive's `use(body)`: after it, the lock is free and the permit back (nothing leaks). */
const lock = new asyncio.Lock()
row(
  "Lock.use(body)",
  ["Lock.use"],
  (v) => effectOf(() => method(lock, "use", v)),
  effectOnly("die:TypeError", { ok: "effect" }),
  () => assert.isFalse(lock.locked(), "the lock leaked")
)
const semaphore = new asyncio.Semaphore(1)
row(
  "Semaphore.use(body)",
  ["Semaphore.use"],
  (v) => effectOf(() => method(semaphore, "use", v)),
  effectOnly("die:TypeError", { ok: "effect" }),
  () => assert.strictEqual(semaphore.permits(), 1, "the permit leaked")
)
const bounded = new asyncio.BoundedSemaphore(1)
row(
  "BoundedSemaphore.use(body)",
  ["BoundedSemaphore.use"],
  (v) => effectOf(() => method(bounded, "use", v)),
  effectOnly("die:TypeError", { ok: "effect" }),
  () => assert.strictEqual(bounded.permits(), 1, "the permit leaked")
)
const condition = new asyncio.Condition()
row(
  "Condition.use(body)",
  ["Condition.use"],
  (v) => effectOf(() => method(condition, "use", v)),
  effectOnly("die:TypeError", { ok: "effect" }),
  () => assert.isFalse(condition.locked(), "the lock leaked")
)
row(
  "timeout(1, body)",
  ["timeout"],
  // a function is a body too: `(cm) => effect`
  (v) => effectOf(() => call(asyncio.timeout, 1, v)),
  all("die:TypeError", { function: "ok", effect: { ok: "effect" } })
)
row(
  "timeoutAt(when, body)",
  ["timeoutAt"],
  (v) => effectOf(() => call(asyncio.timeoutAt, 10, v)),
  all("die:TypeError", { function: "ok", effect: { ok: "effect" } })
)
row(
  "Timeout.run(body)",
  ["Timeout.run"],
  (v) => effectOf(() => method(new asyncio.Timeout(null), "run", v)),
  all("die:TypeError", { function: "ok", effect: { ok: "effect" } })
)
row(
  "TaskGroup.createTask(effect)",
  ["TaskGroup.createTask"],
  // CPython: tg.create_task(42) raises TypeError in the body: the group holds it
  (v) => effectOf(() => asyncio.TaskGroup.run((tg) => method(tg, "createTask", v) as Eff)),
  // a Promise is an awaitable (issue 13): the child awaits it
  all("group:TypeError", { effect: "ok", Promise: "ok" })
)
row(
  "exceptStar(tag, handler)(self)",
  ["exceptStar"],
  (v) =>
    effectOf(() =>
      call(
        call(asyncio.exceptStar, "ValueError", () => Effect.void),
        v
      )
    ),
  effectOnly("die:TypeError", { ok: "effect" })
)

// ---- functions where functions are expected --------------------------------------------------
// Python: ref2.py; CPython's add_done_callback and call_soon accept anything and report the
// TypeError when they call it: here a non-function is refused at once (README, differences).

/** A future's done callback, or the loop's callback: then one turn, the loop still runs. */
const callbackCase = (
  add: (future: asyncio.Future<number>, loop: asyncio.EventLoopService) => unknown
): Eff =>
  steps(
    Effect.gen(function* () {
      const loop = yield* asyncio.getRunningLoop
      const future = loop.createFuture<number>()
      yield* step(() => add(future, loop))
      future.setResultUnsafe(1)
      yield* asyncio.sleep(0)
      yield* asyncio.sleep(0)
      return "survived"
    })
  )

row(
  "Future.addDoneCallback(fn)",
  ["Future.addDoneCallback", "createFuture", "EventLoop.createFuture"],
  (v) => callbackCase((future) => method(future, "addDoneCallback", v)),
  functionOnly("throw:TypeError", { ok: "survived" })
)
row(
  "Future.removeDoneCallback(fn)",
  ["Future.removeDoneCallback"],
  // CPython: remove_done_callback(anything) is 0
  (v) =>
    Effect.map(asyncio.getRunningLoop, (loop) =>
      method(loop.createFuture<number>(), "removeDoneCallback", v)
    ),
  all({ ok: 0 })
)
row(
  "loop.callSoon(fn)",
  ["EventLoop.callSoon", "getRunningLoop"],
  (v) => callbackCase((_future, loop) => method(loop, "callSoon", v)),
  functionOnly("throw:TypeError", { ok: "survived" })
)
row(
  "loop.callLater(0, fn)",
  ["EventLoop.callLater"],
  (v) => callbackCase((_future, loop) => method(loop, "callLater", 0, v)),
  functionOnly("throw:TypeError", { ok: "survived" })
)
row(
  "loop.callAt(when, fn)",
  ["EventLoop.callAt"],
  (v) => callbackCase((_future, loop) => method(loop, "callAt", loop.time(), v)),
  functionOnly("throw:TypeError", { ok: "survived" })
)
row(
  "loop.setExceptionHandler(fn)",
  ["EventLoop.setExceptionHandler", "EventLoop.getExceptionHandler"],
  (v) =>
    callbackCase((_future, loop) => {
      const before = loop.getExceptionHandler()
      method(loop, "setExceptionHandler", v)
      loop.setExceptionHandler(before)
    }),
  all("throw:TypeError", {
    null: { ok: "survived" },
    undefined: { ok: "survived" },
    function: { ok: "survived" }
  })
)
row(
  "TaskGroup.run(body)",
  ["TaskGroup.run"],
  (v) => effectOf(() => call(asyncio.TaskGroup.run, v)),
  functionOnly("die:TypeError")
)
row(
  "new TaskGroup().run(body)",
  ["TaskGroup", "TaskGroup.run"],
  (v) => effectOf(() => method(new asyncio.TaskGroup(), "run", v)),
  functionOnly("die:TypeError")
)
row(
  "Barrier.use(body)",
  ["Barrier.use"],
  (v) => effectOf(() => method(new asyncio.Barrier(1), "use", v)),
  functionOnly("die:TypeError")
)
row(
  "Condition.waitFor(predicate)",
  ["Condition.waitFor"],
  // the function returns an effect, a truthy value: wait_for returns it at once
  (v) => {
    const cond = new asyncio.Condition()
    return Effect.map(cond.use(effectOf(() => method(cond, "waitFor", v))), () => "woke")
  },
  functionOnly("die:TypeError", { ok: "woke" })
)
row(
  "exceptStar(tag, handler)",
  ["exceptStar"],
  (v) =>
    effectOf(() =>
      (call(asyncio.exceptStar, "ValueError", v) as (self: Eff) => Eff)(
        Effect.fail(new asyncio.ValueError({ message: "x" }))
      )
    ),
  functionOnly("die:TypeError")
)
row(
  "new PriorityQueue({ order })",
  ["PriorityQueue"],
  (v) =>
    Effect.gen(function* () {
      const q = (yield* attempt(() => new asyncio.PriorityQueue({ order: v as never }))) as
        | asyncio.PriorityQueue<number>
        | Thrown
      if (q instanceof Thrown) return q
      yield* q.put(2)
      yield* q.put(1)
      return q.qsize()
    }),
  all("throw:TypeError", { undefined: { ok: 2 }, function: { ok: 2 } })
)

// ---- what body functions return --------------------------------------------------------------
// A non-effect returned by a body must never reach Effect's run loop (it ended the fiber without
// its finalizers): the body raised TypeError, as in CPython (`await 42` in the body).

row(
  "TaskGroup.run(() => value)",
  ["TaskGroup.run"],
  (v) => asyncio.TaskGroup.run(() => v as Eff),
  effectOnly("group:TypeError", { ok: "effect" })
)
row(
  "Barrier.use(() => value)",
  ["Barrier.use"],
  (v) => new asyncio.Barrier(1).use(() => v as Eff),
  effectOnly("die:TypeError", { ok: "effect" })
)
row(
  "timeout(1, () => value)",
  ["timeout"],
  (v) => asyncio.timeout(1, () => v as Eff),
  effectOnly("die:TypeError", { ok: "effect" })
)
row(
  "exceptStar(tag, () => value)",
  ["exceptStar"],
  (v) => {
    const held = new asyncio.Lock()
    return Effect.ensuring(
      held.use(
        Effect.fail(new asyncio.ValueError({ message: "x" })).pipe(
          asyncio.exceptStar("ValueError", () => v as Eff)
        )
      ),
      Effect.sync(() => assert.isFalse(held.locked(), "the lock leaked"))
    )
  },
  effectOnly("die:TypeError", { ok: "effect" })
)

// ---- options objects -------------------------------------------------------------------------
// Only a plain object is an options object (a Promise, an array, an effect in its place is a bug);
// an unknown key is a TypeError, as Python's "unexpected keyword argument".

row(
  "createTask(effect, options)",
  ["createTask"],
  (v) =>
    Effect.flatMap(
      effectOf(() => call(asyncio.createTask, Effect.succeed(1), v)) as Effect.Effect<Eff>,
      (t) => t
    ),
  optionsOnly("die:TypeError", { ok: 1 })
)
row(
  "ensureFuture(effect, options)",
  ["ensureFuture"],
  (v) =>
    Effect.flatMap(
      effectOf(() => call(asyncio.ensureFuture, Effect.succeed(1), v)) as Effect.Effect<Eff>,
      (t) => t
    ),
  optionsOnly("die:TypeError", { ok: 1 })
)
row(
  "TaskGroup.createTask(effect, options)",
  ["TaskGroup.createTask"],
  (v) => asyncio.TaskGroup.run((tg) => effectOf(() => method(tg, "createTask", Effect.succeed(1), v))),
  optionsOnly("group:TypeError")
)
row(
  "gather(aw, options)",
  ["gather"],
  (v) => effectOf(() => call(asyncio.gather, Effect.succeed(1), v)),
  // a thenable is never the options: it is awaited
  all("die:TypeError", { "{}": { ok: [1] }, Promise: { ok: [1, 1] }, effect: { ok: [1, "effect"] } })
)
row(
  "wait(fs, options)",
  ["wait"],
  (v) =>
    Effect.gen(function* () {
      const t = yield* asyncio.createTask(bodyR)
      const result = (yield* effectOf(() => call(asyncio.wait, [t], v))) as asyncio.WaitResult<unknown>
      return [result.done.size, result.pending.size]
    }),
  optionsOnly("die:TypeError", { ok: [1, 0] })
)
row(
  "asCompleted(aws, options)",
  ["asCompleted"],
  (v) =>
    Effect.gen(function* () {
      const it = (yield* effectOf(() => call(asyncio.asCompleted, [bodyR], v))) as Iterable<Eff>
      const out: Array<unknown> = []
      for (const next of it) out.push(yield* next)
      return out
    }),
  optionsOnly("die:TypeError", { ok: ["r"] })
)
row(
  "runEffect(main, options)",
  ["runEffect"],
  (v) => effectOf(() => call(asyncio.runEffect, Effect.succeed(1), v)),
  optionsOnly("die:TypeError", { ok: 1 })
)
row(
  "EventLoop.layer(options)",
  ["EventLoop", "EventLoop.layer"],
  (v) =>
    Effect.scoped(
      Effect.map(Layer.build(call(asyncio.EventLoop.layer, v) as Layer.Layer<asyncio.EventLoop>), (context) =>
        Context.get(context, asyncio.EventLoop).isRunning()
      )
    ),
  optionsOnly("die:TypeError", { ok: true })
)
for (const [api, covers, make] of [
  [
    "createTask",
    ["createTask"],
    () => Effect.flatMap(asyncio.createTask(Effect.succeed(1), { nmae: "x" } as never), (t) => t)
  ],
  ["ensureFuture", ["ensureFuture"], () => asyncio.ensureFuture(Effect.succeed(1), { eager: true } as never)],
  ["gather", ["gather"], () => asyncio.gather(Effect.succeed(1), { return_exceptions: true } as never)],
  [
    "gather([...])",
    ["gather"],
    () => asyncio.gather([Effect.succeed(1)], { return_exceptions: true } as never)
  ],
  [
    "wait",
    ["wait"],
    () => Effect.flatMap(asyncio.createTask(bodyR), (t) => asyncio.wait([t], { return_when: "x" } as never))
  ],
  ["asCompleted", ["asCompleted"], () => asyncio.asCompleted([bodyR], { timeOut: 1 } as never)],
  ["runEffect", ["runEffect"], () => asyncio.runEffect(Effect.void, { handleSigint: false } as never)],
  [
    "EventLoop.layer",
    ["EventLoop.layer"],
    () => Effect.scoped(Layer.build(asyncio.EventLoop.layer({ degub: true } as never)))
  ],
  ["new Queue", ["Queue"], () => attempt(() => new asyncio.Queue({ maxSize: 1 } as never))],
  [
    "new PriorityQueue",
    ["PriorityQueue"],
    () => attempt(() => new asyncio.PriorityQueue({ key: 1 } as never))
  ],
  ["new LifoQueue", ["LifoQueue"], () => attempt(() => new asyncio.LifoQueue({ order: 1 } as never))]
] as const) {
  one(
    `${api}(..., unknown option)`,
    "{ unknownKey }",
    covers,
    make as () => Eff,
    api.startsWith("new ") ? "throw:TypeError" : "die:TypeError"
  )
}

// option values: CPython reads them as it reads keyword arguments (names with str(), flags for
// their truth, `None` for the default)
row(
  "createTask(effect, { name })",
  ["createTask", "Task.getName"],
  (v) =>
    Effect.map(
      effectOf(() => asyncio.createTask(Effect.void, { name: v as string })) as Effect.Effect<
        asyncio.Task<void>
      >,
      (t) => t.getName()
    ),
  (_label, v) => (v === null || v === undefined ? { ok: "Task-3" } : { ok: String(v) })
)
row(
  "createTask(effect, { eagerStart })",
  ["createTask"],
  (v) =>
    Effect.map(
      effectOf(() => asyncio.createTask(Effect.void, { eagerStart: v as boolean })) as Effect.Effect<
        asyncio.Task<void>
      >,
      (t) => t.done()
    ),
  (_label, v) => ({ ok: Boolean(v) })
)
row(
  "gather(..., { returnExceptions })",
  ["gather"],
  (v) => effectOf(() => asyncio.gather(Effect.fail("boom"), { returnExceptions: v as boolean })),
  (_label, v) => (v ? { ok: ["boom"] } : "fail:value")
)
row(
  "wait(fs, { returnWhen })",
  ["wait", "ALL_COMPLETED", "FIRST_COMPLETED", "FIRST_EXCEPTION"],
  // CPython: any other value, None included, is ValueError('Invalid return_when value: ...')
  (v) =>
    Effect.gen(function* () {
      const t = yield* asyncio.createTask(bodyR)
      const result = (yield* effectOf(() =>
        asyncio.wait([t], { returnWhen: v as asyncio.ReturnWhen })
      )) as asyncio.WaitResult<unknown>
      return result.done.size
    }),
  all("die:ValueError", { undefined: { ok: 1 } })
)
for (const returnWhen of [asyncio.ALL_COMPLETED, asyncio.FIRST_COMPLETED, asyncio.FIRST_EXCEPTION] as const) {
  one(
    "wait(fs, { returnWhen })",
    returnWhen,
    [returnWhen],
    () =>
      Effect.flatMap(asyncio.createTask(bodyR), (t) =>
        Effect.map(asyncio.wait([t], { returnWhen }), (r) => r.done.size)
      ),
    { ok: 1 }
  )
}
row(
  "runEffect(main, { exceptionHandler })",
  ["runEffect"],
  (v) => effectOf(() => asyncio.runEffect(Effect.succeed(1), { exceptionHandler: v as never })),
  all("die:TypeError", { null: { ok: 1 }, undefined: { ok: 1 }, function: { ok: 1 } })
)
row(
  "runEffect(main, { tracing })",
  ["runEffect"],
  (v) => effectOf(() => asyncio.runEffect(Effect.succeed(1), { tracing: v as boolean })),
  all("die:TypeError", { undefined: { ok: 1 } })
)
// the monitor's own entry point: a port that is no port is a ValueError, as socket.bind's
// OverflowError / ValueError in Python; the socket is off so that no case listens
row(
  "monitor({ http })",
  [],
  (v) =>
    effectOf(() =>
      asyncio.runEffect(
        Effect.scoped(Effect.map(monitor({ socket: false, http: v as number }), (info) => info.url ?? "none"))
      )
    ),
  all("die:TypeError", {
    NaN: "die:ValueError",
    "-1": "die:ValueError",
    Infinity: "die:ValueError",
    "-Infinity": "die:ValueError",
    "1e308": "die:ValueError",
    undefined: { ok: "none" }
  })
)
row(
  "monitor(options)",
  [],
  (v) => effectOf(() => asyncio.runEffect(Effect.scoped(Effect.as(monitor(v as never), "started")))),
  // `{}`: the socket (a real one, removed when the scope closes)
  all("die:TypeError", { undefined: { ok: "started" }, "{}": { ok: "started" } })
)
row(
  "runEffect(main, { debug })",
  ["runEffect", "EventLoop.getDebug"],
  (v) =>
    effectOf(() =>
      asyncio.runEffect(
        Effect.map(asyncio.getRunningLoop, (l) => Boolean(l.getDebug())),
        { debug: v as boolean }
      )
    ),
  (_label, v) => ({ ok: Boolean(v) })
)

// ---- counts ----------------------------------------------------------------------------------
// CPython's rules (ref.py): `Semaphore(v)` raises ValueError if `v < 0`, `Barrier(v)` if `v < 1`,
// `Queue(maxsize)` takes any number (`<= 0` or NaN: unbounded), `notify(n)` wakes while
// `idx < n`; NaN passes each comparison. A non-number is a TypeError here at once (CPython raises
// it at the first comparison: `Queue("1")` at its first put, `notify("1")` once there is a waiter).

const semaphoreExpect = (label: Label, v: unknown): Expect => {
  if (label === "undefined") return { ok: [true, 0] } // the default value, 1
  if (typeof v !== "number") return "throw:TypeError"
  if (v < 0) return "throw:ValueError"
  return { ok: [false, v - 1] }
}
for (const [name, make] of [
  ["Semaphore", (v: unknown) => new asyncio.Semaphore(v as number)],
  ["BoundedSemaphore", (v: unknown) => new asyncio.BoundedSemaphore(v as number)]
] as const) {
  row(
    `new ${name}(value)`,
    [name, `${name}.acquire`, `${name}.locked`, `${name}.permits`],
    (v) =>
      Effect.gen(function* () {
        const sem = (yield* attempt(() => make(v))) as asyncio.Semaphore | Thrown
        if (sem instanceof Thrown) return sem
        yield* sem.acquire()
        return [sem.locked(), sem.permits()]
      }),
    semaphoreExpect
  )
}
row(
  "new Barrier(parties)",
  ["Barrier", "Barrier.wait"],
  (v) =>
    Effect.gen(function* () {
      const barrier = (yield* attempt(() => new asyncio.Barrier(v as number))) as asyncio.Barrier | Thrown
      if (barrier instanceof Thrown) return barrier
      return yield* barrier.wait()
    }),
  (_label, v) => {
    if (typeof v !== "number") return "throw:TypeError"
    if (v < 1) return "throw:ValueError"
    return v === 1 ? { ok: 0 } : "hang" // never fills, as in CPython
  }
)
const queueExpect =
  (positional: boolean) =>
  (label: Label, v: unknown): Expect => {
    if (label === "undefined") return { ok: [2, false, 0] }
    if (label === "{}" && positional) return { ok: [2, false, 0] } // an empty options object
    if (typeof v !== "number") return "throw:TypeError"
    return { ok: [2, false, v] }
  }
for (const [name, make] of [
  ["Queue", (o: unknown) => new asyncio.Queue<number>(o as number)],
  ["PriorityQueue", (o: unknown) => new asyncio.PriorityQueue<number>(o as number)],
  ["LifoQueue", (o: unknown) => new asyncio.LifoQueue<number>(o as number)]
] as const) {
  row(
    `new ${name}(maxsize)`,
    [name, `${name}.putNowait`, `${name}.qsize`, `${name}.full`, `${name}.maxsize`],
    (v) =>
      Effect.gen(function* () {
        const q = (yield* attempt(() => make(v))) as asyncio.Queue<number> | Thrown
        if (q instanceof Thrown) return q
        yield* Effect.orDie(q.putNowait(1))
        yield* Effect.orDie(q.putNowait(2))
        return [q.qsize(), q.full(), q.maxsize]
      }),
    queueExpect(true)
  )
  row(
    `new ${name}({ maxsize })`,
    [name],
    (v) =>
      Effect.gen(function* () {
        const q = (yield* attempt(() => make({ maxsize: v }))) as asyncio.Queue<number> | Thrown
        if (q instanceof Thrown) return q
        yield* Effect.orDie(q.putNowait(1))
        yield* Effect.orDie(q.putNowait(2))
        return [q.qsize(), q.full(), q.maxsize]
      }),
    queueExpect(false)
  )
}
row(
  "Condition.notify(n)",
  ["Condition.notify", "Condition.wait", "Condition"],
  (v) =>
    Effect.gen(function* () {
      const cond = new asyncio.Condition()
      let woken = 0
      const waiter = cond.use(
        Effect.andThen(
          cond.wait(),
          Effect.sync(() => (woken += 1))
        )
      )
      const tasks = [yield* asyncio.createTask(waiter), yield* asyncio.createTask(waiter)]
      yield* asyncio.sleep(0)
      const notified = yield* Effect.exit(cond.use(effectOf(() => cond.notify(v as number))))
      yield* asyncio.sleep(0.01)
      for (const t of tasks) t.cancelUnsafe()
      return Exit.isSuccess(notified) ? woken : yield* notified
    }),
  (label, v) => {
    if (label === "undefined") return { ok: 1 } // notify() wakes one
    if (typeof v !== "number") return "die:TypeError"
    return { ok: v > 0 || Number.isNaN(v) ? 2 : 0 }
  }
)

// ---- cancel messages: any value, as CPython (`str(CancelledError(msg))`) ----------------------

const messageExpect = (_label: Label, v: unknown): Expect => ({
  ok: v === null || v === undefined ? "" : String(v)
})
row(
  "Task.cancel(msg)",
  ["Task.cancel"],
  (v) =>
    Effect.gen(function* () {
      const t = yield* asyncio.createTask(asyncio.sleep(10))
      yield* asyncio.sleep(0)
      yield* t.cancel(v)
      return (yield* Effect.flip(t)).message
    }),
  messageExpect
)
row(
  "Task.cancelUnsafe(msg), then gather(t)",
  ["Task.cancelUnsafe"],
  // the issue: cancel(42) made gather(t) hang
  (v) =>
    Effect.gen(function* () {
      const t = yield* asyncio.createTask(asyncio.sleep(10))
      yield* asyncio.sleep(0)
      t.cancelUnsafe(v)
      const error = yield* Effect.flip(asyncio.gather(t))
      return (error as asyncio.CancelledError).message
    }),
  messageExpect
)
row(
  "Future.cancel(msg)",
  ["Future.cancel"],
  (v) =>
    Effect.gen(function* () {
      const f = yield* asyncio.createFuture<number>()
      yield* f.cancel(v)
      return (yield* Effect.flip(f)).message
    }),
  messageExpect
)
row(
  "Future.cancelUnsafe(msg)",
  ["Future.cancelUnsafe"],
  (v) =>
    Effect.gen(function* () {
      const f = yield* asyncio.createFuture<number>()
      f.cancelUnsafe(v)
      return (yield* Effect.flip(f.result())).message
    }),
  messageExpect
)
for (const [label, make, expected] of [
  ["an object whose toString throws", unprintable, "[object Object]"],
  ["a revoked Proxy", revoked, "<unprintable>"],
  ["Object.create(null)", () => Object.create(null), "[object Object]"]
] as const) {
  one(
    "Task.cancel(msg)",
    label,
    ["Task.cancel"],
    () =>
      Effect.gen(function* () {
        const t = yield* asyncio.createTask(asyncio.sleep(10))
        yield* asyncio.sleep(0)
        yield* t.cancel(make())
        const [first, second] = yield* asyncio.gather([t, t], { returnExceptions: true })
        return [
          (first as asyncio.CancelledError)._tag,
          (second as asyncio.CancelledError)._tag,
          String(t).length > 0
        ]
      }),
    { ok: ["CancelledError", "CancelledError", true] }
  )
  void expected
}

// ---- names -----------------------------------------------------------------------------------
row(
  "Task.setName(value)",
  ["Task.setName", "Task.getName"],
  (v) =>
    Effect.gen(function* () {
      const t = yield* asyncio.createTask(Effect.void)
      yield* step(() => t.setName(v))
      return t.getName()
    }).pipe(steps),
  (_label, v) => ({ ok: String(v) })
)
one(
  "Task.setName(value)",
  "an object whose toString throws",
  ["Task.setName"],
  () =>
    steps(
      Effect.gen(function* () {
        const t = yield* asyncio.createTask(Effect.void)
        return yield* step(() => t.setName(unprintable()))
      })
    ),
  "own"
)
one(
  "createTask(effect, { name })",
  "an object whose toString throws",
  ["createTask"],
  () => asyncio.createTask(Effect.void, { name: unprintable() as never }),
  "own"
)

// ---- threads and processes (concurrent.futures, run_in_executor, to_thread) -----------------
// Python 3.13: cf.ThreadPoolExecutor(max_workers=0) and (-1): ValueError('max_workers must be
// greater than 0'); ('1'): TypeError; (None): the default (min(32, cpus + 4) threads, cpus
// processes). CPython takes a float (1.5) and an infinity; a worker count is an integer here.
// No case starts a worker: the ok ones make an executor, or are refused before any call runs.
const CPUS = globalThis.navigator.hardwareConcurrency
for (const [name, Executor, defaultWorkers] of [
  ["ThreadPoolExecutor", asyncio.ThreadPoolExecutor, Math.min(32, CPUS + 4)],
  ["ProcessPoolExecutor", asyncio.ProcessPoolExecutor, CPUS]
] as const) {
  const make = (options: unknown) =>
    new (Executor as new (options: unknown) => asyncio.ThreadPoolExecutor)(options)
  row(
    `new ${name}(options)`,
    [name, `${name}.toString`],
    (v) => attempt(() => String(make(v))),
    optionsOnly("throw:TypeError", { ok: `<${name} max_workers=${defaultWorkers}>` })
  )
  row(
    `new ${name}({ maxWorkers })`,
    [name],
    (v) => attempt(() => make({ maxWorkers: v }).maxWorkers),
    all("throw:TypeError", {
      NaN: "throw:ValueError",
      "-1": "throw:ValueError",
      Infinity: "throw:ValueError",
      "-Infinity": "throw:ValueError",
      "1e308": { ok: 1e308 },
      null: { ok: defaultWorkers },
      undefined: { ok: defaultWorkers }
    })
  )
  row(
    `new ${name}({ terminateOnCancel })`,
    [name],
    (v) => attempt(() => make({ terminateOnCancel: v }).terminateOnCancel),
    all("throw:TypeError", { undefined: { ok: false } })
  )
  row(
    `new ${name}({ execArgv })`,
    [name],
    (v) => attempt(() => String(make({ maxWorkers: 1, execArgv: v }))),
    all("throw:TypeError", { undefined: { ok: `<${name} max_workers=1>` } })
  )
  row(
    `${name}.shutdown(options)`,
    [`${name}.shutdown`],
    (v) => effectOf(() => make({ maxWorkers: 1 }).shutdown(v as never)),
    optionsOnly("die:TypeError")
  )
  row(
    `${name}.shutdown({ wait })`,
    [`${name}.shutdown`],
    (v) => effectOf(() => make({ maxWorkers: 1 }).shutdown({ wait: v as boolean })),
    all("die:TypeError", { undefined: "ok" })
  )
  row(
    `${name}.use(body)`,
    [`${name}.use`],
    (v) => effectOf(() => make({ maxWorkers: 1 }).use(v as Eff)),
    effectOnly("die:TypeError", { ok: "effect" })
  )
}
// a closure cannot cross a thread: only functions of defineWorkerFunctions are sent
row("toThread(fn)", ["toThread"], (v) => effectOf(() => call(asyncio.toThread, v)), all("die:TypeError"))
// loop.run_in_executor('notexec', f): AttributeError in CPython (no .submit); TypeError here. A
// good executor (undefined: the default) gets past the check, to the call: refused because the
// default executor was shut down (CPython: RuntimeError 'Executor shutdown has been called')
row(
  "loop.runInExecutor(executor, fn)",
  ["EventLoop.runInExecutor", "EventLoop.shutdownDefaultExecutor"],
  (v) =>
    Effect.gen(function* () {
      const loop = yield* asyncio.getRunningLoop
      yield* loop.shutdownDefaultExecutor()
      return yield* attempt(() => loop.runInExecutor(v as never, work.add, 1, 2))
    }),
  all("throw:TypeError", { null: "throw:RuntimeError", undefined: "throw:RuntimeError" })
)
row(
  "loop.runInExecutor(executor, fn) with a closure",
  ["EventLoop.runInExecutor"],
  (v) =>
    Effect.flatMap(asyncio.getRunningLoop, (loop) =>
      attempt(() => method(loop, "runInExecutor", new asyncio.ThreadPoolExecutor({ maxWorkers: 1 }), v))
    ),
  all("throw:TypeError")
)
// loop.set_default_executor(42): TypeError('executor must be ThreadPoolExecutor instance')
row(
  "loop.setDefaultExecutor(executor)",
  ["EventLoop.setDefaultExecutor"],
  (v) => Effect.flatMap(asyncio.getRunningLoop, (loop) => attempt(() => loop.setDefaultExecutor(v as never))),
  all("throw:TypeError")
)
// await loop.shutdown_default_executor(timeout): no default executor yet, so it returns at once
row(
  "loop.shutdownDefaultExecutor(timeout)",
  ["EventLoop.shutdownDefaultExecutor"],
  (v) =>
    Effect.flatMap(asyncio.getRunningLoop, (loop) =>
      effectOf(() => loop.shutdownDefaultExecutor(v as never))
    ),
  all("die:TypeError", {
    NaN: "die:ValueError",
    "-1": "ok",
    Infinity: "ok",
    "-Infinity": "ok",
    "1e308": "ok",
    null: "ok",
    undefined: "ok"
  })
)
// each case names a module URL of its own (a module defines a name once)
let workerModules = 0
const moduleUrl = () => {
  workerModules += 1
  return `file:///bad-input/workers-${workerModules}.ts`
}
row(
  "defineWorkerFunctions(moduleUrl, definitions)",
  ["defineWorkerFunctions"],
  (v) => attempt(() => Object.keys(asyncio.defineWorkerFunctions(v as string, {}))),
  all("throw:TypeError", { '"1"': "throw:ValueError" })
)
row(
  "defineWorkerFunctions(url, definitions)",
  ["defineWorkerFunctions"],
  (v) => attempt(() => Object.keys(asyncio.defineWorkerFunctions(moduleUrl(), v as never))),
  all("throw:TypeError", { "{}": { ok: [] } })
)
row(
  "defineWorkerFunctions(url, { f: entry })",
  ["defineWorkerFunctions"],
  (v) => attempt(() => Object.keys(asyncio.defineWorkerFunctions(moduleUrl(), { f: v as never }))),
  all("throw:TypeError", { function: { ok: ["f"] } })
)

// ---- the error classes -----------------------------------------------------------------------
// Python: ValueError(42), CancelledError({}), TimeoutError() are all accepted (str() of the
// argument is the message, '' for none); here any message is kept as its text too, and a bare
// value in place of the fields is the message

for (const C of ASYNCIO_ERRORS) {
  if (C === asyncio.ExceptionGroup) continue
  const Make = C as unknown as new (props: unknown) => { readonly _tag: string; readonly message: unknown }
  const made = (e: { readonly _tag: string; readonly message: unknown }) => [
    e._tag,
    typeof e.message,
    e instanceof (C as unknown as abstract new (...args: ReadonlyArray<never>) => unknown)
  ]
  row(
    `new ${C.name}({ message })`,
    [C.name],
    (v) => attempt(() => made(new Make({ message: v }))),
    all({ ok: [C.name, "string", true] })
  )
  row(
    `new ${C.name}(value)`,
    [C.name],
    (v) => attempt(() => made(new Make(v))),
    all({ ok: [C.name, "string", true] })
  )
}
one(
  "new ValueError({ message })",
  "the text of each value, as str(arg)",
  ["ValueError"],
  () =>
    attempt(() =>
      [42, null, undefined, "boom", unprintable(), revoked()].map(
        (message) => new asyncio.ValueError({ message: message as string }).message
      )
    ),
  { ok: ["42", "", "", "boom", "[object Object]", "<unprintable>"] }
)

// ---- exception groups ------------------------------------------------------------------------
// Python: ExceptionGroup(42, [e]) is TypeError ("argument 1 must be str"), ExceptionGroup("m",
// None) TypeError ("must be a sequence"), eg.split(42) TypeError. Typed errors may be any value
// here (Effect's), so the items of `exceptions` are not checked.

const valueError = () => new asyncio.ValueError({ message: "x" })
const sample = () => asyncio.ExceptionGroup.make("m", [valueError()])
const stringOnly = (ok: Expect): Record<Label, Expect> => all("throw:TypeError", { '"1"': ok })
const arrayOnly = (ok: Expect): Record<Label, Expect> => all("throw:TypeError", { undefined: ok })

row(
  "ExceptionGroup.make(message, excs)",
  ["ExceptionGroup", "ExceptionGroup.make"],
  (v) => attempt(() => call(asyncio.ExceptionGroup.make, v, [valueError()]) && "made"),
  stringOnly({ ok: "made" })
)
row(
  "ExceptionGroup.make('m', excs)",
  ["ExceptionGroup.make"],
  (v) => attempt(() => call(asyncio.ExceptionGroup.make, "m", v) && "made"),
  all("throw:TypeError")
)
row(
  "ExceptionGroup.make('m', excs, defects)",
  ["ExceptionGroup.make"],
  (v) => attempt(() => call(asyncio.ExceptionGroup.make, "m", [valueError()], v) && "made"),
  arrayOnly({ ok: "made" })
)
one(
  "ExceptionGroup.make('m', [])",
  "an empty group",
  ["ExceptionGroup.make"],
  () => attempt(() => asyncio.ExceptionGroup.make("m", [])),
  "throw:ValueError"
)
one(
  "ExceptionGroup.make('m', [42, null])",
  "any values as typed errors",
  ["ExceptionGroup.make"],
  () => attempt(() => asyncio.ExceptionGroup.make("m", [42, null]).exceptions),
  { ok: [42, null] }
)
row(
  "new ExceptionGroup(message, reasons)",
  ["ExceptionGroup"],
  (v) => attempt(() => new asyncio.ExceptionGroup(v as string, [Cause.makeFailReason(1)]).message),
  stringOnly({ ok: "1 (1 sub-exception)" })
)
row(
  "new ExceptionGroup('m', reasons)",
  ["ExceptionGroup"],
  (v) => attempt(() => new asyncio.ExceptionGroup("m", v as never)),
  all("throw:TypeError")
)
row(
  "new ExceptionGroup('m', [reason])",
  ["ExceptionGroup"],
  (v) => attempt(() => new asyncio.ExceptionGroup("m", [v as never]).message),
  all("throw:TypeError")
)
row(
  "ExceptionGroup.fromCause(cause)",
  ["ExceptionGroup.fromCause"],
  (v) => attempt(() => call(asyncio.ExceptionGroup.fromCause, v)),
  all("throw:TypeError")
)
row(
  "ExceptionGroup.fromCause(cause, message)",
  ["ExceptionGroup.fromCause"],
  (v) => attempt(() => call(asyncio.ExceptionGroup.fromCause, Cause.fail(1), v)?.toString().split("\n")[0]),
  all("throw:TypeError", {
    '"1"': { ok: "ExceptionGroup: 1 (1 sub-exception)" },
    undefined: { ok: "ExceptionGroup:  (1 sub-exception)" }
  })
)
const splitExpect = all("throw:TypeError", {
  '"1"': { ok: [false, true] }, // a tag nothing has: all in the rest
  function: { ok: [true, false] } // a predicate, truthy for every leaf
})
row(
  "ExceptionGroup.split(condition)",
  ["ExceptionGroup.split"],
  (v) =>
    attempt(() => {
      const [matched, rest] = method(sample(), "split", v) as [unknown, unknown]
      return [matched !== undefined, rest !== undefined]
    }),
  splitExpect
)
row(
  "ExceptionGroup.subgroup(condition)",
  ["ExceptionGroup.subgroup"],
  (v) =>
    attempt(() => {
      const matched = method(sample(), "subgroup", v)
      return [matched !== undefined, matched === undefined]
    }),
  splitExpect
)
one(
  "ExceptionGroup.split(['ValueError', 42])",
  "an array with a non-tag",
  ["ExceptionGroup.split"],
  () => attempt(() => method(sample(), "split", ["ValueError", 42])),
  "throw:TypeError"
)
row(
  "ExceptionGroup.derive(excs)",
  ["ExceptionGroup.derive"],
  (v) => attempt(() => method(sample(), "derive", v) && "derived"),
  all("throw:TypeError")
)
one(
  "ExceptionGroup.toCause()",
  "no argument",
  ["ExceptionGroup.toCause"],
  () => attempt(() => sample().toCause().reasons.length),
  { ok: 1 }
)
one(
  "ExceptionGroup.toString()",
  "an unprintable error and defect",
  ["ExceptionGroup.toString"],
  () =>
    attempt(
      () =>
        asyncio.ExceptionGroup.make("m", [unprintable(), revoked()], [Object.create(null), revoked()])
          .toString()
          .split("\n").length
    ),
  { ok: 10 } // the title, two lines per failure, the closing line
)
row(
  "exceptStar(condition, handler)",
  ["exceptStar"],
  (v) =>
    effectOf(() =>
      (call(asyncio.exceptStar, v, () => Effect.succeed("handled")) as (self: Eff) => Eff)(
        Effect.fail(new asyncio.ValueError({ message: "x" }))
      )
    ),
  all("die:TypeError", { '"1"': "fail:ValueError", function: { ok: "handled" } })
)

// ---- the loop's reports and flags --------------------------------------------------------------

const contextExpect = all("throw:TypeError", {
  "{}": { ok: "Unhandled exception in event loop" },
  Promise: { ok: "Unhandled exception in event loop" }
})
row(
  "formatExceptionContext(context)",
  ["formatExceptionContext"],
  (v) => attempt(() => call(asyncio.formatExceptionContext, v)),
  all("throw:TypeError", {
    "{}": { ok: "Unhandled exception in event loop" },
    Promise: { ok: "Unhandled exception in event loop" },
    effect: "ok"
  })
)
one(
  "formatExceptionContext(context)",
  "unprintable entries",
  ["formatExceptionContext"],
  () =>
    attempt(
      () =>
        asyncio
          .formatExceptionContext({
            message: unprintable() as never,
            exception: revoked(),
            task: Object.create(null),
            other: unprintable()
          })
          .split("\n").length
    ),
  { ok: 4 }
)
row(
  "loop.callExceptionHandler(context)",
  ["EventLoop.callExceptionHandler"],
  (v) =>
    Effect.flatMap(asyncio.getRunningLoop, (loop) =>
      attempt(() => method(loop, "callExceptionHandler", v) ?? "reported")
    ),
  all("throw:TypeError", {
    "{}": { ok: "reported" },
    Promise: { ok: "reported" },
    effect: { ok: "reported" }
  })
)
row(
  "loop.defaultExceptionHandler(context)",
  ["EventLoop.defaultExceptionHandler"],
  (v) =>
    Effect.flatMap(asyncio.getRunningLoop, (loop) =>
      attempt(() => {
        const error = globalThis.console.error
        globalThis.console.error = () => {}
        try {
          return method(loop, "defaultExceptionHandler", v) ?? "reported"
        } finally {
          globalThis.console.error = error
        }
      })
    ),
  all("throw:TypeError", {
    "{}": { ok: "reported" },
    Promise: { ok: "reported" },
    effect: { ok: "reported" }
  })
)
void contextExpect
row(
  "loop.setDebug(enabled)",
  ["EventLoop.setDebug", "EventLoop.getDebug"],
  (v) =>
    Effect.map(asyncio.getRunningLoop, (loop) => {
      method(loop, "setDebug", v)
      const debug = loop.getDebug()
      loop.setDebug(false)
      return debug
    }),
  (_label, v) => ({ ok: Boolean(v) })
)
row(
  "loop.setEagerTaskFactory(eager)",
  ["EventLoop.setEagerTaskFactory", "EventLoop.isEagerTaskFactory"],
  (v) =>
    Effect.map(asyncio.getRunningLoop, (loop) => {
      method(loop, "setEagerTaskFactory", v)
      const eager = loop.isEagerTaskFactory()
      loop.setEagerTaskFactory(false)
      return eager
    }),
  (_label, v) => ({ ok: Boolean(v) })
)

// ---- values of any kind ------------------------------------------------------------------------

row(
  "Queue.shutdown(immediate)",
  ["Queue.shutdown"],
  // CPython reads `immediate` for its truth (JavaScript's truth here: {} is true)
  (v) =>
    Effect.gen(function* () {
      const q = new asyncio.Queue<number>()
      yield* Effect.orDie(q.putNowait(1))
      yield* q.shutdown(v as boolean)
      return q.qsize()
    }),
  (_label, v) => ({ ok: v ? 0 : 1 })
)
row(
  "new Condition(lock)",
  ["Condition"],
  // CPython: Condition(None) makes a new Lock; anything else that is not a lock fails
  (v) => attempt(() => new asyncio.Condition(v as asyncio.Lock).locked()),
  all("throw:TypeError", { null: { ok: false }, undefined: { ok: false } })
)
row(
  "Future.setResult(value)",
  ["Future.setResult"],
  (v) =>
    Effect.gen(function* () {
      const f = yield* asyncio.createFuture<unknown>()
      yield* f.setResult(v)
      return Object.is(yield* f, v)
    }),
  all({ ok: true })
)
row(
  "Future.setException(error)",
  ["Future.setException"],
  // CPython: set_exception(42) is TypeError; an Effect error may be any value
  (v) =>
    Effect.gen(function* () {
      const f = yield* asyncio.createFuture<unknown, unknown>()
      yield* f.setException(v)
      return Object.is(yield* Effect.flip(f), v)
    }),
  all({ ok: true })
)
for (const [guard, test] of [
  ["isFuture", asyncio.isFuture],
  ["isTask", asyncio.isTask],
  ["isHandle", asyncio.isHandle]
] as const) {
  row(`${guard}(value)`, [guard], (v) => attempt(() => test(v)), all({ ok: false }))
  one(`${guard}(value)`, "a revoked Proxy", [guard], () => attempt(() => test(revoked())), { ok: false })
}
row(
  "PriorityQueue.put(item)",
  ["PriorityQueue.put", "PriorityQueue.get"],
  // CPython: heappush of an item that does not compare with the others is TypeError
  (v) =>
    Effect.gen(function* () {
      const q = new asyncio.PriorityQueue<unknown>()
      yield* q.put(1)
      yield* q.put(v)
      return q.qsize()
    }),
  (_label, v) => (typeof v === "number" ? { ok: 2 } : "die:TypeError")
)

// ---- call graphs (3.14's asyncio.graph) ----------------------------------------------------------
// CPython 3.14 (graph.py): capture_call_graph(42) is TypeError ("does not appear to be compatible
// with asyncio.Future"); depth goes to sys._getframe (an int, TypeError otherwise), limit is
// compared with 0 (None is no limit). Here the first argument is the future or the options.

/** Runs `effect` with console.log silenced (printCallGraph without a file prints there). */
const silently = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  Effect.suspend(() => {
    const log = globalThis.console.log
    globalThis.console.log = () => {}
    return Effect.ensuring(
      effect,
      Effect.sync(() => {
        globalThis.console.log = log
      })
    )
  })

/** A graph's root is the case's own task: what a capture of the current task gives. */
const isGraph = (graph: unknown): boolean =>
  typeof graph === "object" && graph !== null && "callStack" in graph && "awaitedBy" in graph

row(
  "captureCallGraph(futureOrOptions)",
  ["captureCallGraph"],
  (v) =>
    Effect.map(
      effectOf(() => call(asyncio.captureCallGraph, v)),
      isGraph
    ),
  // CPython: future=None is the current task
  all("die:TypeError", { undefined: { ok: true }, "{}": { ok: true }, null: { ok: true } })
)
row(
  "captureCallGraph({ depth })",
  ["captureCallGraph"],
  (v) =>
    Effect.map(
      effectOf(() => asyncio.captureCallGraph({ depth: v as number })),
      isGraph
    ),
  all("die:TypeError", { "-1": "die:ValueError", "1e308": { ok: true }, undefined: { ok: true } })
)
row(
  "captureCallGraph({ limit })",
  ["captureCallGraph"],
  (v) =>
    Effect.map(
      effectOf(() => asyncio.captureCallGraph({ limit: v as number })),
      isGraph
    ),
  all("die:TypeError", {
    "-1": { ok: true },
    "1e308": { ok: true },
    null: { ok: true },
    undefined: { ok: true }
  })
)
row(
  "captureCallGraph(future, options)",
  ["captureCallGraph"],
  // a future of the loop first: the second argument must be options
  (v) =>
    Effect.flatMap(asyncio.createFuture<number>(), (f) =>
      Effect.map(
        effectOf(() => call(asyncio.captureCallGraph, f, v)),
        isGraph
      )
    ),
  optionsOnly("die:TypeError", { ok: true })
)
row(
  "formatCallGraph(futureOrOptions)",
  ["formatCallGraph"],
  (v) =>
    Effect.map(
      effectOf(() => call(asyncio.formatCallGraph, v)),
      (text) => typeof text === "string"
    ),
  // CPython: future=None is the current task
  all("die:TypeError", { undefined: { ok: true }, "{}": { ok: true }, null: { ok: true } })
)
row(
  "printCallGraph({ file })",
  ["printCallGraph"],
  (v) =>
    silently(
      Effect.map(
        effectOf(() => asyncio.printCallGraph({ file: v as never })),
        () => "printed"
      )
    ),
  all("die:TypeError", { undefined: { ok: "printed" } })
)
one(
  "printCallGraph({ file })",
  "a writer",
  ["printCallGraph"],
  () =>
    Effect.gen(function* () {
      const written: Array<string> = []
      yield* asyncio.printCallGraph({ file: { write: (text: string) => written.push(text) } })
      return written.length === 1 && written[0]?.startsWith("* Task(name=")
    }),
  { ok: true }
)
one(
  "captureCallGraph(options)",
  "an unknown option",
  ["captureCallGraph"],
  // Python: capture_call_graph(file=...) is TypeError (an unexpected keyword argument)
  () => effectOf(() => asyncio.captureCallGraph({ file: process.stdout } as never)),
  "die:TypeError"
)
row("futureId(future)", ["futureId"], (v) => attempt(() => call(asyncio.futureId, v)), all("throw:TypeError"))
one(
  "futureId(future)",
  "the same future twice",
  ["futureId"],
  () =>
    Effect.map(asyncio.createFuture<number>(), (f) => {
      const id = asyncio.futureId(f)
      return typeof id === "number" && asyncio.futureId(f) === id
    }),
  { ok: true }
)

// ---- a future or task of another loop ----------------------------------------------------------
// Python: ref3.py (a future of `asyncio.new_event_loop()` awaited from a task of the running
// loop): `await f`, gather(f), gather(f, coro), shield(f), wait_for(f, t) raise RuntimeError
// ("... attached to a different loop"); gather(coro, f) and as_completed([f]) ValueError ("The
// future belongs to a different loop ..."); wait([f], timeout) and ensure_future(f) accept it.

interface Other {
  readonly loop: asyncio.EventLoopService
  /** a pending task of the other loop, running */
  readonly task: asyncio.Task<string>
  readonly future: asyncio.Future<string>
}

/** Runs `body` while a second loop runs beside this one (an `EventLoop.layer`). */
const withOther = (body: (other: Other) => Eff): Eff =>
  Effect.scoped(
    Effect.gen(function* () {
      const context = yield* Layer.build(asyncio.EventLoop.layer())
      const loop = Context.get(context, asyncio.EventLoop)
      const task = yield* asyncio
        .createTask(asyncio.sleep(10 * WATCHDOG, "other"))
        .pipe(Effect.provideService(CurrentTask, undefined), Effect.provide(context))
      return yield* body({ loop, task, future: loop.createFuture<string>() })
    })
  )

for (const [api, covers, make, expected] of [
  ["yield* task", ["Task.asEffect"], (o: Other) => o.task, "die:RuntimeError"],
  ["yield* future", ["Future.asEffect"], (o: Other) => o.future.asEffect(), "die:RuntimeError"],
  [
    "a forked fiber: yield* task",
    ["Task.asEffect"],
    (o: Other) => Effect.flatMap(Effect.forkChild(o.task), (f) => Fiber.join(f)),
    "die:RuntimeError"
  ],
  ["gather(task)", ["gather"], (o: Other) => asyncio.gather(o.task), "die:RuntimeError"],
  ["gather(task, effect)", ["gather"], (o: Other) => asyncio.gather(o.task, bodyR), "die:RuntimeError"],
  ["gather(effect, task)", ["gather"], (o: Other) => asyncio.gather(bodyR, o.task), "die:ValueError"],
  ["gather([effect, future])", ["gather"], (o: Other) => asyncio.gather([bodyR, o.future]), "die:ValueError"],
  ["shield(task)", ["shield"], (o: Other) => asyncio.shield(o.task), "die:RuntimeError"],
  ["waitFor(task, 1)", ["waitFor"], (o: Other) => asyncio.waitFor(o.task, 1), "die:RuntimeError"],
  ["waitFor(task, 0)", ["waitFor"], (o: Other) => asyncio.waitFor(o.task, 0), "die:RuntimeError"],
  ["asCompleted([task])", ["asCompleted"], (o: Other) => asyncio.asCompleted([o.task]), "die:ValueError"],
  [
    "wait([task], { timeout })",
    ["wait"],
    (o: Other) => Effect.map(asyncio.wait([o.task], { timeout: 0.1 }), (r) => [r.done.size, r.pending.size]),
    { ok: [0, 1] }
  ],
  [
    "ensureFuture(task)",
    ["ensureFuture"],
    (o: Other) => Effect.map(asyncio.ensureFuture(o.task), (t) => t === o.task),
    { ok: true }
  ],
  [
    "createTask(task)",
    ["createTask"],
    (o: Other) => Effect.flatMap(asyncio.createTask(o.task), (t) => t),
    "die:RuntimeError"
  ],
  ["Task.result() while pending", ["Task.result"], (o: Other) => o.task.result(), "fail:InvalidStateError"],
  ["Task.cancel()", ["Task.cancel"], (o: Other) => o.task.cancel(), { ok: true }],
  [
    "Lock.acquire() bound to the other loop",
    ["Lock.acquire"],
    (o: Other) =>
      Effect.gen(function* () {
        const held = new asyncio.Lock()
        yield* held.acquire()
        // a waiter of the other loop binds the lock to it
        yield* asyncio
          .createTask(held.acquire())
          .pipe(
            Effect.provideService(CurrentTask, undefined),
            Effect.provideService(asyncio.EventLoop, o.loop)
          )
        yield* asyncio.sleep(0.01)
        held.releaseUnsafe()
        return yield* held.acquire()
      }),
    "die:RuntimeError"
  ]
] as const) {
  one(
    `another loop: ${api}`,
    "a task of another loop",
    covers,
    () => withOther(make as (o: Other) => Eff),
    expected
  )
}

// ---- double use and misuse, method by method ---------------------------------------------------

const inGroup = (f: (tg: asyncio.TaskGroup) => Eff): Eff => asyncio.TaskGroup.run(f)
const outsideATask = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.provideService(effect, CurrentTask, undefined)

const misuse: ReadonlyArray<readonly [string, string, ReadonlyArray<string>, () => Eff, Expect]> = [
  // Lock
  ["Lock.release()", "not locked", ["Lock.release"], () => new asyncio.Lock().release(), "fail:RuntimeError"],
  [
    "Lock.releaseUnsafe()",
    "not locked",
    ["Lock.releaseUnsafe"],
    () => Effect.sync(() => new asyncio.Lock().releaseUnsafe()),
    { ok: false }
  ],
  [
    "Lock.acquire()",
    "twice in one task (CPython deadlocks too)",
    ["Lock.acquire"],
    () => {
      const l = new asyncio.Lock()
      return Effect.andThen(l.acquire(), l.acquire())
    },
    "hang"
  ],
  [
    "Lock.acquire()",
    "outside a task",
    ["Lock.acquire"],
    () => {
      const l = new asyncio.Lock()
      return Effect.andThen(l.acquire(), outsideATask(l.acquire()))
    },
    "die:RuntimeError"
  ],
  [
    "Lock.locked(), waitersCount(), toString()",
    "fresh",
    ["Lock", "Lock.locked", "Lock.waitersCount", "Lock.toString"],
    () =>
      Effect.sync(() => {
        const l = new asyncio.Lock()
        return [l.locked(), l.waitersCount(), l.toString()]
      }),
    { ok: [false, 0, "<Lock [unlocked]>"] }
  ],
  // Event
  [
    "Event.set()",
    "twice",
    ["Event", "Event.set", "Event.isSet"],
    () => {
      const e = new asyncio.Event()
      return Effect.andThen(
        Effect.andThen(e.set(), e.set()),
        Effect.sync(() => e.isSet())
      )
    },
    { ok: true }
  ],
  [
    "Event.setUnsafe(), clearUnsafe(), clear()",
    "twice each",
    ["Event.setUnsafe", "Event.clearUnsafe", "Event.clear"],
    () => {
      const e = new asyncio.Event()
      e.setUnsafe()
      e.setUnsafe()
      e.clearUnsafe()
      e.clearUnsafe()
      return Effect.andThen(
        e.clear(),
        Effect.sync(() => e.isSet())
      )
    },
    { ok: false }
  ],
  [
    "Event.wait()",
    "outside a task",
    ["Event.wait"],
    () => outsideATask(new asyncio.Event().wait()),
    "die:RuntimeError"
  ],
  [
    "Event.wait()",
    "never set (CPython waits forever too)",
    ["Event.wait"],
    () => new asyncio.Event().wait(),
    "hang"
  ],
  [
    "Event.waitersCount(), toString()",
    "fresh",
    ["Event.waitersCount", "Event.toString"],
    () =>
      Effect.sync(() => {
        const e = new asyncio.Event()
        return [e.waitersCount(), e.toString()]
      }),
    { ok: [0, "<Event [unset]>"] }
  ],
  // Condition
  [
    "Condition.wait()",
    "without the lock",
    ["Condition.wait"],
    () => new asyncio.Condition().wait(),
    "fail:RuntimeError"
  ],
  [
    "Condition.notify()",
    "without the lock",
    ["Condition.notify"],
    () => new asyncio.Condition().notify(),
    "fail:RuntimeError"
  ],
  [
    "Condition.notifyAll()",
    "without the lock",
    ["Condition.notifyAll"],
    () => new asyncio.Condition().notifyAll(),
    "fail:RuntimeError"
  ],
  [
    "Condition.waitFor(predicate)",
    "without the lock",
    ["Condition.waitFor"],
    () => new asyncio.Condition().waitFor(() => false),
    "fail:RuntimeError"
  ],
  [
    "Condition.waitFor(predicate)",
    "a predicate that throws",
    ["Condition.waitFor"],
    () => {
      const c = new asyncio.Condition()
      return c.use(
        c.waitFor(() => {
          throw OWN
        })
      )
    },
    "own"
  ],
  [
    "Condition.release()",
    "not locked",
    ["Condition.release"],
    () => new asyncio.Condition().release(),
    "fail:RuntimeError"
  ],
  [
    "Condition.acquire(), locked(), notifyUnsafe(-1)",
    "held",
    [
      "Condition.acquire",
      "Condition.locked",
      "Condition.notifyUnsafe",
      "Condition.waitersCount",
      "Condition.toString"
    ],
    () => {
      const c = new asyncio.Condition()
      return Effect.map(c.acquire(), () => {
        c.notifyUnsafe(-1)
        return [c.locked(), c.waitersCount(), c.toString()]
      })
    },
    { ok: [true, 0, "<Condition [locked]>"] }
  ],
  // Semaphore, BoundedSemaphore
  [
    "Semaphore.release()",
    "more than acquired",
    ["Semaphore.release", "Semaphore.releaseUnsafe", "Semaphore.permits"],
    () => {
      const s = new asyncio.Semaphore(1)
      s.releaseUnsafe()
      return Effect.andThen(
        s.release(),
        Effect.sync(() => s.permits())
      )
    },
    { ok: 3 }
  ],
  [
    "BoundedSemaphore.release()",
    "more than acquired",
    ["BoundedSemaphore.release"],
    () => new asyncio.BoundedSemaphore(1).release(),
    "die:ValueError"
  ],
  [
    "BoundedSemaphore.releaseUnsafe()",
    "more than acquired",
    ["BoundedSemaphore.releaseUnsafe"],
    () => attempt(() => new asyncio.BoundedSemaphore(1).releaseUnsafe()),
    "throw:ValueError"
  ],
  [
    "Semaphore.acquire()",
    "value 0 (CPython waits forever too)",
    ["Semaphore.acquire"],
    () => new asyncio.Semaphore(0).acquire(),
    "hang"
  ],
  [
    "Semaphore.waitersCount(), toString()",
    "fresh",
    [
      "Semaphore.waitersCount",
      "Semaphore.toString",
      "BoundedSemaphore.toString",
      "BoundedSemaphore.waitersCount",
      "Semaphore.locked",
      "BoundedSemaphore.locked",
      "BoundedSemaphore.permits",
      "BoundedSemaphore.acquire"
    ],
    () =>
      Effect.sync(() => [
        new asyncio.Semaphore(2).toString(),
        new asyncio.BoundedSemaphore().toString(),
        new asyncio.BoundedSemaphore().waitersCount()
      ]),
    { ok: ["<Semaphore [unlocked, value:2]>", "<BoundedSemaphore [unlocked, value:1]>", 0] }
  ],
  // Barrier
  [
    "Barrier.wait()",
    "after abort()",
    ["Barrier.abort", "Barrier.wait", "Barrier.broken"],
    () => {
      const b = new asyncio.Barrier(2)
      return Effect.andThen(b.abort(), b.wait())
    },
    "fail:BrokenBarrierError"
  ],
  [
    "Barrier.reset()",
    "twice",
    ["Barrier.reset", "Barrier.parties", "Barrier.nWaiting", "Barrier.toString"],
    () => {
      const b = new asyncio.Barrier(2)
      return Effect.map(Effect.andThen(b.reset(), b.reset()), () => [
        b.parties,
        b.nWaiting,
        b.broken,
        b.toString()
      ])
    },
    { ok: [2, 0, false, "<Barrier [filling, waiters:0/2]>"] }
  ],
  [
    "Barrier.wait()",
    "never filled (CPython waits forever too)",
    ["Barrier.wait"],
    () => new asyncio.Barrier(2).wait(),
    "hang"
  ],
  // Queue (and its subclasses, which inherit these methods)
  [
    "Queue.put()",
    "after shutdown()",
    ["Queue.put", "Queue.shutdown"],
    () => {
      const q = new asyncio.Queue<number>()
      return Effect.andThen(q.shutdown(), q.put(1))
    },
    "fail:QueueShutDown"
  ],
  [
    "Queue.get()",
    "after shutdown(true)",
    ["Queue.get"],
    () => {
      const q = new asyncio.Queue<number>()
      return Effect.andThen(q.shutdown(true), q.get())
    },
    "fail:QueueShutDown"
  ],
  [
    "Queue.getNowait()",
    "empty",
    ["Queue.getNowait", "Queue.empty"],
    () => new asyncio.Queue<number>().getNowait(),
    "fail:QueueEmpty"
  ],
  [
    "Queue.putNowait()",
    "full",
    ["Queue.putNowait", "Queue.full"],
    () => {
      const q = new asyncio.Queue<number>(1)
      return Effect.andThen(q.putNowait(1), q.putNowait(2))
    },
    "fail:QueueFull"
  ],
  [
    "Queue.taskDone()",
    "called too often",
    ["Queue.taskDone"],
    () => new asyncio.Queue<number>().taskDone(),
    "die:ValueError"
  ],
  [
    "Queue.join()",
    "nothing put",
    ["Queue.join", "Queue.qsize", "Queue.maxsize", "Queue.toString"],
    () => {
      const q = new asyncio.Queue<number>()
      return Effect.map(q.join(), () => [q.qsize(), q.maxsize, q.toString()])
    },
    { ok: [0, 0, "<Queue maxsize=0>"] }
  ],
  [
    "Queue.join()",
    "an item never done (CPython waits forever too)",
    ["Queue.join"],
    () => {
      const q = new asyncio.Queue<number>()
      return Effect.andThen(q.put(1), q.join())
    },
    "hang"
  ],
  [
    "Queue.get()",
    "outside a task",
    ["Queue.get"],
    () => outsideATask(new asyncio.Queue<number>().get()),
    "die:RuntimeError"
  ],
  [
    "PriorityQueue / LifoQueue methods",
    "each once",
    [
      "PriorityQueue.getNowait",
      "PriorityQueue.taskDone",
      "PriorityQueue.join",
      "PriorityQueue.shutdown",
      "PriorityQueue.empty",
      "PriorityQueue.toString",
      "LifoQueue.put",
      "LifoQueue.get",
      "LifoQueue.getNowait",
      "LifoQueue.taskDone",
      "LifoQueue.join",
      "LifoQueue.shutdown",
      "LifoQueue.empty",
      "LifoQueue.toString"
    ],
    () =>
      Effect.gen(function* () {
        const out: Array<unknown> = []
        for (const q of [new asyncio.PriorityQueue<number>(), new asyncio.LifoQueue<number>()]) {
          yield* q.put(2)
          yield* Effect.orDie(q.putNowait(1))
          out.push(yield* q.get(), yield* Effect.orDie(q.getNowait()), q.empty())
          yield* q.taskDone()
          yield* q.taskDone()
          yield* q.join()
          yield* q.shutdown()
          out.push(q.toString())
        }
        return out
      }),
    { ok: [1, 2, true, "<PriorityQueue maxsize=0 shutdown>", 1, 2, true, "<LifoQueue maxsize=0 shutdown>"] }
  ],
  // Timeout
  [
    "Timeout.run(body)",
    "entered twice",
    ["Timeout.run"],
    () => {
      const cm = new asyncio.Timeout(null)
      return Effect.andThen(cm.run(Effect.void), cm.run(Effect.void))
    },
    "die:RuntimeError"
  ],
  [
    "Timeout.run(body)",
    "outside a task",
    ["Timeout.run"],
    () => outsideATask(new asyncio.Timeout(null).run(Effect.void)),
    "die:RuntimeError"
  ],
  [
    "Timeout.reschedule(when)",
    "before the block",
    ["Timeout.reschedule"],
    () => new asyncio.Timeout(null).reschedule(1),
    "fail:RuntimeError"
  ],
  [
    "Timeout.reschedule(when)",
    "after the block",
    ["Timeout.reschedule", "Timeout.expired", "Timeout.toString"],
    () => {
      const cm = new asyncio.Timeout(null)
      return Effect.andThen(
        cm.run(Effect.void),
        Effect.flatMap(Effect.exit(cm.reschedule(1)), (exit) =>
          Effect.succeed([Exit.isFailure(exit), cm.expired(), cm.toString()])
        )
      )
    },
    { ok: [true, false, "<Timeout [finished]>"] }
  ],
  // TaskGroup
  [
    "TaskGroup.run(body)",
    "entered twice",
    ["TaskGroup.run", "TaskGroup.toString"],
    () => {
      const tg = new asyncio.TaskGroup()
      return Effect.andThen(
        tg.run(() => Effect.void),
        tg.run(() => Effect.void)
      )
    },
    "fail:RuntimeError"
  ],
  [
    "TaskGroup.run(body)",
    "outside a task",
    ["TaskGroup.run"],
    () => outsideATask(asyncio.TaskGroup.run(() => Effect.void)),
    "fail:RuntimeError"
  ],
  [
    "TaskGroup.createTask(effect)",
    "not entered",
    ["TaskGroup.createTask"],
    () => new asyncio.TaskGroup().createTask(Effect.void),
    "fail:RuntimeError"
  ],
  [
    "TaskGroup.createTask(effect)",
    "after the group",
    ["TaskGroup.createTask"],
    () => {
      let saved: asyncio.TaskGroup | undefined
      return Effect.andThen(
        inGroup((tg) =>
          Effect.sync(() => {
            saved = tg
          })
        ),
        Effect.suspend(() => (saved as asyncio.TaskGroup).createTask(Effect.void))
      )
    },
    "fail:RuntimeError"
  ],
  // Futures and tasks
  [
    "Future.setResult()",
    "twice",
    ["Future.setResult"],
    () =>
      Effect.flatMap(asyncio.createFuture<number>(), (f) => Effect.andThen(f.setResult(1), f.setResult(2))),
    "fail:InvalidStateError"
  ],
  [
    "Future.setResultUnsafe()",
    "twice",
    ["Future.setResultUnsafe"],
    () =>
      Effect.flatMap(asyncio.createFuture<number>(), (f) =>
        attempt(() => {
          f.setResultUnsafe(1)
          f.setResultUnsafe(2)
        })
      ),
    "throw:InvalidStateError"
  ],
  [
    "Future.setException()",
    "after cancel()",
    ["Future.setException"],
    () =>
      Effect.flatMap(asyncio.createFuture<number, string>(), (f) =>
        Effect.andThen(f.cancel(), f.setException("x"))
      ),
    "fail:InvalidStateError"
  ],
  [
    "Future.setExceptionUnsafe()",
    "twice",
    ["Future.setExceptionUnsafe"],
    () =>
      Effect.flatMap(asyncio.createFuture<number, string>(), (f) =>
        attempt(() => {
          f.setExceptionUnsafe("x")
          f.setExceptionUnsafe("y")
        })
      ),
    "throw:InvalidStateError"
  ],
  [
    "Future.result(), exception()",
    "pending",
    ["Future.result", "Future.exception"],
    () =>
      Effect.flatMap(asyncio.createFuture<number>(), (f) =>
        Effect.andThen(Effect.flip(f.result()), f.exception())
      ),
    "fail:InvalidStateError"
  ],
  [
    "Future.cancel()",
    "twice",
    ["Future.cancel", "Future.done", "Future.cancelled", "Future.toString", "Future.getLoop"],
    () =>
      Effect.flatMap(asyncio.createFuture<number>(), (f) =>
        Effect.map(Effect.all([f.cancel(), f.cancel()]), (r) => [
          ...r,
          f.done(),
          f.cancelled(),
          f.toString(),
          f.getLoop().isRunning()
        ])
      ),
    { ok: [true, false, true, true, "<Future cancelled>", true] }
  ],
  [
    "Task.setResult()",
    "a task's result is its body's",
    ["Task.setResult"],
    () => Effect.flatMap(asyncio.createTask(Effect.void), (t) => t.setResult(undefined)),
    "die:RuntimeError"
  ],
  [
    "Task.setResultUnsafe()",
    "a task's result is its body's",
    ["Task.setResultUnsafe"],
    () => Effect.flatMap(asyncio.createTask(Effect.void), (t) => attempt(() => t.setResultUnsafe(undefined))),
    "throw:RuntimeError"
  ],
  [
    "Task.setException()",
    "a task's exception is its body's",
    ["Task.setException"],
    () => Effect.flatMap(asyncio.createTask(Effect.void), (t) => t.setException(undefined as never)),
    "die:RuntimeError"
  ],
  [
    "Task.setExceptionUnsafe()",
    "a task's exception is its body's",
    ["Task.setExceptionUnsafe"],
    () =>
      Effect.flatMap(asyncio.createTask(Effect.void), (t) =>
        attempt(() => t.setExceptionUnsafe(undefined as never))
      ),
    "throw:RuntimeError"
  ],
  [
    "Task.cancel()",
    "twice, then after it is done",
    ["Task.cancel", "Task.cancelling", "Task.uncancel", "Task.cancelled", "Task.done"],
    () =>
      Effect.gen(function* () {
        const t = yield* asyncio.createTask(asyncio.sleep(10))
        const first = [
          yield* t.cancel(),
          yield* t.cancel(),
          t.cancelling(),
          t.uncancel(),
          t.uncancel(),
          t.uncancel()
        ]
        yield* t.cancel()
        yield* Effect.exit(t)
        return [...first, yield* t.cancel(), t.cancelled(), t.done()]
      }),
    { ok: [true, true, 2, 1, 0, 0, false, true, true] }
  ],
  [
    "Task.result(), exception()",
    "cancelled",
    ["Task.result", "Task.exception"],
    () =>
      Effect.gen(function* () {
        const t = yield* asyncio.createTask(asyncio.sleep(10))
        yield* t.cancel()
        yield* Effect.exit(t)
        return yield* Effect.andThen(Effect.flip(t.result()), t.exception())
      }),
    "fail:CancelledError"
  ],
  [
    "Task.getCoro(), fiberUnsafe(), sourceTraceback, getLoop(), toString()",
    "running",
    [
      "Task.getCoro",
      "Task.fiberUnsafe",
      "Task.getLoop",
      "Task.toString",
      "Task.addDoneCallback",
      "Task.removeDoneCallback",
      "currentTask",
      "allTasks"
    ],
    () =>
      Effect.gen(function* () {
        const self = yield* asyncio.currentTask
        const tasks = yield* asyncio.allTasks
        const t = yield* asyncio.createTask(Effect.void)
        const cb = () => {}
        t.addDoneCallback(cb)
        return [
          Effect.isEffect(t.getCoro()),
          self?.fiberUnsafe() !== undefined,
          t.getLoop().isRunning(),
          t.toString(),
          t.removeDoneCallback(cb),
          tasks.has(self as asyncio.Task<unknown, unknown>),
          t.sourceTraceback
        ]
      }),
    { ok: [true, true, true, "<Task pending name='Task-3' cb=[cb()]>", 1, true, undefined] }
  ],
  // Handles and the loop
  [
    "Handle.cancel()",
    "twice, after it ran",
    ["Handle.cancel", "Handle.cancelled", "Handle.toString", "isHandle"],
    () =>
      Effect.gen(function* () {
        const loop = yield* asyncio.getRunningLoop
        const handle = loop.callSoon(function ran() {})
        yield* asyncio.sleep(0)
        handle.cancel()
        handle.cancel()
        return [handle.cancelled(), handle.toString(), asyncio.isHandle(handle)]
      }),
    { ok: [true, "<Handle cancelled>", true] }
  ],
  [
    "loop.stop()",
    "from main (CPython: 'Event loop stopped before Future completed.')",
    ["EventLoop.stop"],
    () => Effect.map(asyncio.getRunningLoop, (loop) => loop.stop()),
    "run:RuntimeError"
  ],
  [
    "loop.time(), isRunning(), isClosed()",
    "running",
    ["EventLoop.time", "EventLoop.isRunning", "EventLoop.isClosed"],
    () =>
      Effect.map(asyncio.getRunningLoop, (loop) => [typeof loop.time(), loop.isRunning(), loop.isClosed()]),
    { ok: ["number", true, false] }
  ],
  [
    "loop.createFuture()",
    "after the loop closed",
    ["EventLoop.createFuture"],
    () =>
      Effect.gen(function* () {
        const inner = yield* asyncio.runEffect(asyncio.getRunningLoop)
        return yield* attempt(() => inner.callSoon(() => {}))
      }),
    "throw:RuntimeError"
  ],
  [
    "createTask(effect)",
    "on a closed loop",
    ["createTask"],
    () =>
      Effect.gen(function* () {
        const inner = yield* asyncio.runEffect(asyncio.getRunningLoop)
        return yield* asyncio
          .createTask(Effect.void)
          .pipe(outsideATask, Effect.provideService(asyncio.EventLoop, inner))
      }),
    "die:RuntimeError"
  ],
  // a callback, a handler, a failure of any value never breaks the loop (items 1 and 5)
  ...[
    ["an object whose toString throws", unprintable],
    ["a revoked Proxy", revoked],
    ["Object.create(null)", () => Object.create(null)]
  ].flatMap(([label, make]) => {
    const value = make as () => unknown
    return [
      [
        `a callback that throws`,
        label as string,
        ["EventLoop.callSoon"],
        () =>
          Effect.gen(function* () {
            const loop = yield* asyncio.getRunningLoop
            loop.callSoon(() => {
              throw value()
            })
            loop.setDebug(true)
            loop.callSoon((_arg: unknown) => {
              throw value()
            }, value())
            yield* asyncio.sleep(0)
            return "survived"
          }),
        { ok: "survived" }
      ],
      [
        `a done callback that throws`,
        label as string,
        ["Future.addDoneCallback"],
        () =>
          Effect.gen(function* () {
            const t = yield* asyncio.createTask(asyncio.sleep(0.01))
            t.addDoneCallback(() => {
              throw value()
            })
            const u = yield* asyncio.createTask(asyncio.sleep(0.02, "u"))
            yield* t
            return yield* u
          }),
        { ok: "u" }
      ],
      [
        `an exception handler that throws`,
        label as string,
        ["EventLoop.setExceptionHandler"],
        () =>
          Effect.gen(function* () {
            const loop = yield* asyncio.getRunningLoop
            const before = loop.getExceptionHandler()
            loop.setExceptionHandler(() => {
              throw value()
            })
            const error = globalThis.console.error
            globalThis.console.error = () => {}
            loop.callSoon(() => {
              throw value()
            })
            yield* asyncio.sleep(0)
            globalThis.console.error = error
            loop.setExceptionHandler(before)
            return "survived"
          }),
        { ok: "survived" }
      ],
      [
        `a task that fails with it, never awaited`,
        label as string,
        ["createTask"],
        () =>
          Effect.gen(function* () {
            const t = yield* asyncio.createTask(Effect.fail(value()))
            const d = yield* asyncio.createTask(Effect.die(value()))
            yield* asyncio.sleep(0.01)
            return [
              t.done(),
              d.done(),
              t.toString().startsWith("<Task finished"),
              d.toString().startsWith("<Task finished")
            ]
          }),
        { ok: [true, true, true, true] }
      ],
      [
        `a task that returns it`,
        label as string,
        ["createTask"],
        () =>
          Effect.gen(function* () {
            const t = yield* asyncio.createTask(Effect.sync(value))
            yield* asyncio.sleep(0)
            return t.toString().startsWith("<Task finished")
          }),
        { ok: true }
      ]
    ] as const
  })
]
for (const [api, arg, covers, make, expected] of misuse) one(api, arg, covers, make, expected)

// ---- Promises and signals (issue 13) ---------------------------------------------------------
// a Promise is an awaitable; what takes a function, a loop, a signal or options checks it as the
// rest of the table does

row(
  "fromPromise(evaluate)",
  ["fromPromise"],
  (v) => effectOf(() => call(asyncio.fromPromise, v)),
  // a function that returns no Promise (here an effect) is TypeError where it runs
  all("die:TypeError")
)
one(
  "fromPromise(evaluate)",
  "a function that returns a Promise",
  ["fromPromise"],
  () => effectOf(() => asyncio.fromPromise(() => Promise.resolve(1))),
  { ok: 1 }
)
row(
  "fromPromise(evaluate, options)",
  ["fromPromise"],
  (v) => effectOf(() => call(asyncio.fromPromise, () => Promise.resolve(1), v)),
  optionsOnly("die:TypeError", { ok: 1 })
)
row(
  "fromPromise(evaluate, { catch })",
  ["fromPromise"],
  (v) => effectOf(() => call(asyncio.fromPromise, () => Promise.reject(new Error("no")), { catch: v })),
  all("die:TypeError", { undefined: "fail:value", function: "fail:value" })
)
row(
  "allTasksUnsafe(loop)",
  ["allTasksUnsafe"],
  (v) => attempt(() => call(asyncio.allTasksUnsafe, v)),
  all("throw:TypeError")
)
one(
  "allTasksUnsafe(loop)",
  "the running loop",
  ["allTasksUnsafe"],
  () => Effect.map(asyncio.getRunningLoop, (loop) => asyncio.allTasksUnsafe(loop).size > 0),
  { ok: true }
)
row(
  "currentTaskUnsafe(loop)",
  ["currentTaskUnsafe"],
  (v) => attempt(() => (call(asyncio.currentTaskUnsafe, v) as asyncio.Task<unknown> | undefined)?.done()),
  // no argument: the task of the case, not done
  all("throw:TypeError", { undefined: { ok: false } })
)
one(
  "currentTaskUnsafe(loop)",
  "the running loop",
  ["currentTaskUnsafe"],
  () => Effect.map(asyncio.getRunningLoop, (loop) => asyncio.currentTaskUnsafe(loop) !== undefined),
  { ok: true }
)
row(
  "loop.submit(effect)",
  ["EventLoop.submit"],
  (v) =>
    Effect.flatMap(asyncio.getRunningLoop, (loop) =>
      attempt(() => {
        const submission = method(loop, "submit", v) as { readonly cancel: () => boolean }
        submission.cancel()
        return "submitted"
      })
    ),
  effectOnly("throw:TypeError", { ok: "submitted" })
)
row(
  "loop.submit(effect, options)",
  ["EventLoop.submit"],
  (v) =>
    Effect.flatMap(asyncio.getRunningLoop, (loop) =>
      attempt(() => {
        const submission = method(loop, "submit", Effect.void, v) as { readonly cancel: () => boolean }
        submission.cancel()
        return "submitted"
      })
    ),
  optionsOnly("throw:TypeError", { ok: "submitted" })
)
row(
  "loop.addSignalHandler(sig, fn)",
  ["EventLoop.addSignalHandler", "EventLoop.removeSignalHandler"],
  (v) =>
    Effect.flatMap(asyncio.getRunningLoop, (loop) =>
      attempt(() => {
        try {
          method(loop, "addSignalHandler", v, () => {})
          return "added"
        } finally {
          if (typeof v === "string" || typeof v === "number") loop.removeSignalHandler(v as never)
        }
      })
    ),
  // CPython: an int out of range is ValueError; here a string is a signal's name, an unknown one
  // ValueError too ("no such signal"); NaN and ±Infinity are no signal number: TypeError
  all("throw:TypeError", { "-1": "throw:ValueError", "1e308": "throw:ValueError", '"1"': "throw:ValueError" })
)
row(
  "loop.addSignalHandler(SIGUSR2, fn)",
  ["EventLoop.addSignalHandler", "EventLoop.removeSignalHandler"],
  (v) =>
    Effect.flatMap(asyncio.getRunningLoop, (loop) =>
      attempt(() => {
        try {
          method(loop, "addSignalHandler", "SIGUSR2", v)
          return "added"
        } finally {
          loop.removeSignalHandler("SIGUSR2")
        }
      })
    ),
  functionOnly("throw:TypeError", { ok: "added" })
)
row(
  "loop.removeSignalHandler(sig)",
  ["EventLoop.removeSignalHandler"],
  (v) =>
    Effect.flatMap(asyncio.getRunningLoop, (loop) => attempt(() => method(loop, "removeSignalHandler", v))),
  all("throw:TypeError", { "-1": "throw:ValueError", "1e308": "throw:ValueError", '"1"': "throw:ValueError" })
)
one(
  "TaskGroup.cancel()",
  "before the group is entered: cancelled on entry",
  ["TaskGroup.cancel"],
  () =>
    Effect.gen(function* () {
      const tg = new asyncio.TaskGroup()
      yield* tg.cancel()
      return yield* tg.run(() => asyncio.sleep(10, "body"))
    }),
  { ok: undefined }
)
one(
  "TaskGroup.cancelUnsafe()",
  "twice, then after the group",
  ["TaskGroup.cancelUnsafe"],
  () =>
    Effect.gen(function* () {
      let saved: asyncio.TaskGroup | undefined
      const out = yield* asyncio.TaskGroup.run((tg) =>
        Effect.gen(function* () {
          saved = tg
          tg.createTask(asyncio.sleep(10))
          tg.cancelUnsafe()
          tg.cancelUnsafe()
          return yield* asyncio.sleep(10, "body")
        })
      )
      ;(saved as asyncio.TaskGroup).cancelUnsafe()
      return out
    }),
  { ok: undefined }
)
row(
  "asCompleted(aws) for await",
  ["asCompleted"],
  (v) =>
    effectOf(() =>
      Effect.flatMap(call(asyncio.asCompleted, [v]) as Effect.Effect<AsyncIterable<Eff>>, (it) =>
        Effect.promise(async () => {
          const out: Array<unknown> = []
          for await (const next of it) out.push(next === undefined ? undefined : "a future")
          return out
        })
      )
    ),
  all("die:TypeError", { Promise: { ok: ["a future"] }, effect: { ok: ["a future"] } })
)

// ---- the Promise entry points: run, Runner, runMain (real time; a bad argument answers at once) ---

interface PromiseCase {
  readonly api: string
  readonly arg: string
  readonly run: () => Promise<unknown>
  readonly expect: Expect
}
const promiseCases: Array<PromiseCase> = []
const promiseRow = (
  api: string,
  covers: ReadonlyArray<string>,
  make: (value: unknown) => Promise<unknown>,
  expect: Record<Label, Expect>
): void => {
  cover(covers)
  for (const label of LABELS)
    promiseCases.push({ api, arg: label, run: () => make(valueOf(label)), expect: expect[label] })
}
const quietly = async <A>(f: () => Promise<A>): Promise<A> => {
  const error = globalThis.console.error
  const exitCode = process.exitCode
  globalThis.console.error = () => {}
  try {
    return await f()
  } finally {
    globalThis.console.error = error
    process.exitCode = exitCode
  }
}
const NO_SIGINT = { handleSigint: false } as const

// asyncio.run(42): ValueError('a coroutine was expected, got 42')
promiseRow(
  "run(main)",
  ["run"],
  (v) => call(asyncio.run, v, NO_SIGINT) as Promise<unknown>,
  effectOnly("throw:ValueError", { ok: "effect" })
)
promiseRow(
  "run(main, options)",
  ["run"],
  (v) => call(asyncio.run, Effect.succeed(1), v) as Promise<unknown>,
  optionsOnly("throw:TypeError", { ok: 1 })
)
promiseRow(
  "new Runner(options)",
  ["Runner", "Runner.close"],
  async (v) => {
    const runner = new (asyncio.Runner as new (options: unknown) => asyncio.Runner)(v)
    await runner.close()
    return "made"
  },
  optionsOnly("throw:TypeError", { ok: "made" })
)
promiseRow(
  "Runner.run(main)",
  ["Runner.run"],
  async (v) => {
    const runner = new asyncio.Runner(NO_SIGINT)
    try {
      return await method(runner, "run", v)
    } finally {
      await runner.close()
    }
  },
  effectOnly("throw:ValueError", { ok: "effect" })
)
promiseRow(
  "runMain(main)",
  ["runMain"],
  // runMain prints what run rejects with and sets the exit code, as Python's interpreter does
  (v) =>
    quietly(async () => {
      await call(asyncio.runMain, v, NO_SIGINT)
      return process.exitCode
    }),
  effectOnly({ ok: 1 }, { ok: undefined })
)
promiseRow(
  "runMain(main, options)",
  ["runMain"],
  (v) =>
    quietly(async () => {
      await call(asyncio.runMain, Effect.void, v)
      return process.exitCode
    }),
  optionsOnly({ ok: 1 }, { ok: undefined })
)
promiseRow(
  "TaskGroup.open(loop)",
  ["TaskGroup.open"],
  (v) => call(asyncio.TaskGroup.open, v) as Promise<unknown>,
  all("throw:TypeError")
)
promiseRow(
  "run(main, { tracing })",
  ["run"],
  (v) => call(asyncio.run, Effect.succeed(1), { handleSigint: false, tracing: v }) as Promise<unknown>,
  all("throw:TypeError", { undefined: { ok: 1 } })
)
// `{}` listens on the pid's socket for the run (the real monitor), and removes it at the end
promiseRow(
  "run(main, { monitor })",
  ["run"],
  (v) => call(asyncio.run, Effect.succeed(1), { handleSigint: false, monitor: v }) as Promise<unknown>,
  all("throw:TypeError", { undefined: { ok: 1 }, "{}": { ok: 1 } })
)
promiseRow(
  "run(main, { monitor: { http } })",
  ["run"],
  (v) =>
    call(asyncio.run, Effect.succeed(1), {
      handleSigint: false,
      monitor: { socket: false, http: v }
    }) as Promise<unknown>,
  all("throw:TypeError", {
    NaN: "throw:ValueError",
    "-1": "throw:ValueError",
    Infinity: "throw:ValueError",
    "-Infinity": "throw:ValueError",
    "1e308": "throw:ValueError",
    undefined: { ok: 1 }
  })
)
promiseRow(
  "run(main, { gracefulSignals })",
  ["run"],
  (v) =>
    call(asyncio.run, Effect.succeed(1), { handleSigint: false, gracefulSignals: v }) as Promise<unknown>,
  all("throw:TypeError", { undefined: { ok: 1 } })
)
for (const [api, arg, run, expect] of [
  [
    "Runner.run(main)",
    "after close()",
    async () => {
      const r = new asyncio.Runner(NO_SIGINT)
      await r.run(Effect.void)
      await r.close()
      await r.close()
      return r.run(Effect.void)
    },
    "throw:RuntimeError"
  ],
  [
    "Runner.getLoop()",
    "after close()",
    async () => {
      const r = new asyncio.Runner(NO_SIGINT)
      r.getLoop()
      await r.close()
      return r.getLoop()
    },
    "throw:RuntimeError"
  ],
  [
    "Runner.run(main)",
    "while it runs",
    async () => {
      const r = new asyncio.Runner(NO_SIGINT)
      const first = r.run(asyncio.sleep(0.01))
      try {
        return await r.run(Effect.void)
      } finally {
        await first
        await r.close()
      }
    },
    "throw:RuntimeError"
  ],
  [
    "new Runner(options)",
    "an unknown option",
    async () => new asyncio.Runner({ handle_sigint: false } as never),
    "throw:TypeError"
  ],
  [
    "run(main, options)",
    "an unknown option",
    async () => asyncio.run(Effect.void, { debugg: true } as never),
    "throw:TypeError"
  ],
  [
    "run(main)",
    "a task that fails with an unprintable value, main succeeds",
    () =>
      quietly(() =>
        asyncio.run(
          Effect.gen(function* () {
            yield* asyncio.createTask(Effect.fail(revoked()))
            yield* asyncio.createTask(Effect.die(unprintable()))
            yield* asyncio.createTask(Effect.fail(Object.create(null)))
            yield* asyncio.sleep(0.01)
            return "main ok"
          }),
          NO_SIGINT
        )
      ),
    { ok: "main ok" }
  ]
] as const) {
  cover(api.startsWith("Runner") ? ["Runner.run", "Runner.getLoop"] : [])
  promiseCases.push({ api, arg, run: run as () => Promise<unknown>, expect })
}

/** A Promise case's outcome: its value, what it rejected with (as `throw:`), or a hang. */
const settlePromise = async (run: () => Promise<unknown>): Promise<Observed> => {
  let timer: ReturnType<typeof setTimeout> | undefined
  // these cases are `run` / `Runner` Promises, each with a loop of its own on the real clock:
  // a wall-clock guard only (a passing case never waits for it; it is cleared below)
  const watchdog = new Promise<Hang>((resolve) => {
    timer = setTimeout(() => resolve(HANG), 5000)
  })
  try {
    const value = await Promise.race([run(), watchdog])
    if (value instanceof Hang) return { outcome: "hang" }
    return { outcome: "ok", value }
  } catch (error) {
    if (error === OWN) return { outcome: "own" }
    const tag = asyncioTag(error)
    return tag === undefined
      ? { outcome: crash(error) }
      : { outcome: `throw:${tag}`, message: messageOf(error) }
  } finally {
    clearTimeout(timer)
  }
}

// ---------------------------------------------------------------------------------------------
// The test
// ---------------------------------------------------------------------------------------------

/** Every outcome observed (`die:TypeError`, `ok`, `crash(...)`...), for the counts at the end. */
const observedOutcomes: Array<{ readonly api: string; readonly arg: string; readonly outcome: string }> = []
let currentCase = { api: "", arg: "" }
const count = (outcome: string): void => {
  observedOutcomes.push({ ...currentCase, outcome })
}

/** The outcome classes of the issue's note, with the asyncio class of each defect and error. */
const summarize = () => {
  const byClass = (prefixes: ReadonlyArray<string>) => {
    const counts = new Map<string, number>()
    for (const { outcome } of observedOutcomes) {
      const [kind, tag] = outcome.split(":")
      if (kind === undefined || !prefixes.includes(kind)) continue
      // fail:value is a typed failure with the program's own error (gather's child failed)
      const key =
        tag === "value"
          ? "the program's own error"
          : (tag ?? (kind === "run rejected" ? "RuntimeError" : kind))
      counts.set(key, (counts.get(key) ?? 0) + 1)
    }
    return Object.fromEntries([...counts.entries()].sort(([, a], [, b]) => b - a))
  }
  const total = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0)
  const typed = byClass(["fail"])
  // die: the effect dies; throw: a constructor or synchronous method; group: a TaskGroup body;
  // run rejected: run() itself (loop.stop() from main, as CPython's run_until_complete)
  const defects = byClass(["die", "throw", "group", "run rejected"])
  return {
    cases: observedOutcomes.length,
    accepted: observedOutcomes.filter((o) => o.outcome === "ok").length,
    typedErrors: { total: total(typed), ...typed },
    defects: { total: total(defects), ...defects },
    ownError: observedOutcomes.filter((o) => o.outcome === "own").length,
    hangs: observedOutcomes.filter((o) => o.outcome === "hang").map((o) => `${o.api} [${o.arg}]`),
    genericCrashes: observedOutcomes
      .filter((o) => o.outcome.startsWith("crash"))
      .map((o) => `${o.api} [${o.arg}]`)
  }
}

/**
 * The only hangs: where CPython's program never ends either (a timer or a sleep of `Infinity` or
 * 1e308 seconds, a Barrier that never fills, a wait nobody ends).
 */
const HANGS_AS_IN_CPYTHON = [
  "sleep(delay) [Infinity]",
  "sleep(delay) [1e308]",
  "loop.callLater(delay, f) [Infinity]",
  "loop.callLater(delay, f) [1e308]",
  "loop.callAt(when, f) [Infinity]",
  "loop.callAt(when, f) [1e308]",
  "new Barrier(parties) [NaN]",
  "new Barrier(parties) [Infinity]",
  "new Barrier(parties) [1e308]",
  "Lock.acquire() [twice in one task (CPython deadlocks too)]",
  "Event.wait() [never set (CPython waits forever too)]",
  "Semaphore.acquire() [value 0 (CPython waits forever too)]",
  "Barrier.wait() [never filled (CPython waits forever too)]",
  "Queue.join() [an item never done (CPython waits forever too)]"
]

const expectedText = (expect: Expect): string => (typeof expect === "string" ? expect : "ok")

const isDeepEqual = (a: unknown, b: unknown): boolean => {
  try {
    assert.deepStrictEqual(a, b)
    return true
  } catch {
    return false
  }
}

/** `BAD_INPUT_REPORT=file`: one JSON line per case (expected and observed), for the counts of a run. */
const report = (
  c: { readonly api: string; readonly arg: string; readonly expect: Expect },
  observed: string,
  ok: boolean,
  message?: string
) => {
  const file = process.env.BAD_INPUT_REPORT
  if (file === undefined) return
  appendFileSync(
    file,
    `${JSON.stringify({ api: c.api, arg: c.arg, expected: expectedText(c.expect), observed, ok, message })}\n`
  )
}

const check = (observed: Observed, expect: Expect): void => {
  count(observed.outcome)
  assert.strictEqual(observed.outcome, expectedText(expect))
  if (typeof expect !== "string") assert.deepStrictEqual(observed.value, expect.ok)
  // a bad argument's error says what is wrong
  if (observed.message !== undefined) assert.notStrictEqual(observed.message, "", "a defect with no message")
}

describe("bad input: every export and method, every bad value", () => {
  for (const c of cases) {
    it.effect(`${c.api} [${c.arg}] → ${expectedText(c.expect)}`, () =>
      Effect.gen(function* () {
        currentCase = c
        const { observed, runOk, alive, reportsOk } = yield* runCase(c.run)
        if (expectedText(c.expect).startsWith("run:")) {
          count(observed.outcome)
          assert.match(observed.outcome, /^run rejected/)
          return
        }
        const problems = [
          runOk ? "" : "run rejected",
          alive ? "" : "loop broken",
          reportsOk ? "" : "report threw"
        ]
        let after = ""
        try {
          c.after?.()
        } catch {
          after = "leaked"
        }
        const matches =
          observed.outcome === expectedText(c.expect) &&
          (typeof c.expect === "string" || isDeepEqual(observed.value, c.expect.ok))
        report(
          c,
          [observed.outcome, ...problems, after].filter((x) => x !== "").join(" "),
          matches && problems.join("") === "" && after === "",
          observed.message
        )
        assert.isTrue(runOk, "run rejected although main succeeded")
        check(observed, c.expect)
        assert.isTrue(alive, "the loop no longer runs a timer and a task")
        assert.isTrue(reportsOk, "a report could not be formatted")
        c.after?.()
      })
    )
  }
  for (const c of promiseCases) {
    it(`${c.api} [${c.arg}] → ${expectedText(c.expect)}`, async () => {
      currentCase = c
      const observed = await settlePromise(c.run)
      report(
        c,
        observed.outcome,
        observed.outcome === expectedText(c.expect) &&
          (typeof c.expect === "string" || isDeepEqual(observed.value, c.expect.ok)),
        observed.message
      )
      check(observed, c.expect)
    })
  }
})

describe("bad input: coverage", () => {
  it("every export of src/index.ts has a case", () => {
    const missing = Object.keys(asyncio).filter((name) => !covered.has(name))
    // a new export fails here until the table has its rows (so coverage stays complete)
    assert.deepStrictEqual(missing, [], `exports with no bad-input case: ${missing.join(", ")}`)
  })

  /** Methods that are implementation details (no case: not public). */
  const internal: Record<string, ReadonlyArray<string>> = {
    // describeWaiter / describeWait / describeJoin: what the deadlock report says a task waits on
    Lock: ["wakeUpFirst", "describeWaiter"],
    Condition: ["reacquire", "describeWaiter"],
    Semaphore: ["wakeUpNext", "describeWaiter"],
    Barrier: ["holdingCondition", "waitUntil", "block", "release", "waitReleased", "exit", "describeWait"],
    Queue: [
      "buffer",
      "init",
      "putNowaitOrShutDown",
      "putUnsafe",
      "takeUnsafe",
      "wakeupNext",
      "describeWaiter",
      "describeJoin"
    ],
    PriorityQueue: ["init"],
    LifoQueue: ["init"],
    Timeout: ["runInCleanup", "exit", "rescheduleUnsafe", "enter"],
    TaskGroup: ["exit", "isAborting", "abort", "describeWait"],
    Runner: [
      "lazyInit",
      "startTools",
      "installSigint",
      "handlesSigint",
      "installShutdownSigint",
      "handledSignals"
    ],
    ExceptionGroup: [],
    ThreadPoolExecutor: [],
    ProcessPoolExecutor: []
  }
  it("every public method of every exported class has a case", () => {
    const missing: Array<string> = []
    for (const [name, privates] of Object.entries(internal)) {
      const C = (asyncio as unknown as Record<string, { prototype: object }>)[name] as { prototype: object }
      // a subclass's inherited methods are its own too (up to the classes of Effect and JavaScript)
      const names = new Set<string>()
      for (
        let proto: object | null = C.prototype;
        proto !== null && (proto as { constructor: { name: string } }).constructor.name in internal;
        proto = Object.getPrototypeOf(proto)
      ) {
        for (const key of Object.getOwnPropertyNames(proto)) names.add(key)
      }
      const inherited = (key: string) => Object.values(internal).some((list) => list.includes(key))
      for (const key of names) {
        if (key === "constructor" || privates.includes(key) || inherited(key)) continue
        if (
          !covered.has(`${name}.${key}`) &&
          !covered.has(`${Object.getPrototypeOf(C.prototype)?.constructor?.name}.${key}`)
        )
          missing.push(`${name}.${key}`)
      }
    }
    // the interfaces (Future, Task, Handle, TimerHandle, EventLoopService): their methods exist
    for (const key of [
      "asEffect",
      "done",
      "cancelled",
      "result",
      "exception",
      "cancel",
      "cancelUnsafe",
      "setResult",
      "setResultUnsafe",
      "setException",
      "setExceptionUnsafe",
      "addDoneCallback",
      "removeDoneCallback",
      "getLoop",
      "toString"
    ]) {
      for (const owner of ["Future", "Task"])
        if (!covered.has(`${owner}.${key}`) && !(owner === "Task" && covered.has(`Future.${key}`)))
          missing.push(`${owner}.${key}`)
    }
    for (const key of ["cancelling", "uncancel", "getName", "setName", "getCoro", "fiberUnsafe"])
      if (!covered.has(`Task.${key}`)) missing.push(`Task.${key}`)
    for (const key of ["cancel", "cancelled", "toString"])
      if (!covered.has(`Handle.${key}`)) missing.push(`Handle.${key}`)
    if (!covered.has("TimerHandle.when")) missing.push("TimerHandle.when")
    for (const key of [
      "time",
      "callSoon",
      "callLater",
      "callAt",
      "createFuture",
      "stop",
      "isRunning",
      "isClosed",
      "getDebug",
      "setDebug",
      "isEagerTaskFactory",
      "setEagerTaskFactory",
      "getExceptionHandler",
      "setExceptionHandler",
      "defaultExceptionHandler",
      "callExceptionHandler",
      "submit",
      "addSignalHandler",
      "removeSignalHandler",
      "runInExecutor",
      "setDefaultExecutor",
      "shutdownDefaultExecutor"
    ]) {
      if (!covered.has(`EventLoop.${key}`)) missing.push(`EventLoop.${key}`)
    }
    assert.deepStrictEqual(missing, [], `public methods with no bad-input case: ${missing.join(", ")}`)
  })
})

describe("bad input: counts", () => {
  it("no generic crash; hangs only where CPython hangs too", () => {
    const summary = summarize()
    assert.deepStrictEqual(summary.genericCrashes, [])
    // all cases ran (a filtered run, `-t`, checks the cases it ran)
    if (summary.cases === cases.length + promiseCases.length) {
      assert.deepStrictEqual(summary.hangs, HANGS_AS_IN_CPYTHON)
    } else {
      for (const hang of summary.hangs) assert.include(HANGS_AS_IN_CPYTHON, hang)
    }
  })
})

afterAll(() => {
  const summary = summarize()
  // BAD_INPUT_COUNTS=file: the counts as JSON (the issue's note quotes them)
  const file = process.env.BAD_INPUT_COUNTS
  if (file !== undefined) writeFileSync(file, `${JSON.stringify(summary, null, 2)}\n`)
  const classes = (counts: Record<string, number>) =>
    Object.entries(counts)
      .filter(([key]) => key !== "total")
      .map(([key, n]) => `${key} ${n}`)
      .join(", ")
  globalThis.console.log(
    [
      `bad input: ${summary.cases} cases`,
      `accepted (CPython's result) ${summary.accepted}`,
      `typed errors ${summary.typedErrors.total} (${classes(summary.typedErrors)})`,
      `asyncio-class defects ${summary.defects.total} (${classes(summary.defects)})`,
      `the value's own error ${summary.ownError}`,
      `hangs ${summary.hangs.length} (as CPython)`,
      `generic crashes ${summary.genericCrashes.length}`
    ].join("; ")
  )
})
