/**
 * Tutorial, "Task Groups (Python 3.11+)": a `TaskGroup` whose third task fails; the group
 * cancels the others, and `except* ValueError` catches the failure from the `ExceptionGroup`.
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
 * async def main():
 *     try:
 *         async with asyncio.TaskGroup() as tg:
 *             # All tasks automatically tracked
 *             task1 = tg.create_task(process_item(1))
 *             task2 = tg.create_task(process_item(2))
 *             task3 = tg.create_task(process_item(3))  # This will raise
 *             task4 = tg.create_task(process_item(4))
 *
 *         # This line never executes due to exception
 *         print("All tasks completed")
 *     except* ValueError as eg:
 *         # Exception group catches all exceptions
 *         print(f"Caught {len(eg.exceptions)} exceptions")
 *         for exc in eg.exceptions:
 *             print(f"  - {exc}")
 *
 * asyncio.run(main())
 * ```
 *
 * `async with asyncio.TaskGroup() as tg:` is `asyncio.TaskGroup.run((tg) => body)`;
 * `except* ValueError` is `asyncio.exceptStar("ValueError", handler)`, which narrows the error
 * type: once it is handled, the program's error channel no longer holds `ValueError`.
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

export const main = Effect.gen(function* () {
  yield* asyncio.TaskGroup.run((tg) =>
    Effect.gen(function* () {
      // All tasks automatically tracked
      yield* tg.createTask(processItem(1))
      yield* tg.createTask(processItem(2))
      yield* tg.createTask(processItem(3)) // This will raise
      yield* tg.createTask(processItem(4))
    })
  )

  // This line never executes due to exception
  yield* Console.log("All tasks completed")
}).pipe(
  asyncio.exceptStar("ValueError", (eg) =>
    Effect.gen(function* () {
      // Exception group catches all exceptions
      yield* Console.log(`Caught ${eg.exceptions.length} exceptions`)
      for (const exc of eg.exceptions) {
        yield* Console.log(`  - ${exc.message}`)
      }
    })
  )
)

runIfMain(import.meta.url, main)
