/**
 * Tutorial, "Creating and Running Tasks": `create_task` starts three fetches at once, so they
 * take as long as the slowest (1.5 s), not the sum (3 s); `ensure_future` of a task is that task.
 *
 * ```python
 * import asyncio
 * from asyncio import Future
 *
 * async def fetch_data(source: str, delay: float):
 *     await asyncio.sleep(delay)
 *     return f"Data from {source}"
 *
 * async def main():
 *     # Preferred: create_task() for coroutines
 *     task1 = asyncio.create_task(fetch_data("API-1", 1.0))
 *     task2 = asyncio.create_task(fetch_data("API-2", 1.5))
 *     task3 = asyncio.create_task(fetch_data("API-3", 0.5))
 *
 *     # All three are now running concurrently
 *     print("All tasks started")
 *
 *     # Collect results as they complete
 *     result1 = await task1
 *     result2 = await task2
 *     result3 = await task3
 *
 *     print(f"Results: {result1}, {result2}, {result3}")
 *
 *     # ensure_future() works with both coroutines and futures
 *     task_or_future = task1  # Already a Task
 *     wrapped = asyncio.ensure_future(task_or_future)  # Returns the same task
 *     print(f"Same object: {wrapped is task1}")
 *
 * asyncio.run(main())
 * ```
 */
import * as asyncio from "@effect-asyncio/core"
import { Console, Effect } from "effect"
import { runIfMain } from "./script.js"

const fetchData = Effect.fn("fetchData")(function* (source: string, delay: number) {
  yield* asyncio.sleep(delay)
  return `Data from ${source}`
})

export const main = Effect.gen(function* () {
  // Preferred: createTask() for coroutines
  const task1 = yield* asyncio.createTask(fetchData("API-1", 1.0))
  const task2 = yield* asyncio.createTask(fetchData("API-2", 1.5))
  const task3 = yield* asyncio.createTask(fetchData("API-3", 0.5))

  // All three are now running concurrently
  yield* Console.log("All tasks started")

  // Collect results as they complete
  const result1 = yield* task1
  const result2 = yield* task2
  const result3 = yield* task3

  yield* Console.log(`Results: ${result1}, ${result2}, ${result3}`)

  // ensureFuture() works with both effects and tasks
  const taskOrFuture = task1 // Already a Task
  const wrapped = yield* asyncio.ensureFuture(taskOrFuture) // Returns the same task
  yield* Console.log(`Same object: ${wrapped === task1}`)
})

runIfMain(import.meta.url, main)
