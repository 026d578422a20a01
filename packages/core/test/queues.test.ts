/**
 * Ports of CPython 3.13's test_queues.py on virtual time, plus our own checks.
 */
import { assert, describe, it } from "@effect/vitest"
import * as asyncio from "@effect-asyncio/core"
import { Cause, Effect, Exit, Order } from "effect"
import { inTask, runOk } from "./utils/virtual.js"

const sleep0 = asyncio.sleep(0)
const value = <A, E>(main: Effect.Effect<A, E, asyncio.EventLoop>) => Effect.map(runOk(main), (r) => r.value)
const defectOf = <A, E>(exit: Exit.Exit<A, E>): unknown =>
  Exit.isSuccess(exit) ? undefined : exit.cause.reasons.find(Cause.isDieReason)?.defect
/** the tag of the typed failure of `effect` ("ok" if it succeeds) */
const tagOf = <A, E extends { readonly _tag: string }, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.match(effect, { onFailure: (e) => e._tag, onSuccess: () => "ok" })

describe("QueueBasicTests", () => {
  it.effect("test_str: getters, putters and items", () =>
    Effect.gen(function* () {
      const out = yield* value(
        Effect.gen(function* () {
          const reprs: string[] = []
          const q = new asyncio.Queue<number>()
          reprs.push(q.toString())
          const getter = yield* asyncio.createTask(q.get())
          yield* sleep0
          reprs.push(q.toString())
          yield* q.putNowait(0)
          const got = yield* getter
          const q2 = new asyncio.Queue<number>({ maxsize: 1 })
          yield* q2.putNowait(1)
          const putter = yield* asyncio.createTask(q2.put(2))
          yield* sleep0
          reprs.push(q2.toString())
          yield* q2.getNowait()
          yield* putter
          const q3 = new asyncio.Queue<number>()
          yield* q3.putNowait(1)
          reprs.push(q3.toString())
          return { reprs, got, putterDone: putter.done() }
        })
      )
      assert.deepStrictEqual(out, {
        reprs: [
          "<Queue maxsize=0>",
          "<Queue maxsize=0 _getters[1]>",
          "<Queue maxsize=1 _queue=[1] _putters[1] tasks=1>",
          "<Queue maxsize=0 _queue=[1] tasks=1>"
        ],
        got: 0,
        putterDone: true
      })
    })
  )

  it.effect("test_empty: empty until put", () =>
    inTask(
      Effect.gen(function* () {
        const q = new asyncio.Queue<number>()
        assert.isTrue(q.empty())
        yield* q.put(1)
        assert.isFalse(q.empty())
        assert.strictEqual(yield* q.get(), 1)
        assert.isTrue(q.empty())
      })
    )
  )

  it.effect("test_full: an unbounded queue is never full", () =>
    inTask(
      Effect.gen(function* () {
        assert.isFalse(new asyncio.Queue<number>().full())
        const q = new asyncio.Queue<number>({ maxsize: 1 })
        yield* q.put(1)
        assert.isTrue(q.full())
      })
    )
  )

  it.effect("test_order: FIFO", () =>
    inTask(
      Effect.gen(function* () {
        const q = new asyncio.Queue<number>()
        for (const i of [1, 3, 2]) yield* q.put(i)
        assert.deepStrictEqual([yield* q.get(), yield* q.get(), yield* q.get()], [1, 3, 2])
      })
    )
  )

  it.effect("test_maxsize: put blocks while full", () =>
    Effect.gen(function* () {
      const out = yield* value(
        Effect.gen(function* () {
          const q = new asyncio.Queue<number>({ maxsize: 2 })
          const haveBeenPut: number[] = []
          const t = yield* asyncio.createTask(
            Effect.gen(function* () {
              for (let i = 0; i < 3; i++) {
                yield* q.put(i)
                haveBeenPut.push(i)
              }
              return true
            })
          )
          yield* sleep0
          yield* sleep0
          const blocked = [...haveBeenPut]
          const first = yield* q.get()
          yield* sleep0
          const resumed = [...haveBeenPut]
          const rest = [yield* q.get(), yield* q.get()]
          return { maxsize: q.maxsize, blocked, first, resumed, rest, done: t.done(), result: yield* t }
        })
      )
      assert.deepStrictEqual(out, {
        maxsize: 2,
        blocked: [0, 1],
        first: 0,
        resumed: [0, 1, 2],
        rest: [1, 2],
        done: true,
        result: true
      })
    })
  )
})

