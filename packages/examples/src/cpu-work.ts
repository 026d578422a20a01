/**
 * The CPU-bound work of the `cpu-bound` example, in a module of its own: a worker thread imports
 * this module to find `countPrimes` by its name (a closure cannot cross a thread), so it holds
 * only the functions, as a `ProcessPoolExecutor`'s child imports the functions of `__main__`.
 */
import * as asyncio from "@effect-asyncio/core"

/** CPU-bound: count the primes below limit by trial division. */
const countPrimes = (limit: number): number => {
  let count = 0
  for (let n = 2; n < limit; n++) {
    let prime = true
    for (let d = 2; d * d <= n; d++) {
      if (n % d === 0) {
        prime = false
        break
      }
    }
    if (prime) count++
  }
  return count
}

export const work = asyncio.defineWorkerFunctions(import.meta.url, { countPrimes })
