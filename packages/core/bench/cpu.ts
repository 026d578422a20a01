/**
 * The CPU-bound row of `pnpm bench`: N pure computations (`fib(30)`) on the loop, through
 * `toThread` with a default executor of 1 or 2 worker threads, and through a
 * `ProcessPoolExecutor` of 2 processes; asyncio_bench.py has CPython's twins (on the loop,
 * `to_thread` with 2 threads: the GIL runs them one at a time, and `ProcessPoolExecutor(2)`).
 *
 * Every program starts its workers before it starts the clock (a file rendezvous: each worker
 * runs one call until all are in), so a figure is the computations and their messages, not the
 * start-up of threads or processes (under tsx a worker takes one to three seconds to start).
 * Each program warms itself up, so child.ts runs it once.
 */
import { rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import { fib, work } from "./cpu-work.js"
import type { Program } from "./scenarios.js"

/** The computation of every call: `fib(30)`, about 10 ms in V8 and 130 ms in CPython 3.13. */
export const FIB = 30

/** Starts `workers` workers of `executor` (undefined: the default executor) and waits for them. */
const startWorkers = (executor: asyncio.Executor | undefined, workers: number) =>
  Effect.gen(function* () {
    const loop = yield* asyncio.getRunningLoop
    const file = join(tmpdir(), `effect-asyncio-bench-${process.pid}-${Date.now()}.txt`)
    const met = yield* asyncio.gather(
      ...Array.from({ length: workers }, () => loop.runInExecutor(executor, work.rendezvous, file, workers))
    )
    rmSync(file, { force: true })
    if (!met.every(Boolean)) return yield* Effect.die(`the ${workers} workers did not all start`)
  })

const timedRun =
  (
    body: (n: number) => Effect.Effect<void, unknown, asyncio.EventLoop>,
    setup: Effect.Effect<void, unknown, asyncio.EventLoop>
  ): Program =>
  (n) =>
    asyncio.run(
      Effect.gen(function* () {
        yield* setup
        const start = performance.now()
        yield* body(n)
        return performance.now() - start
      }),
      { handleSigint: false }
    )

/** N computations on the loop, one task each (they run one after the other). */
const onLoop: Program = timedRun(
  (n) => Effect.asVoid(asyncio.gather(...Array.from({ length: n }, () => Effect.sync(() => fib(FIB))))),
  Effect.sync(() => {
    for (let i = 0; i < 5; i++) fib(25) // the JIT warmed, as the workers are
  })
)

/** N `toThread` calls, with a default executor of `workers` threads. */
const throughThreads = (workers: number): Program => {
  const setup = Effect.gen(function* () {
    const loop = yield* asyncio.getRunningLoop
    loop.setDefaultExecutor(new asyncio.ThreadPoolExecutor({ maxWorkers: workers }))
    yield* startWorkers(undefined, workers)
  })
  return timedRun(
    (n) => Effect.asVoid(asyncio.gather(...Array.from({ length: n }, () => asyncio.toThread(work.fib, FIB)))),
    setup
  )
}

/** N calls through a `ProcessPoolExecutor` of `workers` processes. */
const throughProcesses = (workers: number): Program => {
  const pool = new asyncio.ProcessPoolExecutor({ maxWorkers: workers })
  return timedRun(
    (n) =>
      Effect.gen(function* () {
        const loop = yield* asyncio.getRunningLoop
        yield* asyncio.gather(...Array.from({ length: n }, () => loop.runInExecutor(pool, work.fib, FIB)))
        yield* pool.shutdown({ wait: false })
      }),
    startWorkers(pool, workers)
  )
}

/** The contenders of the row, by program name (child.ts runs them as the contender "ours"). */
export const CPU_PROGRAMS: Record<string, Program> = {
  "cpu-loop": onLoop,
  "cpu-threads-1": throughThreads(1),
  "cpu-threads-2": throughThreads(2),
  "cpu-processes-2": throughProcesses(2)
}

/** What the row's table shows for each program, JavaScript's and CPython's (asyncio_bench.py). */
export const CPU_CONTENDERS: ReadonlyArray<{
  readonly program: string
  readonly runtime: "node" | "python"
  readonly label: string
  /** the program of the same runtime its speed-up is measured against */
  readonly baseline: string
}> = [
  { program: "cpu-loop", runtime: "node", label: "ours: on the loop", baseline: "cpu-loop" },
  {
    program: "cpu-threads-1",
    runtime: "node",
    label: "ours: toThread, 1 worker thread",
    baseline: "cpu-loop"
  },
  {
    program: "cpu-threads-2",
    runtime: "node",
    label: "ours: toThread, 2 worker threads",
    baseline: "cpu-loop"
  },
  {
    program: "cpu-processes-2",
    runtime: "node",
    label: "ours: ProcessPoolExecutor, 2 processes",
    baseline: "cpu-loop"
  },
  { program: "cpu-loop", runtime: "python", label: "asyncio: on the loop", baseline: "cpu-loop" },
  {
    program: "cpu-threads-2",
    runtime: "python",
    label: "asyncio: to_thread, 2 threads",
    baseline: "cpu-loop"
  },
  {
    program: "cpu-processes-2",
    runtime: "python",
    label: "asyncio: ProcessPoolExecutor(2)",
    baseline: "cpu-loop"
  }
]
