/**
 * The benchmark scenarios, one program per contender: effect-asyncio ("ours"), raw Effect 4
 * written the idiomatic way, plain Promises where the scenario has a Promise form, and CPython
 * asyncio (the same scenario in asyncio_bench.py, under the same id).
 *
 * Every program takes the size `n` and a `probe`; it calls `probe()` once, at the point where
 * its tasks are all created and pending, which is where the memory run samples the heap. A
 * contender left `undefined` has no form of the scenario (or its API has not landed yet): the
 * table shows "n/a", never a made-up figure.
 */
import { setTimeout as sleepMillis } from "node:timers/promises"
import * as asyncio from "@effect-asyncio/core"
import { Effect, Exit, Fiber, FiberSet, Queue, Semaphore } from "effect"

/** Called once while the scenario's tasks are all pending (a heap sample in the memory run). */
export type Probe = () => void

/** A program measured by the child: resolves with its wall time in milliseconds. */
export type Program = (n: number, probe: Probe) => Promise<number>

export type ContenderId = "ours" | "effect" | "promise" | "asyncio"

export const CONTENDERS: ReadonlyArray<ContenderId> = ["ours", "effect", "promise", "asyncio"]

export interface Scenario {
  /** Unique row id, used on the command line and in the JSON. */
  readonly id: string
  /** The program name shared by child.ts and asyncio_bench.py. */
  readonly program: string
  readonly title: string
  /** Full size and CI smoke size. */
  readonly n: number
  readonly smokeN: number
  /** What one of `n` is, for the per-unit cost column. */
  readonly unit: "task" | "item"
  /** Whether `probe` marks a point where `n` tasks are pending (else memory is per unit, RSS only). */
  readonly pendingProbe: boolean
}

const HOUR_SECONDS = 3600

const now = () => performance.now()

/** Time an effect from inside the runtime, so runtime setup is outside the figure (as in Python). */
const timed = <E, R>(effect: Effect.Effect<void, E, R>): Effect.Effect<number, E, R> =>
  Effect.suspend(() => {
    const start = now()
    return Effect.map(effect, () => now() - start)
  })

const viaOurs =
  (
    body: (n: number, probe: Probe) => Effect.Effect<void, unknown, asyncio.EventLoop>,
    options: asyncio.RunOptions = {}
  ): Program =>
  (n, probe) =>
    asyncio.run(timed(body(n, probe)), { handleSigint: false, ...options })

const viaEffect =
  (body: (n: number, probe: Probe) => Effect.Effect<void, unknown>): Program =>
  (n, probe) =>
    Effect.runPromise(timed(body(n, probe)))

const viaPromise =
  (body: (n: number, probe: Probe) => Promise<void>): Program =>
  async (n, probe) => {
    const start = now()
    await body(n, probe)
    return now() - start
  }

/** A Promise "task" that yields once: one microtask turn, the Promise floor of `sleep(0)`. */
const yieldOnce = async (): Promise<void> => {
  await null
}

// ---------------------------------------------------------------------------------------------
// effect-asyncio

const tasksBody = (n: number, probe: Probe) =>
  Effect.gen(function* () {
    const tasks: Array<asyncio.Task<void>> = []
    for (let i = 0; i < n; i++) tasks.push(yield* asyncio.createTask(asyncio.sleep(0)))
    probe()
    for (const task of tasks) yield* task
  })

const oursTasks = viaOurs(tasksBody)

/** The same program monitored (`monitor: true`: the socket, and a record per task). */
const oursTasksMonitored = viaOurs(tasksBody, { monitor: true })

/** The same program with a span per task (`tracing: true`, Effect's default tracer). */
const oursTasksTraced = viaOurs(tasksBody, { tracing: true })

const oursCancel = viaOurs((n, probe) =>
  Effect.gen(function* () {
    const tasks: Array<asyncio.Task<void>> = []
    for (let i = 0; i < n; i++) tasks.push(yield* asyncio.createTask(asyncio.sleep(HOUR_SECONDS)))
    yield* asyncio.sleep(0) // every task starts and blocks on its sleep
    probe()
    for (const task of tasks) yield* task.cancel()
    for (const task of tasks) {
      const exit = yield* Effect.exit(task)
      if (Exit.isSuccess(exit)) return yield* Effect.die("a cancelled task succeeded")
    }
  })
)

