/**
 * Micro-benchmark of the combinators: gather of 100k tasks, and 100k waitFor calls that finish
 * before their deadline, side by side with raw Effect and (when `python3.13` is on the PATH, or
 * PYTHON points to it) CPython 3.13 asyncio.
 *
 * Run: `node_modules/.bin/tsx --conditions=@effect-asyncio/source packages/core/bench/combinators.ts [count]`
 */
import { execFileSync } from "node:child_process"
import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"

const count = Number(process.argv[2] ?? 100_000)
const rounds = 5

/** Median wall-clock milliseconds of `rounds` runs (after one warm-up). */
const time = async (run: () => Promise<unknown>): Promise<number> => {
  await run()
  const samples: Array<number> = []
  for (let i = 0; i < rounds; i++) {
    const start = performance.now()
    await run()
    samples.push(performance.now() - start)
  }
  samples.sort((a, b) => a - b)
  return samples[Math.floor(samples.length / 2)] ?? Number.NaN
}

// the work item of every case: yield once, as `await asyncio.sleep(0); return i`
const work = (i: number) => asyncio.sleep(0, i)

const cases: Record<string, () => Promise<unknown>> = {
  "gather 100k tasks / effect-asyncio": () =>
    Effect.runPromise(asyncio.runEffect(asyncio.gather(...Array.from({ length: count }, (_, i) => work(i))))),
  "gather 100k tasks / raw Effect (Effect.all unbounded)": () =>
    Effect.runPromise(
      Effect.all(
        Array.from({ length: count }, (_, i) => Effect.as(Effect.yieldNow, i)),
        { concurrency: "unbounded" }
      )
    ),
  "100k waitFor in time / effect-asyncio": () =>
    Effect.runPromise(
      asyncio.runEffect(
        Effect.gen(function* () {
          for (let i = 0; i < count; i++) yield* asyncio.waitFor(work(i), 10)
        })
      )
    ),
  "100k waitFor in time / raw Effect (Effect.timeout)": () =>
    Effect.runPromise(
      Effect.gen(function* () {
        for (let i = 0; i < count; i++) yield* Effect.timeout(Effect.as(Effect.yieldNow, i), "10 seconds")
      })
    )
}

const python = `
import asyncio, time, statistics
N = ${count}
async def work(i):
    await asyncio.sleep(0)
    return i
async def gather():
    await asyncio.gather(*(work(i) for i in range(N)))
async def wait_for():
    for i in range(N):
        await asyncio.wait_for(work(i), 10)
for name, main in (("gather 100k tasks / CPython 3.13", gather), ("100k waitFor in time / CPython 3.13", wait_for)):
    asyncio.run(main())
    samples = []
    for _ in range(${rounds}):
        start = time.perf_counter()
        asyncio.run(main())
        samples.append((time.perf_counter() - start) * 1000)
    print(f"{name}\\t{statistics.median(samples):.1f}")
`

const main = async () => {
  console.log(`count=${count}, median of ${rounds} runs after a warm-up (ms)`)
  for (const [name, run] of Object.entries(cases)) console.log(`${name}\t${(await time(run)).toFixed(1)}`)
  const interpreter = process.env.PYTHON ?? "python3.13"
  try {
    process.stdout.write(execFileSync(interpreter, ["-c", python], { encoding: "utf8" }))
  } catch {
    console.log(`(${interpreter} not found: CPython figures skipped)`)
  }
}

main()
