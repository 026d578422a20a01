/**
 * Issue 13, "Threads and processes": a CPU-bound job through `asyncio.to_thread`, while a task
 * keeps ticking on the loop. CPython runs the threads one at a time (the GIL); here each call
 * runs in a worker thread of its own, in parallel, and the loop is free meanwhile.
 *
 * ```python
 * import asyncio
 * import time
 *
 * def count_primes(limit: int) -> int:
 *     """CPU-bound: count the primes below limit by trial division."""
 *     count = 0
 *     for n in range(2, limit):
 *         if all(n % d for d in range(2, int(n ** 0.5) + 1)):
 *             count += 1
 *     return count
 *
 * async def heartbeat(beats: list[float]) -> None:
 *     while True:
 *         beats.append(time.perf_counter())
 *         await asyncio.sleep(0.1)
 *
 * async def main() -> None:
 *     beats: list[float] = []
 *     ticker = asyncio.create_task(heartbeat(beats))
 *     limits = [100_000, 110_000, 120_000, 130_000]
 *     counts = await asyncio.gather(*(asyncio.to_thread(count_primes, n) for n in limits))
 *     for limit, count in zip(limits, counts):
 *         print(f"primes below {limit}: {count}")
 *     print(f"the loop kept ticking: {len(beats) > 1}")
 *     ticker.cancel()
 *
 * asyncio.run(main())
 * ```
 *
 * One difference: `count_primes` is defined in a module of its own (`cpu-work.ts`) and named
 * there with `defineWorkerFunctions`, which a worker thread imports; its argument and result
 * are copied between the threads.
 */
import * as asyncio from "@effect-asyncio/core"
import { Console, Effect } from "effect"
import { work } from "./cpu-work.js"
import { runIfMain } from "./script.js"

const heartbeat = (beats: Array<number>) =>
  Effect.gen(function* () {
    while (true) {
      beats.push(performance.now())
      yield* asyncio.sleep(0.1)
    }
  })

export const main = Effect.gen(function* () {
  const beats: Array<number> = []
  const ticker = yield* asyncio.createTask(heartbeat(beats))
  const limits = [100_000, 110_000, 120_000, 130_000]
  const counts = yield* asyncio.gather(...limits.map((n) => asyncio.toThread(work.countPrimes, n)))
  for (const [i, limit] of limits.entries()) yield* Console.log(`primes below ${limit}: ${counts[i]}`)
  yield* Console.log(`the loop kept ticking: ${beats.length > 1}`)
  yield* ticker.cancel()
})

runIfMain(import.meta.url, main)