describe("QueueGetTests", () => {
  it.effect("test_blocking_get: an item is there", () =>
    inTask(
      Effect.gen(function* () {
        const q = new asyncio.Queue<number>()
        yield* q.putNowait(1)
        assert.strictEqual(yield* q.get(), 1)
      })
    )
  )

  it.effect("test_get_with_putters: get wakes a waiting putter", () =>
    Effect.gen(function* () {
      const out = yield* value(
        Effect.gen(function* () {
          const q = new asyncio.Queue<number>({ maxsize: 1 })
          yield* q.put(1)
          const putter = yield* asyncio.createTask(q.put(2))
          yield* sleep0
          const got = yield* q.get()
          yield* sleep0
          return [got, putter.done(), q.qsize()]
        })
      )
      assert.deepStrictEqual(out, [1, true, 1])
    })
  )

  it.effect("test_blocking_get_wait: get waits for a later put", () =>
    Effect.gen(function* () {
      const { value: out, elapsed } = yield* runOk(
        Effect.gen(function* () {
          const q = new asyncio.Queue<number>()
          const started = new asyncio.Event()
          let finished = false
          const task = yield* asyncio.createTask(
            Effect.gen(function* () {
              yield* started.set()
              const res = yield* q.get()
              finished = true
              return res
            })
          )
          yield* started.wait()
          const before = finished
          yield* asyncio.createTask(Effect.andThen(asyncio.sleep(0.01), q.putNowait(1)))
          const res = yield* task
          return [before, finished, res]
        })
      )
      assert.deepStrictEqual(out, [false, true, 1])
      assert.closeTo(elapsed, 0.01, 1e-9)
    })
  )

  it.effect("test_nonblocking_get: getNowait", () =>
    Effect.gen(function* () {
      const q = new asyncio.Queue<number>()
      yield* q.putNowait(1)
      assert.strictEqual(yield* q.getNowait(), 1)
    })
  )

  it.effect("test_nonblocking_get_exception: QueueEmpty", () =>
    Effect.gen(function* () {
      assert.strictEqual(yield* tagOf(new asyncio.Queue<number>().getNowait()), "QueueEmpty")
    })
  )

  it.effect("test_get_cancelled_race: a cancelled getter does not take the item", () =>
    Effect.gen(function* () {
      const out = yield* value(
        Effect.gen(function* () {
          const q = new asyncio.Queue<string>()
          const t1 = yield* asyncio.createTask(q.get())
          const t2 = yield* asyncio.createTask(q.get())
          yield* sleep0
          yield* t1.cancel()
          yield* sleep0
          const done = t1.done()
          yield* q.put("a")
          yield* sleep0
          return [done, yield* t2]
        })
      )
      assert.deepStrictEqual(out, [true, "a"])
    })
  )

  it.effect("test_get_with_waiting_putters: items come in put order", () =>
    Effect.gen(function* () {
      const out = yield* value(
        Effect.gen(function* () {
          const q = new asyncio.Queue<string>({ maxsize: 1 })
          yield* asyncio.createTask(q.put("a"))
          yield* asyncio.createTask(q.put("b"))
          return [yield* q.get(), yield* q.get()]
        })
      )
      assert.deepStrictEqual(out, ["a", "b"])
    })
  )

  it.effect("test_why_are_getters_waiting: producer and consumer through Queue(1)", () =>
    Effect.gen(function* () {
      const out = yield* value(
        Effect.gen(function* () {
          const q = new asyncio.Queue<number>({ maxsize: 1 })
          const got: number[] = []
          const producer = yield* asyncio.createTask(Effect.forEach([0, 1, 2, 3, 4], (i) => q.put(i)))
          const consumer = yield* asyncio.createTask(
            Effect.repeat(
              Effect.flatMap(q.get(), (i) => Effect.sync(() => got.push(i))),
              { times: 4 }
            )
          )
          yield* producer
          yield* consumer
          return got
        })
      )
      assert.deepStrictEqual(out, [0, 1, 2, 3, 4])
    })
  )

  it.effect("test_cancelled_getters_not_being_held_in_self_getters: a timed-out get leaves", () =>
    Effect.gen(function* () {
      const out = yield* value(
        Effect.gen(function* () {
          const q = new asyncio.Queue<number>({ maxsize: 5 })
          const e = yield* Effect.flip(asyncio.waitFor(q.get(), 0.1))
          return [e._tag, q.toString()]
        })
      )
      assert.deepStrictEqual(out, ["TimeoutError", "<Queue maxsize=5>"])
    })
  )
})