const oursNoSuspend = (eager: boolean): Program =>
  viaOurs(
    (n, probe) =>
      Effect.gen(function* () {
        const tasks: Array<asyncio.Task<number>> = []
        for (let i = 0; i < n; i++) tasks.push(yield* asyncio.createTask(Effect.succeed(i)))
        probe()
        for (const task of tasks) yield* task
      }),
    { eagerTaskFactory: eager }
  )

/** Calls `probe` in the first child to resume: by then gather has created every task. */
const probeOnce = (probe: Probe): Effect.Effect<void> => {
  let probed = false
  return Effect.sync(() => {
    if (probed) return
    probed = true
    probe()
  })
}

// a new effect per child, as asyncio gets a new coroutine per call: gather runs the same
// object passed twice only once (asyncio's arg_to_fut)
const oursGather = viaOurs((n, probe) => {
  const probeFirst = probeOnce(probe)
  return Effect.asVoid(
    asyncio.gather(...Array.from({ length: n }, () => Effect.andThen(asyncio.sleep(0), probeFirst)))
  )
})

const oursWaitFor = viaOurs((n, probe) =>
  Effect.gen(function* () {
    const tasks: Array<asyncio.Task<void, asyncio.TimeoutError>> = []
    for (let i = 0; i < n; i++) tasks.push(yield* asyncio.createTask(asyncio.waitFor(asyncio.sleep(0), 10)))
    probe()
    for (const task of tasks) yield* task
  })
)

const oursTaskGroup = viaOurs((n, probe) =>
  Effect.asVoid(
    asyncio.TaskGroup.run((tg) =>
      Effect.gen(function* () {
        for (let i = 0; i < n; i++) yield* tg.createTask(asyncio.sleep(0))
        probe()
      })
    )
  )
)

const oursSemaphore = viaOurs((n, probe) =>
  Effect.gen(function* () {
    const semaphore = new asyncio.Semaphore(100)
    const tasks: Array<asyncio.Task<void>> = []
    for (let i = 0; i < n; i++) tasks.push(yield* asyncio.createTask(semaphore.use(asyncio.sleep(0))))
    probe()
    for (const task of tasks) yield* task
  })
)

const oursQueue = viaOurs((n) =>
  Effect.gen(function* () {
    const queue = new asyncio.Queue<number>({ maxsize: 1000 })
    const consumer = Effect.gen(function* () {
      let count = 0
      while ((yield* queue.get()) >= 0) count++
      return count
    })
    const consumers: Array<asyncio.Task<number, asyncio.QueueShutDown>> = []
    for (let i = 0; i < 4; i++) consumers.push(yield* asyncio.createTask(consumer))
    for (let i = 0; i < n; i++) yield* queue.put(i)
    for (let i = 0; i < 4; i++) yield* queue.put(-1)
    let total = 0
    for (const task of consumers) total += yield* task
    if (total !== n) return yield* Effect.die(`queue lost items: ${total} of ${n}`)
  })
)

// ---------------------------------------------------------------------------------------------
// raw Effect 4, idiomatic

const effectTasks = viaEffect((n, probe) =>
  Effect.gen(function* () {
    const fibers: Array<Fiber.Fiber<void>> = []
    for (let i = 0; i < n; i++) fibers.push(yield* Effect.forkChild(Effect.yieldNow))
    probe()
    for (const fiber of fibers) yield* Fiber.join(fiber)
  })
)

const effectGather = viaEffect((n, probe) => {
  const probeFirst = probeOnce(probe)
  return Effect.asVoid(
    Effect.all(
      Array.from({ length: n }, () => Effect.andThen(Effect.yieldNow, probeFirst)),
      { concurrency: "unbounded" }
    )
  )
})

const effectTaskGroup = viaEffect((n, probe) =>
  Effect.scoped(
    Effect.gen(function* () {
      const set = yield* FiberSet.make<void>()
      const run = FiberSet.run(set)
      for (let i = 0; i < n; i++) yield* run(Effect.yieldNow)
      probe()
      yield* FiberSet.awaitEmpty(set)
    })
  )
)

const effectSemaphore = viaEffect((n, probe) =>
  Effect.gen(function* () {
    const semaphore = yield* Semaphore.make(100)
    const child = Semaphore.withPermit(semaphore, Effect.yieldNow)
    const fibers: Array<Fiber.Fiber<void>> = []
    for (let i = 0; i < n; i++) fibers.push(yield* Effect.forkChild(child))
    probe()
    for (const fiber of fibers) yield* Fiber.join(fiber)
  })
)

