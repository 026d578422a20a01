/**
 * One measured run of one JavaScript contender in a fresh process (spawned by run.ts).
 *
 * Usage: node --expose-gc --import tsx child.ts <contender> <program> <n> <time|mem> <warmupN>
 *
 * Warms the JIT with a run at `warmupN`, collects, then runs at `n` and prints one JSON line
 * (the protocol asyncio_bench.py follows too). In "mem" mode the probe forces a collection while
 * the tasks are pending and records the heap they hold; in "time" mode it does nothing.
 */
import { CPU_PROGRAMS } from "./cpu.js"
import { type ContenderId, PROGRAMS } from "./scenarios.js"

type Gc = () => void

const gc = (globalThis as { gc?: Gc }).gc

const main = async (): Promise<void> => {
  const [contender, program, nArg, mode, warmupArg] = process.argv.slice(2)
  // the CPU-bound row's programs start their workers and warm up inside their one run (cpu.ts)
  const selfWarming = CPU_PROGRAMS[program ?? ""]
  const run = selfWarming ?? PROGRAMS[program ?? ""]?.[contender as Exclude<ContenderId, "asyncio">]
  if (run === undefined) throw new Error(`no program ${contender}/${program}`)
  if (gc === undefined) throw new Error("run with --expose-gc")
  const n = Number(nArg)
  const warmupN = Number(warmupArg)

  // two warm-up runs: the JIT has seen every path (and optimised the hot ones) before we time
  if (selfWarming === undefined) {
    await run(warmupN, () => {})
    await run(warmupN, () => {})
  }
  gc()
  const rssBeforeKb = Math.round(process.memoryUsage.rss() / 1024)

  let heapPerPending: number | null = null
  let probe = () => {}
  if (mode === "mem") {
    gc()
    const base = process.memoryUsage().heapUsed
    probe = () => {
      if (heapPerPending !== null) return
      gc()
      heapPerPending = (process.memoryUsage().heapUsed - base) / n
    }
  }
  const wallMs = await run(n, probe)
  const maxRssKb = process.resourceUsage().maxRSS // KiB
  process.stdout.write(`${JSON.stringify({ wallMs, rssBeforeKb, maxRssKb, heapPerPending })}\n`)
}

main().then(
  () => process.exit(0), // leftover timers (a Promise scenario's) must not keep the process alive
  (error: unknown) => {
    console.error(error)
    process.exit(1)
  }
)
