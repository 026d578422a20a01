// Threads and processes from the packed package (scripts/consumer-test.sh, once
// @effect/platform-node is installed): the built worker program (dist/internal/workerHost.js)
// runs this module's functions in worker threads and in a child process, with plain Node.
// Every line states what it expects; any difference exits with code 1.
import { isMainThread } from "node:worker_threads"
import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"

export const work = asyncio.defineWorkerFunctions(import.meta.url, {
  double: (n: number) => n * 2,
  where: () => process.pid,
  fails: (message: string) => Effect.fail(new asyncio.ValueError({ message }))
})

const check = (what: string, actual: unknown, expected: unknown): void => {
  const [a, e] = [JSON.stringify(actual), JSON.stringify(expected)]
  if (a !== e) throw new Error(`${what}: got ${a}, expected ${e}`)
  console.log(`ok  ${what}`)
}

const main = Effect.gen(function* () {
  check(
    "toThread",
    yield* asyncio.gather(asyncio.toThread(work.double, 21), asyncio.toThread(work.double, 1)),
    [42, 2]
  )
  const error = yield* Effect.flip(asyncio.toThread(work.fails, "typed"))
  check(
    "a typed error comes back typed",
    [error instanceof asyncio.ValueError, error.message],
    [true, "typed"]
  )
  const loop = yield* asyncio.getRunningLoop
  const processes = new asyncio.ProcessPoolExecutor({ maxWorkers: 1 })
  const pid = yield* processes.use(loop.runInExecutor(processes, work.where))
  check("ProcessPoolExecutor: another process", pid !== process.pid, true)
})

// the workers import this module too: only the program's own process and thread run it
if (isMainThread && process.send === undefined) {
  asyncio.run(main).then(
    () => console.log("threads: ok"),
    (error: unknown) => {
      console.error(error)
      process.exitCode = 1
    }
  )
}
