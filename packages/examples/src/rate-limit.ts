/**
 * Tutorial, "Common Patterns and Best Practices": rate limiting with `Semaphore(3)`, so at
 * most three of the ten fetches run at a time: 10 fetches of 1 s take 4 s.
 *
 * ```python
 * import asyncio
 * from asyncio import Semaphore
 *
 * # Rate limiting with semaphore
 * async def rate_limited_fetch(sem: Semaphore, url: str):
 *     async with sem:  # Only N tasks run concurrently
 *         print(f"Fetching {url}")
 *         await asyncio.sleep(1)  # Simulate request
 *         return f"Data from {url}"
 *
 * async def main():
 *     # Limit to 3 concurrent requests
 *     sem = Semaphore(3)
 *
 *     urls = [f"https://api.example.com/item/{i}" for i in range(10)]
 *     tasks = [rate_limited_fetch(sem, url) for url in urls]
 *
 *     results = await asyncio.gather(*tasks)
 *     print(f"Fetched {len(results)} items")
 *
 * asyncio.run(main())
 * ```
 */
import * as asyncio from "@effect-asyncio/core"
import { Console, Effect } from "effect"
import { runIfMain } from "./script.js"

// Rate limiting with semaphore
const rateLimitedFetch = (sem: asyncio.Semaphore, url: string) =>
  // `async with sem:` is `sem.use(body)`: only N tasks run the body concurrently
  sem.use(
    Effect.gen(function* () {
      yield* Console.log(`Fetching ${url}`)
      yield* asyncio.sleep(1) // Simulate request
      return `Data from ${url}`
    })
  )

export const main = Effect.gen(function* () {
  // Limit to 3 concurrent requests
  const sem = new asyncio.Semaphore(3)

  const urls = Array.from({ length: 10 }, (_, i) => `https://api.example.com/item/${i}`)
  const tasks = urls.map((url) => rateLimitedFetch(sem, url))

  const results = yield* asyncio.gather(...tasks)
  yield* Console.log(`Fetched ${results.length} items`)
})

runIfMain(import.meta.url, main)
