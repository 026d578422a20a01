/**
 * Tutorial, "Common Patterns and Best Practices": background tasks kept in a set, each removed
 * by a done callback when it finishes.
 *
 * ```python
 * import asyncio
 *
 * # Background task pattern
 * background_tasks = set()
 *
 * async def background_work(name: str):
 *     await asyncio.sleep(2)
 *     print(f"{name} completed")
 *
 * async def start_background_task(name: str):
 *     task = asyncio.create_task(background_work(name))
 *     background_tasks.add(task)
 *     task.add_done_callback(background_tasks.discard)
 * ```
 *
 * The tutorial gives the pattern without a `main`; this one starts two jobs and watches the set
 * empty itself:
 *
 * ```python
 * async def main():
 *     await start_background_task("job-1")
 *     await start_background_task("job-2")
 *     print(f"Background tasks: {len(background_tasks)}")
 *     await asyncio.sleep(3)
 *     print(f"Background tasks: {len(background_tasks)}")
 *
 * asyncio.run(main())
 * ```
 *
 * (A JavaScript task is not garbage collected while it runs, but the set still matters: it is
 * how the program knows which jobs are in flight.)
 */
import * as asyncio from "@effect-asyncio/core"
import { Console, Effect } from "effect"
import { runIfMain } from "./script.js"

const backgroundWork = Effect.fn("backgroundWork")(function* (name: string) {
  yield* asyncio.sleep(2)
  yield* Console.log(`${name} completed`)
})

/** Each run of the program gets its own set, as each Python process gets its own module global. */
export const main = Effect.gen(function* () {
  // Background task pattern
  const backgroundTasks = new Set<asyncio.Task<void>>()

  const startBackgroundTask = Effect.fn("startBackgroundTask")(function* (name: string) {
    const task = yield* asyncio.createTask(backgroundWork(name))
    backgroundTasks.add(task)
    task.addDoneCallback((done) => backgroundTasks.delete(done))
  })

  yield* startBackgroundTask("job-1")
  yield* startBackgroundTask("job-2")
  yield* Console.log(`Background tasks: ${backgroundTasks.size}`)
  yield* asyncio.sleep(3)
  yield* Console.log(`Background tasks: ${backgroundTasks.size}`)
})

runIfMain(import.meta.url, main)
