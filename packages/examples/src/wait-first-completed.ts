/**
 * Tutorial, "Gathering and Waiting for Tasks": `wait(FIRST_COMPLETED)` races three servers,
 * takes the fastest answer and cancels the rest.
 *
 * ```python
 * import asyncio
 *
 * async def wait_example():
 *     """wait() with FIRST_COMPLETED for racing tasks"""
 *     async def check_server(name: str, delay: float):
 *         await asyncio.sleep(delay)
 *         return f"{name} responded"
 *
 *     tasks = {
 *         asyncio.create_task(check_server("Server-A", 1.5)),
 *         asyncio.create_task(check_server("Server-B", 1.0)),
 *         asyncio.create_task(check_server("Server-C", 2.0)),
 *     }
 *
 *     # Wait for first completion
 *     done, pending = await asyncio.wait(
 *         tasks,
 *         return_when=asyncio.FIRST_COMPLETED
 *     )
 *
 *     # Get the fastest result
 *     fastest = done.pop()
 *     result = await fastest
 *     print(f"Fastest: {result}")
 *
 *     # Cancel the rest
 *     for task in pending:
 *         task.cancel()
 *
 *     await asyncio.gather(*pending, return_exceptions=True)
 *
 * asyncio.run(wait_example())
 * ```
 */
import * as asyncio from "@effect-asyncio/core"
import { Console, Effect } from "effect"
import { runIfMain } from "./script.js"

/** wait() with FIRST_COMPLETED for racing tasks */
export const main = Effect.gen(function* () {
  const checkServer = Effect.fn("checkServer")(function* (name: string, delay: number) {
    yield* asyncio.sleep(delay)
    return `${name} responded`
  })

  const tasks = new Set([
    yield* asyncio.createTask(checkServer("Server-A", 1.5)),
    yield* asyncio.createTask(checkServer("Server-B", 1.0)),
    yield* asyncio.createTask(checkServer("Server-C", 2.0))
  ])

  // Wait for first completion
  const { done, pending } = yield* asyncio.wait(tasks, { returnWhen: asyncio.FIRST_COMPLETED })

  // Get the fastest result (FIRST_COMPLETED returns once at least one task is done)
  const [fastest] = done
  if (fastest === undefined) return
  const result = yield* fastest
  yield* Console.log(`Fastest: ${result}`)

  // Cancel the rest
  for (const task of pending) yield* task.cancel()

  yield* asyncio.gather(...pending, { returnExceptions: true })
})

runIfMain(import.meta.url, main)
