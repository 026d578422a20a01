/**
 * `asyncio.wait`: waiting on a set of tasks without consuming their results.
 *
 * @since 0.1.0
 */
import { Context, Effect } from "effect"
import { EventLoop, loopImpl } from "./events.js"
import { TypeError, ValueError } from "./exceptions.js"
import type { Future } from "./futures.js"
import { hasException } from "./internal/awaiting.js"
import type { EventLoopImpl } from "./internal/eventLoop.js"
import { awaitFuture, FutureImpl, LabelledFuture } from "./internal/future.js"
import { promiseFuture, unknownRejection } from "./internal/promise.js"
import type { Seconds } from "./internal/time.js"
import * as validate from "./internal/validate.js"

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

/** Any task or future, whatever its types (`wait` only looks at their state), or a Promise. */
type AnyTask = Future<unknown, unknown> | PromiseLike<unknown>

/**
 * `asyncio.wait(aws, timeout=None, return_when=ALL_COMPLETED)`: waits until the tasks meet
 * `returnWhen`, or until `timeout` seconds pass, and returns `{ done, pending }`. It neither
 * cancels anything (on timeout the pending tasks keep running) nor reads the results: await
 * the tasks in `done` for that. A task passed twice appears once.
 *
 * As in 3.11+, only tasks and futures are accepted, and Promises (any thenable: each is waited
 * for as a future of the loop, and comes back in `done` or `pending` as the object passed in): a
 * bare effect dies with `TypeError` ("Passing coroutines is forbidden"), an empty input or an
 * unknown `returnWhen` with `ValueError`.
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
    const checked = validate.options(options, "wait", WAIT_OPTIONS) ?? {}
    const value: unknown = tasks
    if (
      validate.isEffect(value) ||
      value === null ||
      typeof value !== "object" ||
      !(Symbol.iterator in value)
    ) {
      return Effect.die(
        new TypeError({ message: `expect a list of futures, not ${validate.describe(value)}` })
      )
    }
    const fs = new Set(tasks)
    if (fs.size === 0) return Effect.die(new ValueError({ message: "Set of Tasks/Futures is empty." }))
    // `returnWhen: null` is asyncio's return_when=None: a ValueError, not the default
    const returnWhen = checked.returnWhen === undefined ? ALL_COMPLETED : checked.returnWhen
    if (returnWhen !== FIRST_COMPLETED && returnWhen !== FIRST_EXCEPTION && returnWhen !== ALL_COMPLETED) {
      return Effect.die(
        new ValueError({ message: `Invalid return_when value: ${validate.describe(returnWhen)}` })
      )
    }
    for (const f of fs) {
      if (!validate.isInstance(f, FutureImpl) && !validate.isThenable(f)) {
        return Effect.die(
          validate.isEffect(f)
            ? new TypeError({ message: "Passing coroutines is forbidden, use tasks explicitly." })
            : validate.notAwaitable(f)
        )
      }
    }
    const loop = loopImpl(Context.get(parent.context as Context.Context<EventLoop>, EventLoop))
    // a Promise is waited for as the future its settlement completes (`wrap_future`); futures of
    // another loop are waited on as CPython does: through their own loop's callbacks
    const futures = new Map<T, FutureImpl<unknown, unknown>>()
    for (const f of fs) {
      futures.set(
        f,
        validate.isInstance(f, FutureImpl)
          ? f
          : promiseFuture(loop, f as PromiseLike<unknown>, unknownRejection)
      )
    }
    return waitFutures(futures, validate.optionalSeconds(checked.timeout, "wait() timeout"), returnWhen, loop)
  })

/** The keys of `WaitOptions`. */
const WAIT_OPTIONS: ReadonlyArray<string> = ["timeout", "returnWhen"]

/** asyncio's `_wait(fs, timeout, return_when, loop)`, step for step (keyed by what was passed in). */
const waitFutures = <T extends AnyTask>(
  futures: ReadonlyMap<T, FutureImpl<unknown, unknown>>,
  timeout: number | undefined,
  returnWhen: ReturnWhen,
  loop: EventLoopImpl
): Effect.Effect<WaitResult<T>> =>
  Effect.suspend(() => {
    const fs = [...futures.values()]
    const waiter = new LabelledFuture<void>(loop, () => {
      let pending = 0
      for (const f of fs) if (!f.done()) pending += 1
      return `wait(${pending} of ${fs.length} pending, ${returnWhen})`
    })
    const timeoutHandle =
      timeout === undefined || timeout === Number.POSITIVE_INFINITY
        ? undefined
        : loop.callLater(timeout, releaseWaiter, waiter)
    let counter = fs.length
    const onCompletion = (f: FutureImpl<unknown, unknown>): void => {
      counter -= 1
      if (
        counter <= 0 ||
        returnWhen === FIRST_COMPLETED ||
        (returnWhen === FIRST_EXCEPTION && !f.cancelled() && hasException(f))
      ) {
        timeoutHandle?.cancel()
        if (!waiter.done()) waiter.resolveNow(undefined)
      }
    }
    for (const f of fs) f.addDoneCallback(onCompletion)
    return (awaitFuture(waiter) as Effect.Effect<void>).pipe(
      Effect.ensuring(
        Effect.sync(() => {
          timeoutHandle?.cancel()
          for (const f of fs) f.removeDoneCallback(onCompletion)
        })
      ),
      Effect.map(() => {
        const done = new Set<T>()
        const pending = new Set<T>()
        for (const [arg, f] of futures) (f.done() ? done : pending).add(arg)
        return { done, pending }
      })
    )
  })

/** asyncio's `_release_waiter(waiter)` */
const releaseWaiter = (waiter: FutureImpl<void>): void => {
  if (!waiter.done()) waiter.resolveNow(undefined)
}
