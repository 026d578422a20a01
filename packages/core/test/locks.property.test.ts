/**
 * Property tests: the invariants of locks and queues under random cancellation storms
 * (fast-check drives the schedule; time is virtual).
 */
import { describe, it } from "@effect/vitest"
import * as asyncio from "@effect-asyncio/core"
import { Effect, Exit } from "effect"
import { TestClock } from "effect/testing"
import * as fc from "fast-check"
import { pendingTaskCount, runVirtual } from "./utils/virtual.js"

/** Runs `main` as an asyncio program on virtual time; also gives the loop's leftover tasks. */
const runStorm = <A, E>(
  main: Effect.Effect<A, E, asyncio.EventLoop>
): Promise<{ value: A; leftover: number }> => {
  let loop: asyncio.EventLoopService | undefined
  const program = Effect.gen(function* () {
    loop = yield* asyncio.EventLoop
    return yield* main
  })
  return Effect.runPromise(
    Effect.gen(function* () {
      const { exit } = yield* runVirtual(program)
      if (Exit.isFailure(exit)) return yield* Effect.die(exit.cause)
      return { value: exit.value, leftover: loop === undefined ? -1 : pendingTaskCount(loop) }
    }).pipe(Effect.provide(TestClock.layer()))
  )
}

const tenths = (n: number) => asyncio.sleep(n / 10)

/** A worker: starts after `start`, holds the primitive for `hold`, maybe cancelled at `cancelAt`. */
const workerArb = fc.record({
  start: fc.integer({ min: 0, max: 4 }),
  hold: fc.integer({ min: 0, max: 3 }),
  cancelAt: fc.option(fc.integer({ min: 0, max: 12 }), { nil: undefined })
})

type Worker = { readonly start: number; readonly hold: number; readonly cancelAt: number | undefined }

/** Workers through `use`, cancelled at random: the most holders seen at once, and the end state. */
const holdersStorm = (
  use: <A>(body: Effect.Effect<A>) => Effect.Effect<A, unknown, asyncio.EventLoop>,
  workers: ReadonlyArray<Worker>
) =>
  Effect.gen(function* () {
    let holders = 0
    let maxHolders = 0
    const body = (hold: number) =>
      Effect.gen(function* () {
        holders += 1
        maxHolders = Math.max(maxHolders, holders)
        yield* hold === 0 ? asyncio.sleep(0) : tenths(hold)
      }).pipe(Effect.ensuring(Effect.sync(() => (holders -= 1))))
    const tasks = []
    for (const w of workers) {
      const task = yield* asyncio.createTask(Effect.andThen(tenths(w.start), Effect.exit(use(body(w.hold)))))
      tasks.push(task)
      if (w.cancelAt !== undefined) {
        const at = w.cancelAt
        yield* asyncio.createTask(
          Effect.andThen(at === 0 ? asyncio.sleep(0) : asyncio.sleep(at / 20), task.cancel())
        )
      }
    }
    const outcomes = yield* Effect.forEach(tasks, (task) => Effect.exit(task))
    yield* asyncio.sleep(1) // the cancellers are done by now
    return { maxHolders, holders, cancelled: outcomes.filter(Exit.isFailure).length }
  })