describe("QueuePutTests", () => {
  it.effect("test_blocking_put: an unbounded put does not block", () =>
    inTask(
      Effect.gen(function* () {
        const q = new asyncio.Queue<number>()
        yield* q.put(1)
        assert.strictEqual(yield* q.get(), 1)
      })
    )
  )

  it.effect("test_blocking_put_wait: put waits for a later get", () =>
    Effect.gen(function* () {
      const { value: out, elapsed } = yield* runOk(
        Effect.gen(function* () {
          const q = new asyncio.Queue<number>({ maxsize: 1 })
          const started = new asyncio.Event()
          let finished = false
          yield* asyncio.createTask(Effect.andThen(asyncio.sleep(0.01), q.getNowait()))
          const task = yield* asyncio.createTask(
            Effect.gen(function* () {
              yield* started.set()
              yield* q.put(1)
              yield* q.put(2)
              finished = true
            })
          )
          yield* started.wait()
          const before = finished
          yield* task
          return [before, finished]
        })
      )
      assert.deepStrictEqual(out, [false, true])
      assert.closeTo(elapsed, 0.01, 1e-9)
    })
  )

  it.effect("test_nonblocking_put: putNowait", () =>
    Effect.gen(function* () {
      const q = new asyncio.Queue<number>()
      yield* q.putNowait(1)
      assert.strictEqual(yield* q.getNowait(), 1)
    })
  )

  it.effect("test_get_cancel_drop_one_pending_reader: a woken then cancelled get drops nothing", () =>
    Effect.gen(function* () {
      const out = yield* value(
        Effect.gen(function* () {
          const q = new asyncio.Queue<number>()
          const reader = yield* asyncio.createTask(q.get())
          yield* sleep0
          yield* q.putNowait(1)
          yield* q.putNowait(2)
          yield* reader.cancel()
          const first = yield* Effect.exit(reader)
          if (Exit.isSuccess(first)) return first.value
          return yield* yield* asyncio.createTask(q.get())
        })
      )
      // if we got 2, 1 was dropped
      assert.strictEqual(out, 1)
    })
  )

  it.effect("test_get_cancel_drop_many_pending_readers: the other readers get both items", () =>
    Effect.gen(function* () {
      const out = yield* value(
        Effect.gen(function* () {
          const q = new asyncio.Queue<number>()
          const reader1 = yield* asyncio.createTask(q.get())
          const reader2 = yield* asyncio.createTask(q.get())
          const reader3 = yield* asyncio.createTask(q.get())
          yield* sleep0
          yield* q.putNowait(1)
          yield* q.putNowait(2)
          yield* reader1.cancel()
          const e = yield* Effect.flip(reader1)
          const r3 = yield* reader3
          const r2 = yield* reader2
          return [e._tag, [r2, r3].sort()]
        })
      )
      assert.deepStrictEqual(out, ["CancelledError", [1, 2]])
    })
  )

  it.effect("test_put_cancel_drop: a woken then cancelled put inserts nothing", () =>
    Effect.gen(function* () {
      const out = yield* value(
        Effect.gen(function* () {
          const q = new asyncio.Queue<number>({ maxsize: 1 })
          yield* q.putNowait(1)
          const writer = yield* asyncio.createTask(q.put(2))
          yield* sleep0
          const value1 = yield* q.getNowait()
          yield* writer.cancel()
          const exit = yield* Effect.exit(writer)
          if (Exit.isFailure(exit)) yield* yield* asyncio.createTask(q.put(2))
          const value2 = yield* q.getNowait()
          return [value1, value2, q.qsize()]
        })
      )
      assert.deepStrictEqual(out, [1, 2, 0])
    })
  )

  it.effect("test_nonblocking_put_exception: QueueFull", () =>
    Effect.gen(function* () {
      const q = new asyncio.Queue<number>({ maxsize: 1 })
      yield* q.putNowait(1)
      assert.strictEqual(yield* tagOf(q.putNowait(2)), "QueueFull")
    })
  )

  it.effect("test_float_maxsize: maxsize 1.3 holds two items", () =>
    inTask(
      Effect.gen(function* () {
        const q = new asyncio.Queue<number>({ maxsize: 1.3 })
        yield* q.putNowait(1)
        yield* q.putNowait(2)
        assert.isTrue(q.full())
        assert.strictEqual(yield* tagOf(q.putNowait(3)), "QueueFull")
        const q2 = new asyncio.Queue<number>({ maxsize: 1.3 })
        yield* q2.put(1)
        yield* q2.put(2)
        assert.isTrue(q2.full())
      })
    )
  )

  it.effect("test_put_cancelled: put into an unbounded queue completes", () =>
    Effect.gen(function* () {
      const out = yield* value(
        Effect.gen(function* () {
          const q = new asyncio.Queue<number>()
          const t = yield* asyncio.createTask(Effect.as(q.put(1), true))
          const got = yield* q.get()
          return [got, t.done(), yield* t]
        })
      )
      assert.deepStrictEqual(out, [1, true, true])
    })
  )

  it.effect("test_put_cancelled_race: a cancelled putter never inserts", () =>
    Effect.gen(function* () {
      const out = yield* value(
        Effect.gen(function* () {
          const q = new asyncio.Queue<string>({ maxsize: 1 })
          const putA = yield* asyncio.createTask(q.put("a"))
          const putB = yield* asyncio.createTask(q.put("b"))
          const putC = yield* asyncio.createTask(q.put("X"))
          yield* sleep0
          const mid = [putA.done(), putB.done()]
          yield* putC.cancel()
          yield* sleep0
          const cDone = putC.done()
          const a = yield* q.getNowait()
          yield* sleep0
          const b = yield* q.getNowait()
          yield* putB
          return { mid, cDone, a, b, left: q.qsize() }
        })
      )
      assert.deepStrictEqual(out, { mid: [true, false], cDone: true, a: "a", b: "b", left: 0 })
    })
  )

  it.effect("test_put_with_waiting_getters: put hands the item to the getter", () =>
    Effect.gen(function* () {
      const out = yield* value(
        Effect.gen(function* () {
          const q = new asyncio.Queue<string>()
          const t = yield* asyncio.createTask(q.get())
          yield* sleep0
          yield* q.put("a")
          return yield* t
        })
      )
      assert.strictEqual(out, "a")
    })
  )

  it.effect("test_why_are_putters_waiting: four putters through Queue(2)", () =>
    Effect.gen(function* () {
      const out = yield* value(
        Effect.gen(function* () {
          const queue = new asyncio.Queue<number>({ maxsize: 2 })
          const got: number[] = []
          const getter = yield* asyncio.createTask(
            Effect.gen(function* () {
              yield* sleep0
              const num = queue.qsize()
              for (let i = 0; i < num; i++) got.push(yield* queue.getNowait())
            })
          )
          const putters = []
          for (const i of [0, 1, 2, 3]) putters.push(yield* asyncio.createTask(queue.put(i)))
          yield* getter
          for (const p of putters) yield* p
          return { got, left: queue.qsize() }
        })
      )
      assert.deepStrictEqual(out, { got: [0, 1], left: 2 })
    })
  )

  it.effect("test_cancelled_puts_not_being_held_in_self_putters", () =>
    Effect.gen(function* () {
      const out = yield* value(
        Effect.gen(function* () {
          const queue = new asyncio.Queue<number>({ maxsize: 1 })
          yield* queue.putNowait(1)
          const putTask = yield* asyncio.createTask(queue.put(1))
          yield* sleep0
          const before = queue.toString()
          yield* putTask.cancel()
          const e = yield* Effect.flip(putTask)
          return [before, e._tag, queue.toString()]
        })
      )
      assert.deepStrictEqual(out, [
        "<Queue maxsize=1 _queue=[1] _putters[1] tasks=1>",
        "CancelledError",
        "<Queue maxsize=1 _queue=[1] tasks=1>"
      ])
    })
  )

  it.effect("test_cancelled_put_silence_value_error_exception: cancelled after being popped", () =>
    Effect.gen(function* () {
      const out = yield* value(
        Effect.gen(function* () {
          const queue = new asyncio.Queue<number>({ maxsize: 1 })
          yield* queue.putNowait(1)
          const putTask = yield* asyncio.createTask(queue.put(1))
          yield* sleep0
          yield* queue.getNowait()
          yield* putTask.cancel()
          const e = yield* Effect.flip(putTask)
          return [e._tag, queue.qsize()]
        })
      )
      assert.deepStrictEqual(out, ["CancelledError", 0])
    })
  )
})

