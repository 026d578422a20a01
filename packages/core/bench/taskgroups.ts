/**
 * Micro-benchmark: a TaskGroup of N children that do nothing, against raw Effect (FiberSet,
 * forkScoped + join) and CPython 3.13's asyncio.TaskGroup.
 *
 *   node_modules/.bin/tsx --conditions=@effect-asyncio/source packages/core/bench/taskgroups.ts [N]
 *
 * Prints the best of 5 runs for each, in milliseconds. CPython runs when `python3.13` is on the
 * PATH (pyenv) or PYTHON points to it.
 */
import { execFileSync } from "node:child_process"
import * as asyncio from "@effect-asyncio/core"
import { Effect, Fiber, FiberSet } from "effect"

const N = Number(process.argv[2] ?? 100_000)
const RUNS = 5

const taskGroup = asyncio.TaskGroup.run((tg) =>
  Effect.gen(function* () {
    for (let i = 0; i < N; i++) yield* tg.createTask(Effect.void)
  })
)

const fiberSet = Effect.scoped(
  Effect.gen(function* () {
    const set = yield* FiberSet.make()
    for (let i = 0; i < N; i++) yield* FiberSet.run(set, Effect.void)
    yield* FiberSet.awaitEmpty(set)
  })
)

const forkScoped = Effect.scoped(
  Effect.gen(function* () {
    const fibers: Array<Fiber.Fiber<void>> = []
    for (let i = 0; i < N; i++) fibers.push(yield* Effect.forkScoped(Effect.void))
    yield* Fiber.joinAll(fibers)
  })
)

const best = async (run: () => Promise<unknown>): Promise<number> => {
  let result = Number.POSITIVE_INFINITY
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now()
    await run()
    result = Math.min(result, performance.now() - start)
  }
  return result
}

const python = `
import asyncio, time, sys
N = ${N}
async def noop():
    pass
async def main():
    async with asyncio.TaskGroup() as tg:
        for _ in range(N):
            tg.create_task(noop())
best = float("inf")
for _ in range(${RUNS}):
    start = time.perf_counter()
    asyncio.run(main())
    best = min(best, time.perf_counter() - start)
print(best * 1000)
`

const cpython = (): number | undefined => {
  try {
    const out = execFileSync(process.env.PYTHON ?? "python3.13", ["-c", python], {
      env: { ...process.env, PYENV_VERSION: "3.13.0" }
    })
    return Number(out.toString().trim())
  } catch {
    return undefined
  }
}

const main = async () => {
  const rows: Array<[string, number | undefined]> = [
    ["effect-asyncio TaskGroup (asyncio.run)", await best(() => asyncio.run(taskGroup))],
    [
      "effect-asyncio TaskGroup, eager tasks",
      await best(() => asyncio.run(taskGroup, { eagerTaskFactory: true }))
    ],
    ["raw Effect FiberSet.run + awaitEmpty", await best(() => Effect.runPromise(fiberSet))],
    ["raw Effect forkScoped + Fiber.joinAll", await best(() => Effect.runPromise(forkScoped))],
    ["CPython 3.13 asyncio.TaskGroup (asyncio.run)", cpython()]
  ]
  console.log(`TaskGroup of ${N} children doing nothing, best of ${RUNS} (ms)`)
  for (const [name, ms] of rows) console.log(`${name.padEnd(48)} ${ms === undefined ? "n/a" : ms.toFixed(1)}`)
}

main()
