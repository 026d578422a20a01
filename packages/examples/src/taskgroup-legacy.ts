/**
 * Tutorial, "Task Groups (Python 3.11+)": the Python 3.10 way, with `gather` and a manual
 * cancel of the tasks left running after the first failure.
 *
 * ```python
 * import asyncio
 *
 * async def process_item(item: int):
 *     await asyncio.sleep(1)
 *     if item == 3:
 *         raise ValueError(f"Item {item} failed")
 *     return item * 2
 *
 * # Python 3.10 and earlier equivalent
 * async def main_legacy():
 *     tasks = []
 *     try:
 *         for i in range(1, 5):
 *             tasks.append(asyncio.create_task(process_item(i)))
 *
 *         results = await asyncio.gather(*tasks)
 *     except ValueError as e:
 *         print(f"Error occurred: {e}")
 *         # Must manually cancel remaining tasks
 *         for task in tasks:
 *             if not task.done():
 *                 task.cancel()
 *         await asyncio.gather(*tasks, return_exceptions=True)
 *
 * asyncio.run(main_legacy())
 * ```
 *
 * The failure is typed: `gather` fails with `ValueError`, which `Effect.catchTag` handles.
 */
import * as asyncio from "@effect-asyncio/core"
import { Console, Effect } from "effect"
import { runIfMain } from "./script.js"

const processItem = Effect.fn("processItem")(function* (item: number) {
  yield* asyncio.sleep(1)
  if (item === 3) {
    return yield* new asyncio.ValueError({ message: `Item ${item} failed` })
  }
  return item * 2
})

// Python 3.10 and earlier equivalent
export const main = Effect.gen(function* () {
  const tasks: Array<asyncio.Task<number, asyncio.ValueError>> = []
  yield* Effect.gen(function* () {
    for (let i = 1; i < 5; i++) {
      tasks.push(yield* asyncio.createTask(processItem(i)))
    }

    const results = yield* asyncio.gather(...tasks)
    return results
  }).pipe(
    Effect.catchTag("ValueError", (e) =>
      Effect.gen(function* () {
        yield* Console.log(`Error occurred: ${e.message}`)
        // Must manually cancel remaining tasks
        for (const task of tasks) {
          if (!task.done()) yield* task.cancel()
        }
        yield* asyncio.gather(...tasks, { returnExceptions: true })
      })
    )
  )
})

runIfMain(import.meta.url, main)