describe("LifoQueueTests / PriorityQueueTests", () => {
  it.effect("LifoQueueTests.test_order: last in, first out", () =>
    inTask(
      Effect.gen(function* () {
        const q = new asyncio.LifoQueue<number>()
        for (const i of [1, 3, 2]) yield* q.put(i)
        assert.deepStrictEqual([yield* q.get(), yield* q.get(), yield* q.get()], [2, 3, 1])
      })
    )
  )

  it.effect("PriorityQueueTests.test_order: lowest first", () =>
    inTask(
      Effect.gen(function* () {
        const q = new asyncio.PriorityQueue<number>()
        for (const i of [1, 3, 2]) yield* q.put(i)
        assert.deepStrictEqual([yield* q.get(), yield* q.get(), yield* q.get()], [1, 2, 3])
      })
    )
  )

  it.effect("PriorityQueue: arrays compare as Python tuples", () =>
    inTask(
      Effect.gen(function* () {
        const q = new asyncio.PriorityQueue<[number, string]>()
        for (const item of [
          [2, "b"],
          [1, "z"],
          [2, "a"],
          [1, "y"]
        ] as Array<[number, string]>)
          yield* q.put(item)
        const out = []
        while (!q.empty()) out.push(yield* q.get())
        assert.deepStrictEqual(out, [
          [1, "y"],
          [1, "z"],
          [2, "a"],
          [2, "b"]
        ])
      })
    )
  )

  it.effect("PriorityQueue: an explicit Order", () =>
    inTask(
      Effect.gen(function* () {
        const q = new asyncio.PriorityQueue<{ readonly name: string; readonly priority: number }>({
          order: Order.mapInput(Order.Number, (job: { readonly priority: number }) => job.priority)
        })
        for (const [name, priority] of [
          ["c", 3],
          ["a", 1],
          ["b", 2]
        ] as const)
          yield* q.put({ name, priority })
        assert.deepStrictEqual(
          [(yield* q.get()).name, (yield* q.get()).name, (yield* q.get()).name],
          ["a", "b", "c"]
        )
      })
    )
  )

  it.effect("PriorityQueue: equal keys come out as with heapq (same sift steps)", () =>
    inTask(
      Effect.gen(function* () {
        // heapq with items compared by key only (__lt__ on k), pushed with keys [1,1,0,1,0,1,1]
        const q = new asyncio.PriorityQueue<[number, number]>({
          order: Order.mapInput(Order.Number, (item: readonly [number, number]) => item[0])
        })
        const keys = [1, 1, 0, 1, 0, 1, 1]
        for (let i = 0; i < keys.length; i++) yield* q.put([keys[i] ?? 0, i])
        const out: number[] = []
        while (!q.empty()) out.push((yield* q.get())[1])
        assert.deepStrictEqual(out, HEAPQ_ORDER)
      })
    )
  )

  it.effect("PriorityQueue: items that do not compare die with asyncio's TypeError", () =>
    inTask(
      Effect.gen(function* () {
        const q = new asyncio.PriorityQueue<unknown>()
        yield* q.put(1)
        const exit = yield* Effect.exit(q.put("a"))
        assert.instanceOf(defectOf(exit), asyncio.TypeError)
      })
    )
  )
})

