/**
 * `asyncio.gather`: run effects and tasks concurrently, collect their results in argument order.
 *
 * @since 0.1.0
 */
import { Context, Effect, Exit } from "effect"
import { EventLoop, loopImpl } from "./events.js"
import type { CancelledError } from "./exceptions.js"
import {
  type Awaitable,
  type AwaitedError,
  type AwaitedResult,
  type AwaitedServices,
  foreignFuture,
  isDefect,
  typedError
} from "./internal/awaiting.js"
import type { EventLoopImpl } from "./internal/eventLoop.js"
import {
  addToAwaitedBy,
  awaitFuture,
  CurrentTask,
  discardFromAwaitedBy,
  FutureImpl
} from "./internal/future.js"
import { cancelledErrorUnsafe } from "./internal/outcome.js"
import * as validate from "./internal/validate.js"
import { futureOf } from "./tasks.js"

/**
 * Options of `gather` (asyncio's keyword argument), passed after the effects.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import * as asyncio from "@effect-asyncio/core"
 *
 * const options = { returnExceptions: true } satisfies asyncio.GatherOptions
 * const program = asyncio.gather(Effect.fail("boom"), asyncio.sleep(0.1, "ok"), options)
 * asyncio.run(program).then(console.log) // ["boom", "ok"]
 * ```
 * @category Combinators
 * @since 0.1.0
 */
export interface GatherOptions {
  /**
   * Put each child's typed error, or `CancelledError` for a cancelled child, in its place in
   * the results instead of failing at the first one. Defects stay defects: a child that dies
   * makes the gather die.
   */
  readonly returnExceptions?: boolean | undefined
}

/**
 * The results of `gather(...effects)`: the tuple of their success types.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import * as asyncio from "@effect-asyncio/core"
 *
 * const program = Effect.gen(function* () {
 *   const results: asyncio.GatherResults<[Effect.Effect<string>, Effect.Effect<number>]> = yield* asyncio.gather(
 *     asyncio.sleep(0.1, "a"),
 *     Effect.succeed(1)
 *   )
 *   return results
 * })
 * asyncio.run(program).then(console.log) // ["a", 1]
 * ```
 * @category Combinators
 * @since 0.1.0
 */
export type GatherResults<T extends ReadonlyArray<Awaitable>> = {
  -readonly [K in keyof T]: AwaitedResult<T[K]>
}

/**
 * The results of `gather(...effects, { returnExceptions: true })`: each success type, or the
 * child's error, or `CancelledError`.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import * as asyncio from "@effect-asyncio/core"
 *
 * type Outcomes = asyncio.GatherOutcomes<[Effect.Effect<never, string>, Effect.Effect<number>]>
 * const program = Effect.gen(function* () {
 *   const outcomes: Outcomes = yield* asyncio.gather(Effect.fail("boom"), asyncio.sleep(0.1, 1), {
 *     returnExceptions: true
 *   })
 *   return outcomes
 * })
 * asyncio.run(program).then(console.log) // ["boom", 1]
 * ```
 * @category Combinators
 * @since 0.1.0
 */
export type GatherOutcomes<T extends ReadonlyArray<Awaitable>> = {
  -readonly [K in keyof T]: AwaitedResult<T[K]> | AwaitedError<T[K]> | CancelledError
}

/**
 * `asyncio.gather(*aws, return_exceptions=False)`: runs every effect as a task (a task is
 * used as it is) and returns their results in argument order, typed as a tuple.
 *
 * The rules are asyncio's (3.13 `tasks.py`):
 * - without `returnExceptions`, the first error (or `CancelledError` of a child cancelled from
 *   outside) reaches the caller at once, and the other children keep running;
 * - with `returnExceptions: true`, errors and `CancelledError` take the child's place in the
 *   results;
 * - cancelling the caller cancels every child, waits for them, and the caller is cancelled;
 * - the same task (or effect object) passed twice runs once and gives its result twice;
 * - `gather()` returns `[]`.
 *
 * The options object goes last: `gather(a, b, { returnExceptions: true })`; a plain object in last
 * place is the options, anything else an awaitable. The effects may also come as one array,
 * `gather([a, b], options?)`, which has no limit on their number (a spread of 100k arguments
 * or more exceeds JavaScript's). The children start when the returned effect runs (asyncio's
 * gather starts them when called). A Promise (any thenable) is awaited as a future of the loop;
 * its rejection is Effect's `UnknownError`, and cancelling the gather stops waiting for it but
 * cannot stop it. Any other non-effect argument, an unknown option or a future of another loop
 * dies with asyncio's `TypeError`, `TypeError` or `RuntimeError` / `ValueError` before any child
 * starts.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import * as asyncio from "@effect-asyncio/core"
 *
 * const program = Effect.gen(function* () {
 *   const [a, b] = yield* asyncio.gather(asyncio.sleep(2, "a"), asyncio.sleep(1, 2))
 *   const outcomes = yield* asyncio.gather(Effect.fail("boom"), asyncio.sleep(1, "ok"), {
 *     returnExceptions: true
 *   })
 *   return [a, b, ...outcomes] // after 3 seconds
 * })
 * asyncio.run(program).then(console.log) // ["a", 2, "boom", "ok"]
 * ```
 * @category Combinators
 * @since 0.1.0
 */
