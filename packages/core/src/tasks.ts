/**
 * Tasks: asyncio's `Task` as a handle over a running fiber (`tasks.py`).
 *
 * A coroutine is any `Effect`: lazy, nothing runs until it is awaited (`yield*`) or wrapped in a
 * task. A `Task` is eager: `createTask` starts the effect at once in a root fiber that the loop
 * keeps, so the task outlives the fiber that created it and is cancelled when the loop closes.
 *
 * `yield* task` awaits it: its result, its typed error, or `CancelledError` if it was cancelled.
 * As in asyncio, cancelling the fiber that awaits a task cancels the awaited task too (use
 * `shield` to prevent that).
 *
 * @since 0.1.0
 */
import { Context, Effect, type Fiber } from "effect"
import { EventLoop, type EventLoopService } from "./events.js"
import { RuntimeError, TypeError } from "./exceptions.js"
import { CurrentTask, Task } from "./internal/task.js"
import { describe, type Seconds, toMillis } from "./internal/time.js"

export { CurrentTask, Task }

/**
 * Options of `createTask` (asyncio's keyword arguments).
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import * as asyncio from "@effect-asyncio/core"
 *
 * const options: asyncio.CreateTaskOptions = { name: "worker", eagerStart: true }
 * const program = Effect.gen(function* () {
 *   const task = yield* asyncio.createTask(Effect.succeed(42), options)
 *   return [task.getName(), task.done()] // eager: done before createTask returned
 * })
 * asyncio.run(program).then(console.log) // ["worker", true]
 * ```
 * @since 0.1.0
 */
export interface CreateTaskOptions {
  /** The task's name; `Task-N` by default. */
  readonly name?: string | undefined
  /**
   * Python 3.12's `eager_start`: run the body synchronously, inside `createTask`, until its
   * first suspension. A body that finishes without suspending never gets scheduled at all.
   * Defaults to the loop's task factory (`eagerTaskFactory`).
   */
  readonly eagerStart?: boolean | undefined
}

/**
 * `asyncio.create_task(coro, name=...)`: starts running `effect` as a task in the loop's root
 * scope and returns its handle at once. The task does not stop when the creating fiber ends;
 * it is cancelled when the loop closes. The task runs with the services of the fiber that
 * created it (as a task copies the current `contextvars`).
 *
 * With `eagerStart` (or the loop's `eagerTaskFactory`), the body runs synchronously inside
 * `createTask` until its first suspension. Without it, the task starts at the next turn of the
 * scheduler, and cancelling it before that ends it without running its body.
 *
 * A non-effect argument is a bug: the effect dies with asyncio's `TypeError`.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import * as asyncio from "@effect-asyncio/core"
 *
 * const program = Effect.gen(function* () {
 *   const a = yield* asyncio.createTask(asyncio.sleep(1, "a"))
 *   const b = yield* asyncio.createTask(asyncio.sleep(1, "b"))
 *   return [yield* a, yield* b] // both ran concurrently: 1 second in all
 * })
 * asyncio.run(program).then(console.log) // ["a", "b"]
 * ```
 * @since 0.1.0
 */
export const createTask = <A, E, R>(
  effect: Effect.Effect<A, E, R>,
  options?: CreateTaskOptions
): Effect.Effect<Task<A, E>, never, R | EventLoop> =>
  Effect.withFiber((parent) => {
    const loop = Context.get(parent.context as Context.Context<EventLoop>, EventLoop)
    return (
      refuseTask(loop, effect) ??
      Effect.succeed(forkTask(parent, loop, effect as Effect.Effect<A, E>, options))
    )
  })

/**
 * @internal why `createTask` refuses `effect` on `loop`: the defect to die with (`TypeError` for
 * a non-effect, `RuntimeError` on a closed loop), or `undefined` if it may go ahead.
 */
export const refuseTask = (loop: EventLoopService, effect: unknown): Effect.Effect<never> | undefined => {
  if (!Effect.isEffect(effect)) {
    return Effect.die(new TypeError({ message: `a coroutine was expected, got ${describe(effect)}` }))
  }
  if (!loop.acceptsTasks()) return Effect.die(new RuntimeError({ message: "Event loop is closed" }))
  return undefined
}