/**
 * Pop order of CPython's heapq for the test above, computed with
 * `class K: __lt__ = lambda s, o: s.k < o.k`; push K(k, i) for i, k in enumerate([1,1,0,1,0,1,1]);
 * pop seven times: not insertion order (heapq is not stable), and ours must match it.
 */
const HEAPQ_ORDER = [2, 4, 0, 5, 6, 1, 3]

type MakeQueue = <A>(options?: asyncio.QueueOptions) => asyncio.Queue<A>
const queueClasses: ReadonlyArray<[string, MakeQueue]> = [
  ["Queue", (options) => new asyncio.Queue(options)],
  ["LifoQueue", (options) => new asyncio.LifoQueue(options)],
  ["PriorityQueue", (options) => new asyncio.PriorityQueue(options)]
]

describe.each(queueClasses)("%sJoinTests", (name, make) => {
  it.effect(`test_task_done_underflow (${name}): asyncio's ValueError`, () =>
    Effect.gen(function* () {
      const exit = yield* Effect.exit(make<number>().taskDone())
      assert.instanceOf(defectOf(exit), asyncio.ValueError)
    })
  )

  it.effect(`test_task_done (${name}): join waits for every taskDone`, () =>
    Effect.gen(function* () {
      const out = yield* value(
        Effect.gen(function* () {
          const q = make<number>()
          for (let i = 0; i < 100; i++) yield* q.putNowait(i)
          let accumulator = 0
          let running = true
          const worker = Effect.whileLoop({
            while: () => running,
            body: () =>
              Effect.gen(function* () {
                accumulator += yield* q.get()
                yield* q.taskDone()
              }),
            step: () => undefined
          })
          const tasks = [yield* asyncio.createTask(worker), yield* asyncio.createTask(worker)]
          yield* q.join()
          const atJoin = accumulator
          running = false
          for (let i = 0; i < tasks.length; i++) yield* q.putNowait(0)
          for (const t of tasks) yield* t
          return atJoin
        })
      )
      assert.strictEqual(out, 4950)
    })
  )

  it.effect(`test_join_empty_queue (${name}): returns at once`, () =>
    inTask(
      Effect.gen(function* () {
        const q = make<number>()
        yield* q.join()
        yield* q.join()
      })
    )
  )

  it.effect(`test_format (${name}): unfinished tasks`, () =>
    Effect.gen(function* () {
      const q = make<number>()
      assert.strictEqual(q.toString(), `<${name} maxsize=0>`)
      yield* q.putNowait(1)
      yield* q.putNowait(2)
      yield* q.getNowait()
      yield* q.getNowait()
      assert.strictEqual(q.toString(), `<${name} maxsize=0 tasks=2>`)
    })
  )
})

