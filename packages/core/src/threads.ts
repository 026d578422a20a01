/**
 * `asyncio.to_thread` (`threads.py`): a call in a worker thread of the loop's default executor.
 *
 * @since 0.2.0
 */
import { Effect } from "effect"
import { EventLoop, loopImpl } from "./events.js"
import * as errors from "./exceptions.js"
import { awaitFuture } from "./internal/future.js"
import type { WorkerArguments, WorkerFailure, WorkerFunction, WorkerSuccess } from "./workerFunctions.js"

/**
 * `await asyncio.to_thread(func, *args)`: runs `fn(...args)` in a worker thread of the loop's
 * default executor (`loop.runInExecutor(undefined, fn, ...args)`, a `ThreadPoolExecutor` made on
 * first use, shut down by `run` at its end) and waits for its result, so CPU-bound work runs in
 * parallel with the loop and with other threads, which CPython's threads (one GIL) do not.
 *
 * `fn` is a function of `defineWorkerFunctions` (a closure cannot cross a thread: `TypeError`);
 * arguments and result are copied (structured clone, or the function's Schemas). The effect fails
 * with the function's typed error, `BrokenThreadPool` if its thread died, `RuntimeError` after
 * the default executor was shut down. Cancelling the awaiting task cancels the call as asyncio
 * does: the thread runs the call to its end and the result is dropped (a call still waiting for
 * a thread never runs); `loop.setDefaultExecutor(new ThreadPoolExecutor({ terminateOnCancel:
 * true }))` terminates the thread instead.
 *
 * @example
 * ```ts
 * import { isMainThread } from "node:worker_threads"
 * import * as asyncio from "@effect-asyncio/core"
 *
 * const fib = (n: number): number => (n < 2 ? n : fib(n - 1) + fib(n - 2))
 * export const work = asyncio.defineWorkerFunctions(import.meta.url, { fib })
 *
 * // two CPU-bound calls at once, in two threads, while the loop goes on
 * const main = asyncio.gather(asyncio.toThread(work.fib, 27), asyncio.toThread(work.fib, 28))
 * if (isMainThread) asyncio.run(main).then(console.log) // [196418, 317811]
 * ```
 * @category Threads
 * @since 0.2.0
 */
export const toThread = <F extends WorkerFunction<(...args: never) => unknown>>(
  fn: F,
  ...args: WorkerArguments<F>
): Effect.Effect<
  WorkerSuccess<F>,
  WorkerFailure<F> | errors.BrokenThreadPool | errors.RuntimeError | errors.CancelledError,
  EventLoop
> =>
  Effect.flatMap(
    EventLoop,
    (
      loop
    ): Effect.Effect<
      WorkerSuccess<F>,
      WorkerFailure<F> | errors.BrokenThreadPool | errors.RuntimeError | errors.CancelledError
    > => {
      let future: ReturnType<ReturnType<typeof loopImpl>["submitTo"]>
      try {
        future = loopImpl(loop).submitTo(undefined, fn, args, "toThread")
      } catch (error) {
        // after shutdown_default_executor: a state a correct program can meet; the rest are bugs
        return error instanceof errors.RuntimeError ? Effect.fail(error) : Effect.die(error)
      }
      return awaitFuture(future) as Effect.Effect<
        WorkerSuccess<F>,
        WorkerFailure<F> | errors.BrokenThreadPool | errors.CancelledError
      >
    }
  )