describe("cancellation storms", () => {
  it("Semaphore(k) never has more than k holders; every permit comes back", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 4 }),
        fc.array(workerArb, { minLength: 1, maxLength: 14 }),
        async (k, workers) => {
          const sem = new asyncio.Semaphore(k)
          const { value, leftover } = await runStorm(holdersStorm((body) => sem.use(body), workers))
          return (
            value.maxHolders <= k &&
            value.holders === 0 &&
            sem.permits() === k &&
            sem.waitersCount() === 0 &&
            !sem.locked() &&
            leftover === 0
          )
        }
      ),
      { numRuns: 150 }
    )
  })

  it("BoundedSemaphore(k) is never over-released under cancellation", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 3 }),
        fc.array(workerArb, { minLength: 1, maxLength: 10 }),
        async (k, workers) => {
          const sem = new asyncio.BoundedSemaphore(k)
          const { value } = await runStorm(holdersStorm((body) => sem.use(body), workers))
          return value.maxHolders <= k && sem.permits() === k
        }
      ),
      { numRuns: 80 }
    )
  })

  it("Lock has at most one holder and ends unlocked", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(workerArb, { minLength: 1, maxLength: 14 }), async (workers) => {
        const lock = new asyncio.Lock()
        const { value, leftover } = await runStorm(holdersStorm((body) => lock.use(body), workers))
        return value.maxHolders <= 1 && !lock.locked() && lock.waitersCount() === 0 && leftover === 0
      }),
      { numRuns: 150 }
    )
  })

  it("Condition: notified consumers never lose an item under cancellation", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 8 }),
        fc.array(fc.option(fc.integer({ min: 0, max: 10 }), { nil: undefined }), {
          minLength: 1,
          maxLength: 6
        }),
        async (items, consumers) => {
          const { value } = await runStorm(
            Effect.gen(function* () {
              const condition = new asyncio.Condition()
              let available = 0
              let consumed = 0
              const consumer = condition.use(
                Effect.forever(
                  Effect.gen(function* () {
                    yield* condition.waitFor(() => available > 0)
                    available -= 1
                    consumed += 1
                  })
                )
              )
              const tasks = []
              for (const cancelAt of consumers) {
                const task = yield* asyncio.createTask(consumer)
                tasks.push(task)
                if (cancelAt !== undefined)
                  yield* asyncio.createTask(Effect.andThen(asyncio.sleep(cancelAt / 20), task.cancel()))
              }
              // the producer adds one item at a time and notifies one consumer
              for (let i = 0; i < items; i++) {
                yield* asyncio.sleep(0.05)
                yield* condition.use(
                  Effect.andThen(
                    Effect.sync(() => (available += 1)),
                    condition.notify(1)
                  )
                )
              }
              yield* asyncio.sleep(2)
              const survivors = consumers.filter((c) => c === undefined).length
              const left = available
              for (const task of tasks) yield* task.cancel()
              for (const task of tasks) yield* Effect.exit(task)
              return { consumed, left, survivors }
            })
          )
          // nothing is lost: consumed + left is everything; with a live consumer, nothing is left
          return value.consumed + value.left === items && (value.survivors === 0 || value.left === 0)
        }
      ),
      { numRuns: 100 }
    )
  })

  it("Queue: every item put is got exactly once or still in the queue", async () => {
    const actor = fc.record({
      start: fc.integer({ min: 0, max: 4 }),
      pace: fc.integer({ min: 0, max: 2 }),
      cancelAt: fc.option(fc.integer({ min: 0, max: 30 }), { nil: undefined })
    })
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 3 }),
        fc.array(actor, { minLength: 1, maxLength: 4 }),
        fc.array(actor, { minLength: 1, maxLength: 4 }),
        fc.constantFrom<"fifo" | "lifo" | "priority">("fifo", "lifo", "priority"),
        async (maxsize, producers, consumers, kind) => {
          const q =
            kind === "fifo"
              ? new asyncio.Queue<number>({ maxsize })
              : kind === "lifo"
                ? new asyncio.LifoQueue<number>({ maxsize })
                : new asyncio.PriorityQueue<number>({ maxsize })
          const { value, leftover } = await runStorm(
            Effect.gen(function* () {
              const put: number[] = []
              const got: number[] = []
              const tasks = []
              const pause = (pace: number) => (pace === 0 ? asyncio.sleep(0) : tenths(pace))
              for (const [p, producer] of producers.entries()) {
                tasks.push(
                  yield* asyncio.createTask(
                    Effect.gen(function* () {
                      yield* tenths(producer.start)
                      for (let i = 0; i < 6; i++) {
                        const item = p * 100 + i
                        // recorded in the same step as the put returns: no cancellation point between
                        yield* Effect.tap(q.put(item), () => Effect.sync(() => put.push(item)))
                        yield* pause(producer.pace)
                      }
                    })
                  )
                )
              }
              for (const consumer of consumers) {
                tasks.push(
                  yield* asyncio.createTask(
                    Effect.andThen(
                      tenths(consumer.start),
                      Effect.forever(
                        Effect.andThen(
                          Effect.tap(q.get(), (item) => Effect.sync(() => got.push(item))),
                          pause(consumer.pace)
                        )
                      )
                    )
                  )
                )
              }
              const actors = [...producers, ...consumers]
              for (const [i, a] of actors.entries()) {
                const task = tasks[i]
                if (a.cancelAt !== undefined && task !== undefined) {
                  yield* asyncio.createTask(Effect.andThen(asyncio.sleep(a.cancelAt / 10), task.cancel()))
                }
              }
              yield* asyncio.sleep(10)
              for (const task of tasks) yield* task.cancel()
              for (const task of tasks) yield* Effect.exit(task)
              const remaining: number[] = []
              while (!q.empty()) remaining.push(yield* Effect.orDie(q.getNowait()))
              return { put, got, remaining }
            })
          )
          const seen = [...value.got, ...value.remaining].sort((a, b) => a - b)
          const expected = [...value.put].sort((a, b) => a - b)
          return leftover === 0 && JSON.stringify(seen) === JSON.stringify(expected)
        }
      ),
      { numRuns: 150 }
    )
  })
})

