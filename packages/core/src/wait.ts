/**
 * `asyncio.wait`: waiting on a set of tasks without consuming their results.
 *
 * @since 0.1.0
 */
import { Context, Effect } from "effect"
import { EventLoop, loopImpl } from "./events.js"
import { TypeError, ValueError } from "./exceptions.js"
import type { Future } from "./futures.js"
import { hasException, notAwaitable } from "./internal/awaiting.js"
import type { EventLoopImpl } from "./internal/eventLoop.js"
import { awaitFuture, FutureImpl, LabelledFuture } from "./internal/future.js"
import { describe, type Seconds, toMillis } from "./internal/time.js"

/**
 * `asyncio.FIRST_COMPLETED`: `wait` returns when any task is done.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import * as asyncio from "@effect-asyncio/core"
 *
 * const program = Effect.gen(function* () {
 *   const tasks = [
 *     yield* asyncio.createTask(asyncio.sleep(1)),
 *     yield* asyncio.createTask(Effect.andThen(asyncio.sleep(2), Effect.fail("boom"))),
 *     yield* asyncio.createTask(asyncio.sleep(3))
 *   ]
 *   const { done } = yield* asyncio.wait(tasks, { returnWhen: asyncio.FIRST_COMPLETED })
 *   return done.size // after 1 second
 * })
 * asyncio.run(program).then(console.log) // 1
 * ```
 *
 * @category Combinators
 * @since 0.1.0
 */
export const FIRST_COMPLETED = "FIRST_COMPLETED"

/**
 * `asyncio.FIRST_EXCEPTION`: `wait` returns when any task fails (an error or a defect, not a
 * cancellation), or when all are done.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import * as asyncio from "@effect-asyncio/core"
 *
 * const program = Effect.gen(function* () {
 *   const tasks = [
 *     yield* asyncio.createTask(asyncio.sleep(1)),
 *     yield* asyncio.createTask(Effect.andThen(asyncio.sleep(2), Effect.fail("boom"))),
 *     yield* asyncio.createTask(asyncio.sleep(3))
 *   ]
 *   const { done } = yield* asyncio.wait(tasks, { returnWhen: asyncio.FIRST_EXCEPTION })
 *   return done.size // after 2 seconds
 * })
 * asyncio.run(program).then(console.log) // 2
 * ```
 *
 * @category Combinators
 * @since 0.1.0
 */
export const FIRST_EXCEPTION = "FIRST_EXCEPTION"

/**
 * `asyncio.ALL_COMPLETED`: `wait` returns when every task is done (the default).
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import * as asyncio from "@effect-asyncio/core"
 *
 * const program = Effect.gen(function* () {
 *   const tasks = [
 *     yield* asyncio.createTask(asyncio.sleep(1)),
 *     yield* asyncio.createTask(Effect.andThen(asyncio.sleep(2), Effect.fail("boom"))),
 *     yield* asyncio.createTask(asyncio.sleep(3))
 *   ]
 *   const { done } = yield* asyncio.wait(tasks, { returnWhen: asyncio.ALL_COMPLETED })
 *   return done.size // after 3 seconds; "boom" is reported at exit: nobody retrieved it
 * })
 * asyncio.run(program).then(console.log) // 3
 * ```
 *
 * @category Combinators
 * @since 0.1.0
 */
export const ALL_COMPLETED = "ALL_COMPLETED"

/**
 * When `wait` returns.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import * as asyncio from "@effect-asyncio/core"
 *
 * const returnWhen: asyncio.ReturnWhen = asyncio.FIRST_COMPLETED
 * const program = Effect.gen(function* () {
 *   const tasks = [yield* asyncio.createTask(asyncio.sleep(0.1)), yield* asyncio.createTask(asyncio.sleep(5))]
 *   const { done, pending } = yield* asyncio.wait(tasks, { returnWhen })
 *   return [done.size, pending.size]
 * })
 * asyncio.run(program).then(console.log) // [1, 1]
 * ```
 * @category Combinators
 * @since 0.1.0
 */
export type ReturnWhen = typeof FIRST_COMPLETED | typeof FIRST_EXCEPTION | typeof ALL_COMPLETED

/**
 * Options of `wait` (asyncio's keyword arguments).
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import * as asyncio from "@effect-asyncio/core"
 *
 * const options: asyncio.WaitOptions = { timeout: 0.1 }
 * const program = Effect.gen(function* () {
 *   const task = yield* asyncio.createTask(asyncio.sleep(5))
 *   const { pending } = yield* asyncio.wait([task], options)
 *   return pending.has(task) // the timeout passed; the task keeps running
 * })
 * asyncio.run(program).then(console.log) // true
 * ```
 * @category Combinators
 * @since 0.1.0
 */
export interface WaitOptions {
  /** Return after this many seconds even if the condition is not met; `null` waits forever. */
  readonly timeout?: Seconds | null | undefined
  /** `FIRST_COMPLETED`, `FIRST_EXCEPTION` or `ALL_COMPLETED` (default). */
  readonly returnWhen?: ReturnWhen | undefined
}

/**
 * What `wait` returns: asyncio's `(done, pending)` pair of sets, holding the tasks passed in.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import * as asyncio from "@effect-asyncio/core"
 *
 * const program = Effect.gen(function* () {
 *   const task = yield* asyncio.createTask(asyncio.sleep(0.1, "x"))
 *   const result: asyncio.WaitResult<asyncio.Task<string>> = yield* asyncio.wait([task])
 *   return [result.done.size, result.pending.size]
 * })
 * asyncio.run(program).then(console.log) // [1, 0]
 * ```
 * @category Combinators
 * @since 0.1.0
 */
