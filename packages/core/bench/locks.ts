/**
 * Benchmarks of locks and queues, side by side with the closest raw Effect primitive
 * (CPython 3.13's figures come from `locks.py` in this folder).
 *
 *   node_modules/.bin/tsx --conditions=@effect-asyncio/source packages/core/bench/locks.ts
 *
 * 1. 100k tasks through a Semaphore(100): each task acquires, yields once, releases.
 * 2. 1M items through a bounded queue (maxsize 1000), one producer, four consumers.
 */
import * as asyncio from "@effect-asyncio/core"
import { type Cause, Effect, Fiber, Queue, Semaphore } from "effect"

const TASKS = 100_000
const ITEMS = 1_000_000

const time = async (name: string, run: () => Promise<unknown>): Promise<number> => {
  const start = performance.now()
  await run()
  const seconds = (performance.now() - start) / 1000
  console.log(`${name.padEnd(44)} ${seconds.toFixed(3)} s`)
  return seconds
}

const semaphoreOurs = Effect.gen(function* () {
  const sem = new asyncio.Semaphore(100)
  let done = 0
  const tasks = []
  for (let i = 0; i < TASKS; i++) {
    tasks.push(
      yield* asyncio.createTask(
        sem.use(
          Effect.andThen(
            asyncio.sleep(0),
            Effect.sync(() => (done += 1))
          )
        )
      )
    )
  }
  for (const task of tasks) yield* task
  if (done !== TASKS) throw new Error(`semaphore: ${done} tasks done`)
})

/** The same tasks without the semaphore: what the task machinery alone costs. */
const tasksOnly = Effect.gen(function* () {
  let done = 0
  const tasks = []
  for (let i = 0; i < TASKS; i++) {
    tasks.push(
      yield* asyncio.createTask(
        Effect.andThen(
          asyncio.sleep(0),
          Effect.sync(() => (done += 1))
        )
      )
    )
  }
  for (const task of tasks) yield* task
  if (done !== TASKS) throw new Error(`tasks: ${done} done`)
})

const semaphoreEffect = Effect.gen(function* () {
  const sem = yield* Semaphore.make(100)
  let done = 0
  const fibers = []
  for (let i = 0; i < TASKS; i++) {
    fibers.push(
      yield* Effect.forkChild(
        sem.withPermits(1)(
          Effect.andThen(
            Effect.yieldNow,
            Effect.sync(() => (done += 1))
          )
        )
      )
    )
  }
  yield* Fiber.joinAll(fibers)
  if (done !== TASKS) throw new Error(`semaphore: ${done} fibers done`)
})

/** The idiomatic Effect way to bound concurrency: no semaphore waiters at all. */
const forEachEffect = Effect.gen(function* () {
  let done = 0
  yield* Effect.forEach(
    Array.from({ length: TASKS }, (_, i) => i),
    () =>
      Effect.andThen(
        Effect.yieldNow,
        Effect.sync(() => (done += 1))
      ),
    { concurrency: 100, discard: true }
  )
  if (done !== TASKS) throw new Error(`forEach: ${done} done`)
})

const queueOurs = Effect.gen(function* () {
  const q = new asyncio.Queue<number>({ maxsize: 1000 })
  let sum = 0
  const consumer = Effect.forever(Effect.flatMap(q.get(), (item) => Effect.sync(() => (sum += item)))).pipe(
    Effect.catchTag("QueueShutDown", () => Effect.void)
  )
  const consumers = []
  for (let i = 0; i < 4; i++) consumers.push(yield* asyncio.createTask(consumer))
  for (let i = 0; i < ITEMS; i++) yield* q.put(i)
  yield* q.shutdown()
  for (const task of consumers) yield* task
  if (sum !== (ITEMS * (ITEMS - 1)) / 2) throw new Error(`queue: wrong sum ${sum}`)
})

const queueEffect = Effect.gen(function* () {
  const q = yield* Queue.bounded<number, Cause.Done>(1000)
  let sum = 0
  const consumer = Effect.forever(
    Effect.flatMap(Queue.take(q), (item) => Effect.sync(() => (sum += item)))
  ).pipe(Effect.catch(() => Effect.void))
  const consumers = []
  for (let i = 0; i < 4; i++) consumers.push(yield* Effect.forkChild(consumer))
  for (let i = 0; i < ITEMS; i++) yield* Queue.offer(q, i)
  yield* Queue.end(q)
  yield* Fiber.joinAll(consumers)
  if (sum !== (ITEMS * (ITEMS - 1)) / 2) throw new Error(`queue: wrong sum ${sum}`)
})

const main = async () => {
  const rounds = Number(process.env.ROUNDS ?? 3)
  console.log(`node ${process.version}`)
  for (let round = 0; round < rounds; round++) {
    console.log(`-- round ${round + 1}`)
    await time("Semaphore(100), 100k tasks: effect-asyncio", () => asyncio.run(semaphoreOurs))
    await time("100k tasks, no semaphore: effect-asyncio", () => asyncio.run(tasksOnly))
    // Effect 4.1.0's Semaphore copies its whole waiter set on every release: quadratic with
    // 100k waiters (minutes), so it runs in the first round only
    if (round === 0 && process.env.SKIP_EFFECT_SEMAPHORE === undefined) {
      await time("Semaphore(100), 100k fibers: Effect Semaphore", () => Effect.runPromise(semaphoreEffect))
    }
    await time("forEach concurrency 100, 100k: Effect", () => Effect.runPromise(forEachEffect))
    await time("Queue(1000), 1M items 1→4: effect-asyncio", () => asyncio.run(queueOurs))
    await time("Queue(1000), 1M items 1→4: Effect Queue", () => Effect.runPromise(queueEffect))
  }
}

main().catch((error) => {
  console.error(error)
  process.exitCode = 1
})
