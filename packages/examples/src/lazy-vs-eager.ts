/**
 * Tutorial, "Introduction to asyncio Tasks": a coroutine is lazy, a task is eager.
 *
 * ```python
 * import asyncio
 *
 * async def lazy_coroutine():
 *     print("This prints only when awaited")
 *     await asyncio.sleep(1)
 *     return "Done"
 *
 * async def main():
 *     # Creating a coroutine - nothing happens yet
 *     coro = lazy_coroutine()
 *     print("Coroutine created, but not executed")
 *
 *     # Wrapping in a Task - execution starts immediately
 *     task = asyncio.create_task(lazy_coroutine())
 *     print("Task created, already running in background")
 *
 *     await asyncio.sleep(0.5)  # Task is running during this sleep
 *     result = await task  # Just collecting the result
 *     print(result)
 *
 * asyncio.run(main())
 * ```
 *
 * An Effect is a recipe like a coroutine object: building it runs nothing. Python also warns
 * "coroutine 'lazy_coroutine' was never awaited" for `coro`; an effect that never runs did
 * nothing, so there is nothing to warn about.
 */
import * as asyncio from "@effect-asyncio/core"
import { Console, Effect } from "effect"
import { runIfMain } from "./script.js"

const lazyCoroutine = Effect.gen(function* () {
  yield* Console.log("This prints only when awaited")
  yield* asyncio.sleep(1)
  return "Done"
})

export const main = Effect.gen(function* () {
  // Creating a coroutine - nothing happens yet
  const coro = lazyCoroutine
  yield* Console.log("Coroutine created, but not executed")
  void coro // never run: it did nothing, and there is nothing to warn about

  // Wrapping in a Task - execution starts immediately
  const task = yield* asyncio.createTask(lazyCoroutine)
  yield* Console.log("Task created, already running in background")

  yield* asyncio.sleep(0.5) // Task is running during this sleep
  const result = yield* task // Just collecting the result
  yield* Console.log(result)
})

runIfMain(import.meta.url, main)