export interface WaitResult<T> {
  readonly done: Set<T>
  readonly pending: Set<T>
}

/** Any task, whatever its types: `wait` only looks at their state. */
type AnyTask = Future<unknown, unknown>

/**
 * `asyncio.wait(aws, timeout=None, return_when=ALL_COMPLETED)`: waits until the tasks meet
 * `returnWhen`, or until `timeout` seconds pass, and returns `{ done, pending }`. It neither
 * cancels anything (on timeout the pending tasks keep running) nor reads the results: await
 * the tasks in `done` for that. A task passed twice appears once.
 *
 * As in 3.11+, only tasks are accepted: a bare effect dies with `TypeError` ("Passing
 * coroutines is forbidden"), an empty input or an unknown `returnWhen` with `ValueError`.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import * as asyncio from "@effect-asyncio/core"
 *
 * const program = Effect.gen(function* () {
 *   const fast = yield* asyncio.createTask(asyncio.sleep(1, "fast"))
 *   const slow = yield* asyncio.createTask(asyncio.sleep(5, "slow"))
 *   const { done, pending } = yield* asyncio.wait([fast, slow], { returnWhen: asyncio.FIRST_COMPLETED })
 *   return [done.has(fast), pending.has(slow)] // after 1 second
 * })
 * asyncio.run(program).then(console.log) // [true, true]
 * ```
 * @category Combinators
 * @since 0.1.0
 */
export const wait = <T extends AnyTask>(
  tasks: Iterable<T>,
  options: WaitOptions = {}
): Effect.Effect<WaitResult<T>, never, EventLoop> =>
  Effect.withFiber((parent) => {
    const value: unknown = tasks
    if (
      Effect.isEffect(value) ||
      value === null ||
      typeof value !== "object" ||
      !(Symbol.iterator in value)
    ) {
      return Effect.die(new TypeError({ message: `expect a list of futures, not ${describe(value)}` }))
    }
    const fs = new Set(tasks)
    if (fs.size === 0) return Effect.die(new ValueError({ message: "Set of Tasks/Futures is empty." }))
    const returnWhen = options.returnWhen ?? ALL_COMPLETED
    if (returnWhen !== FIRST_COMPLETED && returnWhen !== FIRST_EXCEPTION && returnWhen !== ALL_COMPLETED) {
      return Effect.die(new ValueError({ message: `Invalid return_when value: ${describe(returnWhen)}` }))
    }
    for (const f of fs) {
      if (!(f instanceof FutureImpl)) {
        return Effect.die(
          Effect.isEffect(f)
            ? new TypeError({ message: "Passing coroutines is forbidden, use tasks explicitly." })
            : notAwaitable(f)
        )
      }
    }
    const loop = loopImpl(Context.get(parent.context as Context.Context<EventLoop>, EventLoop))
    const timeout = options.timeout
    if (timeout === null || timeout === undefined) return waitFutures(fs, undefined, returnWhen, loop)
    return Effect.flatMap(toMillis(timeout, "timeout"), (millis) =>
      waitFutures(fs, millis / 1000, returnWhen, loop)
    )
  })

/** asyncio's `_wait(fs, timeout, return_when, loop)`, step for step. */
const waitFutures = <T extends AnyTask>(
  fs: ReadonlySet<T>,
  timeout: number | undefined,
  returnWhen: ReturnWhen,
  loop: EventLoopImpl
): Effect.Effect<WaitResult<T>> =>
  Effect.suspend(() => {
    const waiter = new LabelledFuture<void>(loop, () => {
      let pending = 0
      for (const f of fs) if (!f.done()) pending += 1
      return `wait(${pending} of ${fs.size} pending, ${returnWhen})`
    })
    const timeoutHandle =
      timeout === undefined || timeout === Number.POSITIVE_INFINITY
        ? undefined
        : loop.callLater(timeout, releaseWaiter, waiter)
    let counter = fs.size
    const onCompletion = (f: FutureImpl<unknown, unknown>): void => {
      counter -= 1
      if (
        counter <= 0 ||
        returnWhen === FIRST_COMPLETED ||
        (returnWhen === FIRST_EXCEPTION && !f.cancelled() && hasException(f))
      ) {
        timeoutHandle?.cancel()
        if (!waiter.done()) waiter.setResultUnsafe(undefined)
      }
    }
    for (const f of fs) (f as unknown as FutureImpl<unknown, unknown>).addDoneCallback(onCompletion)
    return (awaitFuture(waiter) as Effect.Effect<void>).pipe(
      Effect.ensuring(
        Effect.sync(() => {
          timeoutHandle?.cancel()
          for (const f of fs) (f as unknown as FutureImpl<unknown, unknown>).removeDoneCallback(onCompletion)
        })
      ),
      Effect.map(() => {
        const done = new Set<T>()
        const pending = new Set<T>()
        for (const f of fs) (f.done() ? done : pending).add(f)
        return { done, pending }
      })
    )
  })

/** asyncio's `_release_waiter(waiter)` */
const releaseWaiter = (waiter: FutureImpl<void>): void => {
  if (!waiter.done()) waiter.setResultUnsafe(undefined)
}