const effectQueue = viaEffect((n) =>
  Effect.gen(function* () {
    const queue = yield* Queue.bounded<number>(1000)
    const consumer = Effect.gen(function* () {
      let count = 0
      while ((yield* Queue.take(queue)) >= 0) count++
      return count
    })
    const consumers: Array<Fiber.Fiber<number>> = []
    for (let i = 0; i < 4; i++) consumers.push(yield* Effect.forkChild(consumer))
    for (let i = 0; i < n; i++) yield* Queue.offer(queue, i)
    for (let i = 0; i < 4; i++) yield* Queue.offer(queue, -1)
    let total = 0
    for (const fiber of consumers) total += yield* Fiber.join(fiber)
    if (total !== n) return yield* Effect.die(`queue lost items: ${total} of ${n}`)
  })
)

const effectCancel = viaEffect((n, probe) =>
  Effect.gen(function* () {
    const fibers: Array<Fiber.Fiber<void>> = []
    for (let i = 0; i < n; i++) fibers.push(yield* Effect.forkChild(Effect.sleep(`${HOUR_SECONDS} seconds`)))
    yield* Effect.yieldNow
    probe()
    yield* Fiber.interruptAll(fibers)
  })
)

const effectWaitFor = viaEffect((n, probe) =>
  Effect.gen(function* () {
    const child = Effect.timeout(Effect.yieldNow, "10 seconds")
    const fibers: Array<Fiber.Fiber<void, unknown>> = []
    for (let i = 0; i < n; i++) fibers.push(yield* Effect.forkChild(child))
    probe()
    for (const fiber of fibers) yield* Fiber.join(fiber)
  })
)

const effectNoSuspend = (startImmediately: boolean): Program =>
  viaEffect((n, probe) =>
    Effect.gen(function* () {
      const fibers: Array<Fiber.Fiber<number>> = []
      for (let i = 0; i < n; i++)
        fibers.push(yield* Effect.forkChild(Effect.succeed(i), { startImmediately }))
      probe()
      for (const fiber of fibers) yield* Fiber.join(fiber)
    })
  )

// ---------------------------------------------------------------------------------------------
// plain Promises: the floor in JavaScript

const promiseTasks = viaPromise(async (n, probe) => {
  const promises: Array<Promise<void>> = []
  for (let i = 0; i < n; i++) promises.push(yieldOnce())
  probe()
  for (const promise of promises) await promise
})

const promiseGather = viaPromise(async (n, probe) => {
  const promises: Array<Promise<void>> = []
  for (let i = 0; i < n; i++) promises.push(yieldOnce())
  probe()
  await Promise.all(promises)
})

const promiseCancel = viaPromise(async (n, probe) => {
  const controllers: Array<AbortController> = []
  const promises: Array<Promise<unknown>> = []
  for (let i = 0; i < n; i++) {
    const controller = new AbortController()
    controllers.push(controller)
    promises.push(sleepMillis(HOUR_SECONDS * 1000, undefined, { signal: controller.signal }).catch(() => {}))
  }
  await null
  probe()
  for (const controller of controllers) controller.abort()
  for (const promise of promises) await promise
})

/** The Promise form of wait_for: race against a timer, cleared once the promise settles. */
const withTimeout = <A>(promise: Promise<A>, millis: number): Promise<A> =>
  new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("timeout")), millis)
    promise.then(
      (value) => {
        clearTimeout(timer)
        resolve(value)
      },
      (error: unknown) => {
        clearTimeout(timer)
        reject(error)
      }
    )
  })

const promiseWaitFor = viaPromise(async (n, probe) => {
  const promises: Array<Promise<void>> = []
  for (let i = 0; i < n; i++) promises.push(withTimeout(yieldOnce(), 10_000))
  probe()
  for (const promise of promises) await promise
})

/** An async function runs eagerly up to its first await; `.then` defers it by one microtask. */
const promiseNoSuspend = (eager: boolean): Program =>
  viaPromise(async (n, probe) => {
    const promises: Array<Promise<number>> = []
    for (let i = 0; i < n; i++) {
      const value = i
      promises.push(eager ? (async () => value)() : Promise.resolve().then(() => value))
    }
    probe()
    for (const promise of promises) await promise
  })