/**
 * One `callSoon` function per loop, shared by all its tasks: a closure made per task stays
 * alive as long as the task (about 100 B each; measured with packages/core/bench/heap.ts).
 */
const callSoonByLoop = new WeakMap<EventLoopService, (callback: () => void) => void>()
const callSoonOf = (loop: EventLoopService): ((callback: () => void) => void) => {
  let callSoon = callSoonByLoop.get(loop)
  if (callSoon === undefined) {
    callSoon = (callback) => loop.callSoon(callback)
    callSoonByLoop.set(loop, callSoon)
  }
  return callSoon
}

/** The task of the fiber running it: set in the fiber's context when the fiber is made. */
const ownTask = (fiber: Fiber.Fiber<unknown, unknown>): Task<unknown, unknown> =>
  // createTask makes every task fiber with CurrentTask in its context
  fiber.getRef(CurrentTask) as Task<unknown, unknown>

/** asyncio's `Task.__step`, the first time: runs the body, or not if it was cancelled before. */
const startOwnTask: Effect.Effect<unknown, unknown> = Effect.withFiber((fiber) => ownTask(fiber).start(fiber))

/** asyncio: cancel() never completes a task on the spot, the loop does at a later step. */
const ownLoopTurn: Effect.Effect<void> = Effect.withFiber((fiber) => ownTask(fiber).getLoop().turn)
const turnOnInterrupt = <A, E>(body: Effect.Effect<A, E>): Effect.Effect<A, E> =>
  Effect.onInterrupt(body, () => ownLoopTurn)

/** What a task's fiber runs, eager (`eager_start`) or queued behind the loop's ready callbacks. */
const eagerBody = turnOnInterrupt(startOwnTask)
const lazyBody = turnOnInterrupt(
  // asyncio's create_task: `call_soon(self.__step)`, so the first step takes its turn in the
  // loop's queue with the callbacks and `sleep(0)`s scheduled before it
  Effect.andThen(ownLoopTurn, startOwnTask)
)

/**
 * @internal starts the task's fiber (after `refuseTask`). The bodies above are shared by every task (nothing is allocated per
 * task but the Task and its fiber), and the fiber is a root fiber: it outlives the fiber that
 * created it, as an asyncio task does, and the loop, which holds every pending task, cancels
 * and awaits it at shutdown. CurrentTask is in the fiber's context from the start, so fibers it
 * forks (a `timeout()` body) see the same task.
 */
export const forkTask = <A, E>(
  parent: Fiber.Fiber<unknown, unknown>,
  loop: EventLoopService,
  effect: Effect.Effect<A, E, never>,
  options: CreateTaskOptions | undefined
): Task<A, E> => {
  const name = options?.name === undefined ? loop.nextTaskNumber() : String(options.name)
  const task = new Task<A, E>(effect, loop, name, callSoonOf(loop))
  loop.tasks.add(task as Task<unknown, unknown>)
  const eager = options?.eagerStart ?? loop.isEagerTaskFactory()
  // the loop joins the context too: a TaskGroup's `createTask` may be called where it is absent
  const context = Context.add(
    Context.add(parent.context, EventLoop, loop),
    CurrentTask,
    task as Task<unknown, unknown>
  )
  const fiber = Effect.runForkWith(context)(eager ? eagerBody : lazyBody)
  task.attach(fiber as Fiber.Fiber<A, E>)
  return task
}

/**
 * `asyncio.ensure_future(x)`: a task is returned as it is (the same object); an effect is wrapped
 * in a new task. Anything else is a bug: the effect dies with asyncio's `TypeError`.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import * as asyncio from "@effect-asyncio/core"
 *
 * const program = Effect.gen(function* () {
 *   const task = yield* asyncio.createTask(asyncio.sleep(1, 42))
 *   const same = yield* asyncio.ensureFuture(task)
 *   console.log("Same object:", same === task) // Same object: true
 *   return yield* same
 * })
 * asyncio.run(program).then(console.log) // 42
 * ```
 * @since 0.1.0
 */
