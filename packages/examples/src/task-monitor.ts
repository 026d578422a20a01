/**
 * Tutorial, "Performance Considerations and Debugging": a monitor task that prints every
 * 5 seconds the tasks still running, with their names and what each runs.
 *
 * ```python
 * import asyncio
 * from datetime import datetime
 *
 * async def monitor_tasks():
 *     """Periodic task monitoring"""
 *     while True:
 *         tasks = asyncio.all_tasks()
 *         print(f"\n[{datetime.now()}] Active tasks: {len(tasks)}")
 *
 *         for task in tasks:
 *             if not task.done():
 *                 # Get task name and coroutine info
 *                 coro = task.get_coro()
 *                 print(f"  - {task.get_name()}: {coro.__name__}")
 *
 *         await asyncio.sleep(5)
 *
 * async def potentially_stuck_task():
 *     """Simulate a stuck task"""
 *     while True:
 *         await asyncio.sleep(10)
 *
 * async def main():
 *     # Start monitoring
 *     monitor = asyncio.create_task(monitor_tasks())
 *
 *     # Create some tasks
 *     task1 = asyncio.create_task(potentially_stuck_task(), name="stuck-task")
 *     task2 = asyncio.create_task(asyncio.sleep(3), name="short-task")
 *
 *     await asyncio.sleep(15)
 *
 *     # Cleanup
 *     monitor.cancel()
 *     task1.cancel()
 *     await asyncio.gather(monitor, task1, task2, return_exceptions=True)
 *
 * asyncio.run(main())
 * ```
 *
 * Two differences: `all_tasks()` is a set in Python, printed in hash order; ours is in creation
 * order. And an Effect has no `__name__`: `coroutine(name, effect)` below records the name of
 * each effect this program runs as a task, and `coroName(task)` reads it back from
 * `task.getCoro()`.
 */
import * as asyncio from "@effect-asyncio/core"
import { Clock, Console, Effect } from "effect"
import { runIfMain } from "./script.js"

/** `coro.__name__`: the names of the effects this program runs as tasks. */
const coroNames = new WeakMap<object, string>()
const coroutine = <A, E, R>(name: string, coro: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> => {
  coroNames.set(coro, name)
  return coro
}
const coroName = (task: asyncio.Task<unknown, unknown>): string => coroNames.get(task.getCoro()) ?? "<effect>"

/** `datetime.now()` as Python prints it (`2026-11-25 05:24:33.040737`), in UTC, from Effect's Clock. */
const now = Effect.map(Clock.currentTimeMillis, (millis) =>
  new Date(millis).toISOString().replace("T", " ").replace("Z", "000")
)

/** Periodic task monitoring */
const monitorTasks = () =>
  coroutine(
    "monitorTasks",
    Effect.gen(function* () {
      while (true) {
        const tasks = yield* asyncio.allTasks
        yield* Console.log(`\n[${yield* now}] Active tasks: ${tasks.size}`)

        for (const task of tasks) {
          if (!task.done()) {
            // Get task name and coroutine info
            yield* Console.log(`  - ${task.getName()}: ${coroName(task)}`)
          }
        }

        yield* asyncio.sleep(5)
      }
    })
  )

/** Simulate a stuck task */
const potentiallyStuckTask = () =>
  coroutine(
    "potentiallyStuckTask",
    Effect.gen(function* () {
      while (true) {
        yield* asyncio.sleep(10)
      }
    })
  )

export const main = coroutine(
  "main",
  Effect.gen(function* () {
    // Start monitoring
    const monitor = yield* asyncio.createTask(monitorTasks())

    // Create some tasks
    const task1 = yield* asyncio.createTask(potentiallyStuckTask(), { name: "stuck-task" })
    const task2 = yield* asyncio.createTask(coroutine("sleep", asyncio.sleep(3)), { name: "short-task" })

    yield* asyncio.sleep(15)

    // Cleanup
    yield* monitor.cancel()
    yield* task1.cancel()
    yield* asyncio.gather(monitor, task1, task2, { returnExceptions: true })
  })
)

runIfMain(import.meta.url, main)