// ---------------------------------------------------------------------------------------------

/** The JavaScript programs by scenario program name; asyncio's live in asyncio_bench.py. */
export const PROGRAMS: Record<
  string,
  { readonly [C in Exclude<ContenderId, "asyncio">]?: Program | undefined }
> = {
  tasks: { ours: oursTasks, effect: effectTasks, promise: promiseTasks },
  tasksMonitored: { ours: oursTasksMonitored },
  tasksTraced: { ours: oursTasksTraced },
  gather: { ours: oursGather, effect: effectGather, promise: promiseGather },
  taskgroup: { ours: oursTaskGroup, effect: effectTaskGroup, promise: promiseGather },
  semaphore: { ours: oursSemaphore, effect: effectSemaphore },
  queue: { ours: oursQueue, effect: effectQueue },
  cancel: { ours: oursCancel, effect: effectCancel, promise: promiseCancel },
  waitFor: { ours: oursWaitFor, effect: effectWaitFor, promise: promiseWaitFor },
  eager: { ours: oursNoSuspend(true), effect: effectNoSuspend(true), promise: promiseNoSuspend(true) },
  lazy: { ours: oursNoSuspend(false), effect: effectNoSuspend(false), promise: promiseNoSuspend(false) }
}

/** Programs of effect-asyncio's own options, which asyncio has no counterpart of. */
export const OURS_ONLY: ReadonlySet<string> = new Set(["tasksMonitored", "tasksTraced"])

export const SCENARIOS: ReadonlyArray<Scenario> = [
  {
    id: "tasks-10k",
    program: "tasks",
    title: "create + await N tasks (yield once)",
    n: 10_000,
    smokeN: 1000,
    unit: "task",
    pendingProbe: true
  },
  {
    id: "tasks-100k",
    program: "tasks",
    title: "create + await N tasks (yield once)",
    n: 100_000,
    smokeN: 1000,
    unit: "task",
    pendingProbe: true
  },
  {
    id: "tasks-1m",
    program: "tasks",
    title: "create + await N tasks (yield once)",
    n: 1_000_000,
    smokeN: 1000,
    unit: "task",
    pendingProbe: true
  },
  {
    id: "monitor-100k",
    program: "tasksMonitored",
    title: "tasks-100k with the monitor on (cost per task: this row minus tasks-100k)",
    n: 100_000,
    smokeN: 1000,
    unit: "task",
    pendingProbe: true
  },
  {
    id: "tracing-100k",
    program: "tasksTraced",
    title: "tasks-100k with tracing on (a span per task, default tracer)",
    n: 100_000,
    smokeN: 1000,
    unit: "task",
    pendingProbe: true
  },
  {
    id: "gather-100k",
    program: "gather",
    title: "gather of N",
    n: 100_000,
    smokeN: 1000,
    unit: "task",
    pendingProbe: false
  },
  {
    id: "taskgroup-100k",
    program: "taskgroup",
    title: "TaskGroup of N",
    n: 100_000,
    smokeN: 1000,
    unit: "task",
    pendingProbe: true
  },
  {
    id: "semaphore-100k",
    program: "semaphore",
    title: "N tasks through Semaphore(100)",
    n: 100_000,
    smokeN: 1000,
    unit: "task",
    pendingProbe: true
  },
  {
    id: "queue-1m",
    program: "queue",
    title: "N items, Queue(1000), 1 producer 4 consumers",
    n: 1_000_000,
    smokeN: 1000,
    unit: "item",
    pendingProbe: false
  },
  {
    id: "cancel-100k",
    program: "cancel",
    title: "cancel N tasks blocked on sleep(3600), await them",
    n: 100_000,
    smokeN: 1000,
    unit: "task",
    pendingProbe: true
  },
  {
    id: "waitFor-100k",
    program: "waitFor",
    title: "N waitFor(sleep(0), 10) finishing in time",
    n: 100_000,
    smokeN: 1000,
    unit: "task",
    pendingProbe: true
  },
  {
    id: "eager-100k",
    program: "eager",
    title: "N eager tasks, no suspension",
    n: 100_000,
    smokeN: 1000,
    unit: "task",
    pendingProbe: true
  },
  {
    id: "lazy-100k",
    program: "lazy",
    title: "N lazy tasks, no suspension",
    n: 100_000,
    smokeN: 1000,
    unit: "task",
    pendingProbe: true
  }
]
