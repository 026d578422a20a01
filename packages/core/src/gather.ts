/**
 * `asyncio.gather`: run effects and tasks concurrently, collect their results in argument order.
 *
 * @since 0.1.0
 */
import { Cause, Deferred, Effect, Exit } from "effect"
import type { EventLoop } from "./events.js"
import { CancelledError } from "./exceptions.js"
import {
  type Awaitable,
  awaiterCancelMessage,
  isDefect,
  isOptionsObject,
  markRetrieved,
  notAwaitable,
  typedError
} from "./internal/awaiting.js"
import { cancelledErrorUnsafe } from "./internal/outcome.js"
import { ensureFuture, Task } from "./tasks.js"

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
 * @since 0.1.0
 */
export type GatherResults<T extends ReadonlyArray<Awaitable>> = {
  -readonly [K in keyof T]: Effect.Success<T[K]>
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
 * @since 0.1.0
 */
export type GatherOutcomes<T extends ReadonlyArray<Awaitable>> = {
  -readonly [K in keyof T]: Effect.Success<T[K]> | Effect.Error<T[K]> | CancelledError
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
 * The options object goes last: `gather(a, b, { returnExceptions: true })`. The children start
 * when the returned effect runs (asyncio's gather starts them when called). A non-effect
 * argument dies with `TypeError` before any child starts.
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
 * @since 0.1.0
 */
export const gather: {
  <const T extends ReadonlyArray<Awaitable>>(
    ...aws: T
  ): Effect.Effect<
    GatherResults<T>,
    Effect.Error<T[number]> | CancelledError,
    Effect.Services<T[number]> | EventLoop
  >
  <const T extends ReadonlyArray<Awaitable>>(
    ...args: [...aws: T, options: { readonly returnExceptions: true }]
  ): Effect.Effect<GatherOutcomes<T>, never, Effect.Services<T[number]> | EventLoop>
  <const T extends ReadonlyArray<Awaitable>>(
    ...args: [...aws: T, options: { readonly returnExceptions?: false | undefined }]
  ): Effect.Effect<
    GatherResults<T>,
    Effect.Error<T[number]> | CancelledError,
    Effect.Services<T[number]> | EventLoop
  >
  <const T extends ReadonlyArray<Awaitable>>(
    ...args: [...aws: T, options: GatherOptions]
  ): Effect.Effect<
    GatherResults<T> | GatherOutcomes<T>,
    Effect.Error<T[number]> | CancelledError,
    Effect.Services<T[number]> | EventLoop
  >
} = (...args: ReadonlyArray<unknown>): Effect.Effect<never, never, never> =>
  gatherUnknown(args) as Effect.Effect<never, never, never>

const gatherUnknown = (args: ReadonlyArray<unknown>): Effect.Effect<Array<unknown>, unknown, unknown> =>
  Effect.suspend(() => {
    const last = args[args.length - 1]
    const hasOptions = args.length > 0 && isOptionsObject(last)
    const options: GatherOptions | undefined = hasOptions ? (last as GatherOptions) : undefined
    const aws = hasOptions ? args.slice(0, -1) : args
    if (aws.length === 0) return Effect.succeed([])
    const invalid = aws.find((aw) => !Effect.isEffect(aw))
    if (invalid !== undefined) return Effect.die(notAwaitable(invalid))
    return gatherEffects(aws as ReadonlyArray<Awaitable>, options?.returnExceptions === true)
  })

const gatherEffects = (
  aws: ReadonlyArray<Awaitable>,
  returnExceptions: boolean
): Effect.Effect<Array<unknown>, unknown, unknown> =>
  Effect.gen(function* () {
    // asyncio's arg_to_fut: the same object twice is one child
    const argToTask = new Map<Awaitable, Task<unknown, unknown>>()
    const children: Array<Task<unknown, unknown>> = []
    for (const aw of aws) {
      let task = argToTask.get(aw)
      if (task === undefined) {
        task = aw instanceof Task ? aw : yield* ensureFuture(aw as Effect.Effect<unknown, unknown, never>)
        argToTask.set(aw, task)
      }
      children.push(task)
    }
    const unique = [...argToTask.values()]
    const outer = Deferred.makeUnsafe<Array<unknown>, unknown>()
    let finished = 0
    let outerDone = false
    const setOuter = (effect: Effect.Effect<Array<unknown>, unknown>): void => {
      outerDone = true
      Deferred.doneUnsafe(outer, effect)
    }

    // asyncio's `_done_callback`, run once per distinct child
    const onChildDone = (child: Task<unknown, unknown>): void => {
      finished += 1
      if (outerDone) {
        markRetrieved(child)
        return
      }
      if (!returnExceptions || isDefect(child)) {
        if (child.cancelled()) {
          setOuter(Effect.fail(child.cancelledError()))
          return
        }
        const exit = child.exitUnsafe()
        if (exit !== undefined && exit._tag === "Failure") {
          setOuter(Effect.flatMap(child.outcome(), () => Effect.succeed([])))
          return
        }
      }
      if (finished === unique.length) {
        const results = children.map((task) => {
          // as 3.13: `CancelledError(fut._cancel_message or '')`, and a task that ends cancelled
          // has had its `_cancel_message` reset by its own `Future.cancel()`: the message is lost
          if (task.cancelled()) return cancelledErrorUnsafe("")
          const exit = task.exitUnsafe()
          return exit !== undefined && exit._tag === "Success" ? exit.value : typedError(task)
        })
        setOuter(Effect.succeed(results))
      }
    }
    const alreadyDone: Array<Task<unknown, unknown>> = []
    for (const task of unique) {
      if (task.done()) alreadyDone.push(task)
      else task.addDoneCallback(onChildDone)
    }
    for (const task of alreadyDone) onChildDone(task)

    return yield* Deferred.await(outer).pipe(
      // asyncio's _GatheringFuture.cancel(): every child is cancelled, and the caller resumes
      // when the gathering future completes by the usual rules: at the first cancelled child, or
      // with returnExceptions once all are done. Children still cleaning up belong to the loop.
      // A child that failed instead (it raised while being cancelled) gives its error to the
      // gathering future, and the caller raises it rather than CancelledError.
      Effect.onInterrupt(() =>
        Effect.flatMap(awaiterCancelMessage, (message) =>
          Effect.andThen(
            Effect.sync(() => {
              for (const task of unique) task.cancelUnsafe(message)
            }),
            Effect.flatMap(Effect.exit(Deferred.await(outer)), (exit) =>
              Exit.isFailure(exit) && !exit.cause.reasons.every(isCancelledErrorReason)
                ? Effect.failCause(exit.cause)
                : Effect.void
            )
          )
        )
      )
    )
  })

const isCancelledErrorReason = (reason: Cause.Reason<unknown>): boolean =>
  Cause.isFailReason(reason) && reason.error instanceof CancelledError
