/**
 * Tutorial, "Task Management and Control": a task's states, and cancelling it with cleanup.
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
 * async def main():
 *     task = asyncio.create_task(long_operation(10))
 *
 *     # Check task status
 *     print(f"Task done: {task.done()}")
 *     print(f"Task cancelled: {task.cancelled()}")
 *
 *     # Let it run briefly
 *     await asyncio.sleep(2)
 *
 *     # Cancel the task
 *     task.cancel()
 *
 *     try:
 *         await task
 *     except asyncio.CancelledError:
 *         print("Caught cancellation in main")
 *
 *     print(f"Task done: {task.done()}")
 *     print(f"Task cancelled: {task.cancelled()}")
 *
 * asyncio.run(main())
 * ```
 *
 * Inside the task, cancellation is Effect's interruption: the cleanup goes in
 * `Effect.onInterrupt`, and it always re-raises (a task cannot swallow its own cancellation).
 * Whoever awaits the cancelled task sees a typed `CancelledError`.
 */
import * as asyncio from "@effect-asyncio/core"
import { Console, Effect } from "effect"
import { runIfMain } from "./script.js"

export const longOperation = Effect.fn("longOperation")(function* (duration: number) {
  yield* Console.log(`Starting ${duration}s operation`)
  yield* asyncio.sleep(duration).pipe(
    Effect.onInterrupt(() =>
      // Cleanup code here; the cancellation goes on once it is done
      Console.log("Operation cancelled after some time")
    )
  )
  return `Completed ${duration}s operation`
})

export const main = Effect.gen(function* () {
  const task = yield* asyncio.createTask(longOperation(10))

  // Check task status
  yield* Console.log(`Task done: ${task.done()}`)
  yield* Console.log(`Task cancelled: ${task.cancelled()}`)

  // Let it run briefly
  yield* asyncio.sleep(2)

  // Cancel the task
  yield* task.cancel()

  yield* task.pipe(Effect.catchTag("CancelledError", () => Console.log("Caught cancellation in main")))

  yield* Console.log(`Task done: ${task.done()}`)
  yield* Console.log(`Task cancelled: ${task.cancelled()}`)
})

runIfMain(import.meta.url, main)