export const gather: {
  <const T extends ReadonlyArray<Awaitable>>(
    ...aws: T
  ): Effect.Effect<
    GatherResults<T>,
    AwaitedError<T[number]> | CancelledError,
    AwaitedServices<T[number]> | EventLoop
  >
  <const T extends ReadonlyArray<Awaitable>>(
    ...args: [...aws: T, options: { readonly returnExceptions: true }]
  ): Effect.Effect<GatherOutcomes<T>, never, AwaitedServices<T[number]> | EventLoop>
  <const T extends ReadonlyArray<Awaitable>>(
    ...args: [...aws: T, options: { readonly returnExceptions?: false | undefined }]
  ): Effect.Effect<
    GatherResults<T>,
    AwaitedError<T[number]> | CancelledError,
    AwaitedServices<T[number]> | EventLoop
  >
  <const T extends ReadonlyArray<Awaitable>>(
    ...args: [...aws: T, options: GatherOptions]
  ): Effect.Effect<
    GatherResults<T> | GatherOutcomes<T>,
    AwaitedError<T[number]> | CancelledError,
    AwaitedServices<T[number]> | EventLoop
  >
  <const T extends ReadonlyArray<Awaitable>>(
    aws: T,
    options?: { readonly returnExceptions?: false | undefined }
  ): Effect.Effect<
    GatherResults<T>,
    AwaitedError<T[number]> | CancelledError,
    AwaitedServices<T[number]> | EventLoop
  >
  <const T extends ReadonlyArray<Awaitable>>(
    aws: T,
    options: { readonly returnExceptions: true }
  ): Effect.Effect<GatherOutcomes<T>, never, AwaitedServices<T[number]> | EventLoop>
  <const T extends ReadonlyArray<Awaitable>>(
    aws: T,
    options: GatherOptions
  ): Effect.Effect<
    GatherResults<T> | GatherOutcomes<T>,
    AwaitedError<T[number]> | CancelledError,
    AwaitedServices<T[number]> | EventLoop
  >
} = (...args: ReadonlyArray<unknown>): Effect.Effect<never, never, never> =>
  gatherUnknown(args) as Effect.Effect<never, never, never>

/** The keys of `GatherOptions`. */
const GATHER_OPTIONS: ReadonlyArray<string> = ["returnExceptions"]

/**
 * The awaitables and the options of a call: `gather([a, b], options?)` (an array, then nothing or
 * something that is not an awaitable), or `gather(a, b, options?)` (a plain object last,
 * not a thenable).
 */
const argumentsOf = (
  args: ReadonlyArray<unknown>
): { readonly aws: ReadonlyArray<unknown>; readonly options: unknown } => {
  const first = args[0]
  if (Array.isArray(first) && (args.length === 1 || (args.length === 2 && !validate.isAwaitable(args[1])))) {
    return { aws: first, options: args[1] }
  }
  const last = args[args.length - 1]
  if (args.length > 0 && validate.isPlainObject(last) && !validate.isThenable(last))
    return { aws: args.slice(0, -1), options: last }
  return { aws: args, options: undefined }
}

const gatherUnknown = (args: ReadonlyArray<unknown>): Effect.Effect<Array<unknown>, unknown, unknown> =>
  Effect.withFiber((parent) => {
    const { aws, options } = argumentsOf(args)
    const checked = validate.options(options as GatherOptions | undefined, "gather", GATHER_OPTIONS)
    validate.awaitables(aws)
    const loop = loopImpl(Context.get(parent.context as Context.Context<EventLoop>, EventLoop))
    const curTask = parent.getRef(CurrentTask)
    const foreign = foreignFuture(aws, loop, curTask, true)
    if (foreign !== undefined) return Effect.die(foreign)
    // asyncio reads `return_exceptions` for its truth, as Python's `if return_exceptions:`
    return awaitFuture(gatherFutures(aws, Boolean(checked?.returnExceptions), parent.context, loop, curTask))
  })

