/**
 * Graceful SIGTERM: what a container orchestrator (Kubernetes, `docker stop`) sends before it
 * kills a process. Two workers take jobs from a queue; on SIGTERM the main task is cancelled as
 * Ctrl-C cancels it, the cancellation reaches the workers through their TaskGroup, each job in
 * flight runs its cleanup, and the process exits with 143 (128 + SIGTERM), printing no traceback.
 * Without a signal, the group is ended by `tg.cancel()` (Python 3.15) once the queue is drained.
 *
 * ```python
 * import asyncio, signal, sys
 *
 * async def worker(name, queue):
 *     while True:
 *         job = await queue.get()
 *         print(f"{name}: job {job} started")
 *         try:
 *             await asyncio.sleep(1)
 *         except asyncio.CancelledError:
 *             print(f"{name}: job {job} interrupted, left for the next run")
 *             raise
 *         print(f"{name}: job {job} done")
 *         queue.task_done()
 *
 * async def main():
 *     asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, asyncio.current_task().cancel)
 *     queue = asyncio.Queue()
 *     for job in range(1, 7):
 *         queue.put_nowait(job)
 *     try:
 *         async with asyncio.TaskGroup() as tg:
 *             tg.create_task(worker("worker-1", queue))
 *             tg.create_task(worker("worker-2", queue))
 *             await queue.join()
 *             print("all jobs done")
 *             tg.cancel()  # Python 3.15
 *     except asyncio.CancelledError:
 *         print("stopped by SIGTERM")
 *         raise
 *     print("workers stopped")
 *
 * try:
 *     asyncio.run(main())
 * except asyncio.CancelledError:
 *     sys.exit(143)
 * ```
 *
 * Here `runMain(main, { gracefulSignals: ["SIGTERM"] })` does what the signal handler and the
 * `sys.exit(143)` do. Both print the same lines, with or without a SIGTERM (the test holds the
 * output of this Python program run by CPython 3.13, with main's `TaskGroup.cancel()` added).
 */
import * as asyncio from "@effect-asyncio/core"
import { Console, Effect } from "effect"
import { runIfMain } from "./script.js"

// `while True:` is `Effect.forever(body, { disableYield: true })`: by default Effect.forever
// yields a turn of the loop after each round, where Python's loop does not
const worker = (name: string, queue: asyncio.Queue<number>) =>
  Effect.forever(
    Effect.gen(function* () {
      const job = yield* queue.get()
      yield* Console.log(`${name}: job ${job} started`)
      yield* asyncio
        .sleep(1)
        .pipe(Effect.onInterrupt(() => Console.log(`${name}: job ${job} interrupted, left for the next run`)))
      yield* Console.log(`${name}: job ${job} done`)
      yield* queue.taskDone()
    }),
    { disableYield: true }
  )

export const main = Effect.gen(function* () {
  const queue = new asyncio.Queue<number>()
  for (let job = 1; job <= 6; job++) yield* queue.putNowait(job)
  yield* asyncio.TaskGroup.run((tg) =>
    Effect.gen(function* () {
      yield* tg.createTask(worker("worker-1", queue))
      yield* tg.createTask(worker("worker-2", queue))
      yield* queue.join()
      yield* Console.log("all jobs done")
      yield* tg.cancel()
    })
  ).pipe(Effect.onInterrupt(() => Console.log("stopped by SIGTERM")))
  yield* Console.log("workers stopped")
})

runIfMain(import.meta.url, main, { gracefulSignals: ["SIGTERM"] })
