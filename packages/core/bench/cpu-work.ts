/**
 * The worker functions of the CPU-bound bench row (cpu.ts): a module of their own, which every
 * worker thread and process imports.
 */
import { appendFileSync, readFileSync } from "node:fs"
import * as asyncio from "@effect-asyncio/core"

/** The pure computation, the same as asyncio_bench.py's `fib`. */
export const fib = (n: number): number => (n < 2 ? n : fib(n - 1) + fib(n - 2))

/**
 * Waits until `parties` calls have written to `file` (each its own line): only as many workers,
 * each running one call, get past it, so the pool has started them all. Also warms `fib` up.
 */
const rendezvous = (file: string, parties: number): boolean => {
  fib(25)
  appendFileSync(file, `${process.pid}\n`)
  const pause = new Int32Array(new SharedArrayBuffer(4))
  const deadline = Date.now() + 60_000
  while (Date.now() < deadline) {
    if (readFileSync(file, "utf8").split("\n").length - 1 >= parties) return true
    Atomics.wait(pause, 0, 0, 5) // a 5 ms nap: the others start meanwhile
  }
  return false
}

export const work = asyncio.defineWorkerFunctions(import.meta.url, { fib, rendezvous })