/**
 * asyncio's `_GatheringFuture`: cancelling it cancels the children (and counts as a request only
 * if one of them took it); it completes by the rules of `_done_callback`.
 */
class GatheringFuture extends FutureImpl<Array<unknown>, unknown> {
  cancelRequested = false

  constructor(
    private readonly children: ReadonlyArray<FutureImpl<unknown, unknown>>,
    loop: FutureImpl<unknown, unknown>["loop"]
  ) {
    super(loop)
  }

  /** `gather(2 of 3 pending)` */
  override waitDescription(): string {
    const children = new Set(this.children)
    let pending = 0
    for (const child of children) if (!child.done()) pending += 1
    return `gather(${pending} of ${children.size} pending)`
  }

  override cancelNow(message?: unknown): boolean {
    if (this.done()) return false
    let ret = false
    for (const child of this.children) {
      if (child.cancelNow(message)) ret = true
    }
    // If any child tasks were actually cancelled, we should propagate the cancellation request
    // regardless of *return_exceptions* argument.  See issue 32684.
    if (ret) this.cancelRequested = true
    return ret
  }
}

/** asyncio's `gather(*coros_or_futures, return_exceptions=...)`, step for step. */
const gatherFutures = (
  aws: ReadonlyArray<unknown>,
  returnExceptions: boolean,
  parent: Context.Context<never>,
  loop: EventLoopImpl,
  curTask: FutureImpl<unknown, unknown> | undefined
): FutureImpl<Array<unknown>, unknown> => {
  if (aws.length === 0) {
    const outer = loop.createFuture<Array<unknown>>()
    outer.resolveNow([])
    return outer
  }
  let nfinished = 0
  let outer: GatheringFuture | undefined
  const children: Array<FutureImpl<unknown, unknown>> = []

  const doneCallback = (fut: FutureImpl<unknown, unknown>): void => {
    nfinished += 1
    if (curTask !== undefined) discardFromAwaitedBy(fut, curTask)
    if (outer === undefined || outer.done()) {
      // Mark exception retrieved.
      if (!fut.cancelled()) fut.markRetrieved()
      return
    }
    // a defect stays a defect: it reaches the caller even with returnExceptions
    if (!returnExceptions || isDefect(fut)) {
      if (fut.cancelled()) {
        // Check if 'fut' is cancelled first, as 'fut.exception()' will *raise* a CancelledError
        // instead of returning it.
        outer.finish(Exit.fail(fut.makeCancelledError()))
        return
      }
      const exit = fut.exit
      if (exit !== undefined && Exit.isFailure(exit)) {
        fut.markRetrieved()
        outer.finish(exit as Exit.Exit<never, unknown>)
        return
      }
    }
    if (nfinished === nfuts) {
      // All futures are done; create a list of results and set it to the 'outer' future.
      const results: Array<unknown> = []
      for (const child of children) {
        if (child.cancelled()) {
          // Check if 'fut' is cancelled first, as 'fut.exception()' will *raise* a
          // CancelledError instead of returning it.
          results.push(cancelledErrorUnsafe(validate.messageOf(child.cancelMessage)))
        } else {
          const exit = child.exit as Exit.Exit<unknown, unknown>
          results.push(Exit.isSuccess(exit) ? exit.value : typedError(child))
        }
      }
      if (outer.cancelRequested) {
        // If gather is being cancelled we must propagate the cancellation regardless of
        // *return_exceptions* argument. See issue 32684. (CPython reads the loop variable of
        // the loop above: the last child.)
        outer.finish(
          Exit.fail((children[children.length - 1] as FutureImpl<unknown, unknown>).makeCancelledError())
        )
      } else {
        outer.finish(Exit.succeed(results))
      }
    }
  }

  const argToFut = new Map<unknown, FutureImpl<unknown, unknown>>()
  let nfuts = 0
  const doneFuts: Array<FutureImpl<unknown, unknown>> = []
  for (const arg of aws) {
    let fut = argToFut.get(arg)
    if (fut === undefined) {
      fut = futureOf(arg, parent, loop)
      nfuts += 1
      argToFut.set(arg, fut)
      if (fut.done()) {
        doneFuts.push(fut)
      } else {
        // asyncio 3.14: the children are awaited by the task that gathers them (call graphs)
        if (curTask !== undefined) addToAwaitedBy(fut, curTask)
        fut.addDoneCallback(doneCallback)
      }
    }
    children.push(fut)
  }
  outer = new GatheringFuture(children, loop)
  for (const fut of doneFuts) doneCallback(fut)
  return outer
}

// asyncio's class name in reprs and messages
Object.defineProperty(GatheringFuture, "name", { value: "_GatheringFuture" })