export const ensureFuture: {
  <A, E>(task: Task<A, E>): Effect.Effect<Task<A, E>, never, EventLoop>
  <A, E, R>(
    effect: Effect.Effect<A, E, R>,
    options?: CreateTaskOptions
  ): Effect.Effect<Task<A, E>, never, R | EventLoop>
} = <A, E, R>(
  value: Task<A, E> | Effect.Effect<A, E, R>,
  options?: CreateTaskOptions
): Effect.Effect<Task<A, E>, never, R | EventLoop> => {
  if (value instanceof Task) return Effect.succeed(value)
  if (Effect.isEffect(value)) return createTask(value, options)
  return Effect.die(
    new TypeError({
      message: `An asyncio.Future, a coroutine or an awaitable is required, got ${describe(value)}`
    })
  )
}

/**
 * `asyncio.sleep(seconds, result)`: suspends the caller for `seconds` (a number of seconds, or
 * a `Duration`) and then returns `result`. `sleep(0)`, and any delay <= 0 as in asyncio, yields
 * once to the other fibers. Time is Effect's `Clock`: virtual under `TestClock`. A NaN delay dies
 * with asyncio's `ValueError`.
 *
 * @example
 * ```ts
 * import * as asyncio from "@effect-asyncio/core"
 *
 * // half a second later:
 * asyncio.run(asyncio.sleep(0.5, "awake")).then(console.log) // awake
 * ```
 * @since 0.1.0
 */
export const sleep: {
  (seconds: Seconds): Effect.Effect<void>
  <A>(seconds: Seconds, result: A): Effect.Effect<A>
} = <A>(seconds: Seconds, result?: A): Effect.Effect<A | undefined> => {
  // a plain number needs no effectful validation: no flatMap and closure per call, which a
  // task blocked on `sleep` keeps alive (measured with packages/core/bench/heap.ts)
  if (typeof seconds === "number" && !Number.isNaN(seconds)) return sleepMillis(seconds * 1000, result)
  return Effect.flatMap(toMillis(seconds, "delay"), (millis) => sleepMillis(millis, result))
}

const sleepMillis = <A>(millis: number, result: A): Effect.Effect<A> => {
  const wait = millis <= 0 ? sleep0 : millis === Number.POSITIVE_INFINITY ? Effect.never : sleepFor(millis)
  // `wait` succeeds with `undefined` at run time (`void` is only its declared type)
  return result === undefined ? (wait as Effect.Effect<A>) : Effect.as(wait, result)
}

/** In a task, a timer of the loop (asyncio's `call_later`); elsewhere Effect's own sleep. */
const sleepFor = (millis: number): Effect.Effect<void> =>
  Effect.flatMap(CurrentTask, (task) => {
    const loop = task?.getLoop()
    if (loop === undefined || loop.isClosed()) return Effect.sleep(millis)
    return Effect.callback<void>((resume) => {
      const cancel = loop.callAt(loop.time() + millis / 1000, () => resume(Effect.void))
      return Effect.sync(cancel)
    })
  })

/** asyncio's `__sleep0`: one turn of the loop, queued behind what was scheduled before it. */
const sleep0: Effect.Effect<void> = Effect.flatMap(CurrentTask, (task) =>
  task === undefined ? Effect.yieldNow : task.getLoop().turn
)

/**
 * `asyncio.current_task()`: the task running the caller, `undefined` outside of any task.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import * as asyncio from "@effect-asyncio/core"
 *
 * asyncio.run(Effect.map(asyncio.currentTask, (task) => task?.getName())).then(console.log) // Task-1
 * ```
 * @since 0.1.0
 */
export const currentTask: Effect.Effect<Task<unknown, unknown> | undefined, never, EventLoop> =
  Effect.andThen(EventLoop, CurrentTask)

/**
 * `asyncio.all_tasks()`: the loop's tasks that are not done yet, in creation order.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import * as asyncio from "@effect-asyncio/core"
 *
 * const program = Effect.gen(function* () {
 *   yield* asyncio.createTask(asyncio.sleep(1), { name: "background" })
 *   const tasks = yield* asyncio.allTasks
 *   return [...tasks].map((task) => task.getName())
 * })
 * asyncio.run(program).then(console.log) // ["Task-1", "background"]
 * ```
 * @since 0.1.0
 */
export const allTasks: Effect.Effect<ReadonlySet<Task<unknown, unknown>>, never, EventLoop> = Effect.map(
  EventLoop,
  (loop) => new Set([...loop.tasks].filter((task) => !task.done()))
)
