/**
 * Tutorial, "Task Management and Control": graceful shutdown, giving tasks 4 seconds with
 * `wait_for` + `gather` before cancelling the rest.
 *
 * ```python
 * import asyncio
 *
 * async def long_operation(duration: int):
 *     try:
 *         print(f"Starting {duration}s operation")
 *         await asyncio.sleep(duration)
 *         return f"Completed {duration}s operation"
 *     except asyncio.CancelledError:
 *         print(f"Operation cancelled after some time")
 *         # Cleanup code here
 *         raise  # Re-raise to mark task as cancelled
 *
 * # Graceful shutdown pattern with timeout
 * async def graceful_shutdown():
 *     tasks = [
 *         asyncio.create_task(long_operation(5)),
 *         asyncio.create_task(long_operation(3)),
 *     ]
 *
 *     try:
 *         # Give tasks 4 seconds to complete
 *         await asyncio.wait_for(
 *             asyncio.gather(*tasks, return_exceptions=True),
 *             timeout=4.0
 *         )
 *     except asyncio.TimeoutError:
 *         print("Timeout reached, cancelling remaining tasks")
 *         for task in tasks:
 *             if not task.done():
 *                 task.cancel()
 *
 *         # Wait for cancellations to complete
 *         await asyncio.gather(*tasks, return_exceptions=True)
 *
 * asyncio.run(graceful_shutdown())
 * ```
 *
 * The tutorial defines `graceful_shutdown` without running it; run, it prints the 5 s task's
 * cleanup BEFORE "Timeout reached": when `wait_for` times out it cancels the gather, and
 * cancelling a gather cancels its children. By the time the `except` block runs, every task is
 * done, and its cancel loop has nothing left to do.
 */
import * as asyncio from "@effect-asyncio/core"
import { Console, Effect } from "effect"
import { runIfMain } from "./script.js"
import { longOperation } from "./task-states.js"

// Graceful shutdown pattern with timeout
export const main = Effect.gen(function* () {
  const tasks = [yield* asyncio.createTask(longOperation(5)), yield* asyncio.createTask(longOperation(3))]

  yield* asyncio
    // Give tasks 4 seconds to complete
    .waitFor(asyncio.gather(...tasks, { returnExceptions: true }), 4.0)
    .pipe(
      Effect.catchTag("TimeoutError", () =>
        Effect.gen(function* () {
          yield* Console.log("Timeout reached, cancelling remaining tasks")
          for (const task of tasks) {
            if (!task.done()) yield* task.cancel()
          }

          // Wait for cancellations to complete
          yield* asyncio.gather(...tasks, { returnExceptions: true })
        })
      )
    )
})

runIfMain(import.meta.url, main)