describe.each(queueClasses)("%sShutdownTests", (name, make) => {
  const allShutDown = (q: asyncio.Queue<string>) =>
    Effect.all([tagOf(q.put("data")), tagOf(q.putNowait("data")), tagOf(q.get()), tagOf(q.getNowait())])
  const shut = ["QueueShutDown", "QueueShutDown", "QueueShutDown", "QueueShutDown"]

  it.effect(`test_format (${name}): shutdown`, () =>
    Effect.gen(function* () {
      const q = make<string>()
      yield* q.shutdown()
      assert.strictEqual(q.toString(), `<${name} maxsize=0 shutdown>`)
    })
  )

  it.effect(`test_shutdown_empty (${name}): a waiting get fails with QueueShutDown`, () =>
    Effect.gen(function* () {
      const out = yield* value(
        Effect.gen(function* () {
          const q = make<string>()
          const getTask = yield* asyncio.createTask(q.get())
          yield* sleep0
          yield* q.shutdown(false)
          const size = q.qsize()
          yield* q.join()
          yield* sleep0
          return { size, done: getTask.done(), get: yield* tagOf(getTask), after: yield* allShutDown(q) }
        })
      )
      assert.deepStrictEqual(out, { size: 0, done: true, get: "QueueShutDown", after: shut })
    })
  )

  it.effect(`test_shutdown_nonempty (${name}): items can still be got`, () =>
    Effect.gen(function* () {
      const out = yield* value(
        Effect.gen(function* () {
          const q = make<string>({ maxsize: 1 })
          yield* q.putNowait("data")
          const joinTask = yield* asyncio.createTask(q.join())
          const putTask = yield* asyncio.createTask(q.put("data2"))
          yield* sleep0
          const putPending = !putTask.done()
          yield* q.shutdown(false)
          const size = q.qsize()
          yield* sleep0
          const put = [putTask.done(), yield* tagOf(putTask)]
          const got = yield* q.get()
          yield* sleep0
          const joinPending = !joinTask.done()
          const after = yield* allShutDown(q)
          yield* q.taskDone()
          yield* sleep0
          const joinDone = joinTask.done()
          yield* joinTask
          const extra = defectOf(yield* Effect.exit(q.taskDone()))
          return {
            putPending,
            size,
            put,
            got,
            joinPending,
            after,
            joinDone,
            extra: extra instanceof asyncio.ValueError
          }
        })
      )
      assert.deepStrictEqual(out, {
        putPending: true,
        size: 1,
        put: [true, "QueueShutDown"],
        got: "data",
        joinPending: true,
        after: shut,
        joinDone: true,
        extra: true
      })
    })
  )

  it.effect(`test_shutdown_immediate (${name}): items are dropped and count as done`, () =>
    Effect.gen(function* () {
      const out = yield* value(
        Effect.gen(function* () {
          const q = make<string>()
          yield* q.putNowait("data")
          const joinTask = yield* asyncio.createTask(q.join())
          yield* q.shutdown(true)
          const size = q.qsize()
          yield* sleep0
          const joinDone = joinTask.done()
          yield* joinTask
          const after = yield* allShutDown(q)
          const extra = defectOf(yield* Effect.exit(q.taskDone()))
          return { size, joinDone, after, extra: extra instanceof asyncio.ValueError }
        })
      )
      assert.deepStrictEqual(out, { size: 0, joinDone: true, after: shut, extra: true })
    })
  )

  it.effect(`test_shutdown_immediate_with_unfinished (${name}): join waits for the item got`, () =>
    Effect.gen(function* () {
      const out = yield* value(
        Effect.gen(function* () {
          const q = make<string>()
          yield* q.putNowait("data")
          yield* q.putNowait("data")
          const joinTask = yield* asyncio.createTask(q.join())
          const got = yield* q.get()
          yield* q.shutdown(true)
          const size = q.qsize()
          yield* sleep0
          const joinPending = !joinTask.done()
          const after = yield* allShutDown(q)
          yield* q.taskDone()
          const extra = defectOf(yield* Effect.exit(q.taskDone()))
          yield* sleep0
          const joinDone = joinTask.done()
          yield* joinTask
          return { got, size, joinPending, after, extra: extra instanceof asyncio.ValueError, joinDone }
        })
      )
      assert.deepStrictEqual(out, {
        got: "data",
        size: 0,
        joinPending: true,
        after: shut,
        extra: true,
        joinDone: true
      })
    })
  )
})