describe("FIFO wake-ups under cancellation", () => {
  /**
   * n waiters queue up in order; some are cancelled while waiting, some right after they were
   * woken (before they ran); the survivors must be served in arrival order.
   */
  const fifoArb = fc.integer({ min: 1, max: 10 }).chain((n) =>
    fc.tuple(
      fc.constant(n),
      fc.array(fc.constantFrom<"none" | "waiting" | "woken">("none", "none", "waiting", "woken"), {
        minLength: n,
        maxLength: n
      })
    )
  )

  const served = (
    kind: "lock" | "semaphore" | "queue" | "condition",
    n: number,
    fates: ReadonlyArray<"none" | "waiting" | "woken">
  ) =>
    Effect.gen(function* () {
      const order: number[] = []
      const lock = new asyncio.Lock()
      const sem = new asyncio.Semaphore(0)
      const queue = new asyncio.Queue<number>()
      const cond = new asyncio.Condition()
      yield* lock.acquire()
      const waitFor = (i: number): Effect.Effect<void, never, asyncio.EventLoop> => {
        const record = Effect.sync(() => void order.push(i))
        switch (kind) {
          case "lock":
            return Effect.andThen(lock.acquire(), Effect.andThen(record, Effect.orDie(lock.release())))
          case "semaphore":
            return Effect.andThen(sem.acquire(), Effect.andThen(record, sem.release()))
          case "queue":
            return Effect.flatMap(Effect.orDie(queue.get()), (item) =>
              Effect.sync(() => void order.push(item === i ? i : -1000 - item))
            )
          case "condition":
            return Effect.orDie(cond.use(Effect.andThen(cond.wait(), record)))
        }
      }
      const tasks = []
      for (let i = 0; i < n; i++) {
        tasks.push(yield* asyncio.createTask(waitFor(i)))
        yield* asyncio.sleep(0) // each waiter is queued before the next one arrives
      }
      for (let i = 0; i < n; i++) if (fates[i] === "waiting") yield* tasks[i]?.cancel() ?? Effect.void
      // one permit, the items, or a notification, handed out in FIFO order
      switch (kind) {
        case "lock":
          yield* Effect.orDie(lock.release())
          break
        case "semaphore":
          yield* sem.release()
          break
        case "queue":
          // items numbered for the survivors, in arrival order
          for (let i = 0; i < n; i++) if (fates[i] === "none") yield* Effect.orDie(queue.putNowait(i))
          break
        case "condition":
          yield* Effect.orDie(cond.use(cond.notifyAll()))
          break
      }
      // cancelled after being woken, before running
      for (let i = 0; i < n; i++) if (fates[i] === "woken") yield* tasks[i]?.cancel() ?? Effect.void
      for (const task of tasks) yield* Effect.exit(task)
      return { order }
    })

  for (const kind of ["lock", "semaphore", "queue", "condition"] as const) {
    it(`${kind}: survivors are served in arrival order`, async () => {
      await fc.assert(
        fc.asyncProperty(fifoArb, async ([n, fates]) => {
          const { value, leftover } = await runStorm(served(kind, n, fates))
          const survivors = fates.flatMap((fate, i) => (fate === "none" ? [i] : []))
          return leftover === 0 && JSON.stringify(value.order) === JSON.stringify(survivors)
        }),
        { numRuns: 150 }
      )
    })
  }
})
