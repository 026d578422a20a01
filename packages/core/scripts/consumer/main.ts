// A user's first program, compiled against the packed package (scripts/consumer-test.sh).
// Every line states what it expects; any difference exits with code 1.
import { inspect } from "node:util"
import * as asyncio from "@effect-asyncio/core"
import { runVirtual } from "@effect-asyncio/core/testing"
import { Cause, Effect, Exit, Schema } from "effect"
import { TestClock } from "effect/testing"

const check = (what: string, actual: unknown, expected: unknown): void => {
  const [a, e] = [JSON.stringify(actual), JSON.stringify(expected)]
  if (a !== e) throw new Error(`${what}: got ${a}, expected ${e}`)
  console.log(`ok  ${what}`)
}

const fetch = (name: string, seconds: number) =>
  Effect.gen(function* () {
    yield* asyncio.sleep(seconds)
    if (name === "bad") return yield* new asyncio.ValueError({ message: `no ${name}` })
    return name.toUpperCase()
  })

const main = Effect.gen(function* () {
  const task = yield* asyncio.createTask(fetch("a", 0.05), { name: "worker" })
  check("inspect(task)", inspect(task), "<Task pending name='worker'>")
  check("String(task)", String(task), "<Task pending name='worker'>")
  check("gather", yield* asyncio.gather(task, fetch("b", 0.01)), ["A", "B"])

  const outcome = yield* asyncio.TaskGroup.run((tg) =>
    Effect.gen(function* () {
      yield* tg.createTask(fetch("bad", 0.01))
      yield* tg.createTask(asyncio.sleep(10))
      return "finished"
    })
  ).pipe(asyncio.exceptStar("ValueError", (eg) => Effect.succeed(eg.exceptions.map((e) => e.message))))
  check("TaskGroup + exceptStar", outcome, ["no bad"])

  const late = yield* asyncio
    .timeout(0.01, asyncio.sleep(1, "late"))
    .pipe(Effect.catchTag("TimeoutError", () => Effect.succeed("timed out")))
  check("timeout", late, "timed out")

  const semaphore = new asyncio.Semaphore(2)
  let running = 0
  let most = 0
  // a new effect per job: gather, as asyncio's, awaits the same awaitable passed twice only once
  const job = () =>
    semaphore.use(
      Effect.gen(function* () {
        most = Math.max(most, ++running)
        yield* asyncio.sleep(0.01)
        running--
      })
    )
  yield* asyncio.gather(job(), job(), job(), job(), job())
  check("Semaphore(2)", [most, inspect(semaphore)], [2, "<Semaphore [unlocked, value:2]>"])

  // @ts-expect-error a primitive's loop binding is internal (stripInternal)
  check("no boundLoop in the types", typeof semaphore.boundLoop, "object")
  // @ts-expect-error the task's wiring is not in its public interface
  check("no schedule() in the types", typeof task.schedule, "function")
  return "done"
})

const encoded = Schema.encodeSync(asyncio.TimeoutError)(new asyncio.TimeoutError({ message: "t" }))
check("a typed error is a Schema", encoded, { _tag: "TimeoutError", message: "t" })
check("run", await asyncio.run(main), "done")
// @ts-expect-error the program needs the loop: a compile error, and at run time the message says what to do
const missing = await Effect.runPromise(asyncio.createTask(fetch("a", 0))).then(String, String)
check(
  "Effect.runPromise without a loop",
  missing.includes("run the program with asyncio.run") || missing,
  true
)
// threads need @effect/platform-node, an optional peer: without it, the library still loads, and
// only a call into a worker says what is missing (threads.ts runs them once it is installed)
const work = asyncio.defineWorkerFunctions(import.meta.url, { double: (n: number) => n * 2 })
const withoutPlatform = await asyncio.run(Effect.exit(asyncio.toThread(work.double, 21)))
check(
  "toThread without @effect/platform-node",
  Exit.isFailure(withoutPlatform) &&
    String(Cause.squash(withoutPlatform.cause)).includes("npm install @effect/platform-node"),
  true
)
const virtual = await Effect.runPromise(
  runVirtual(asyncio.sleep(3600, "an hour")).pipe(Effect.provide(TestClock.layer()))
)
check("runVirtual on TestClock", [Exit.isSuccess(virtual.exit), virtual.elapsed], [true, 3600])