describe("Queue arguments", () => {
  it.effect("a NaN maxsize is unbounded (as CPython compares it), a non-number a TypeError", () =>
    Effect.gen(function* () {
      const nan = new asyncio.Queue({ maxsize: Number.NaN })
      yield* Effect.orDie(nan.putNowait(1))
      assert.isFalse(nan.full())
      const bad = yield* Effect.exit(
        Effect.sync(() => new asyncio.Queue({ maxsize: "2" as unknown as number }))
      )
      assert.instanceOf(defectOf(bad), asyncio.TypeError)
    })
  )

  it.effect("shutdown wakes a blocked putter of a full queue with QueueShutDown", () =>
    Effect.gen(function* () {
      const out = yield* value(
        Effect.gen(function* () {
          const q = new asyncio.Queue<number>({ maxsize: 1 })
          yield* q.put(1)
          const putters = [yield* asyncio.createTask(q.put(2)), yield* asyncio.createTask(q.put(3))]
          yield* sleep0
          yield* q.shutdown()
          return [yield* tagOf(putters[0] ?? Effect.void), yield* tagOf(putters[1] ?? Effect.void), q.qsize()]
        })
      )
      assert.deepStrictEqual(out, ["QueueShutDown", "QueueShutDown", 1])
    })
  )
})
