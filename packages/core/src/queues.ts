/**
 * Queues: asyncio's `Queue`, `PriorityQueue` and `LifoQueue` (`queues.py`, 3.13).
 *
 * A bounded queue makes `put` wait while it is full and `get` wait while it is empty, FIFO
 * among waiters. A `get` cancelled while waiting never loses an item, and a `put` cancelled
 * while waiting never inserts one; a wake-up handed to a cancelled waiter passes on.
 * `taskDone`/`join` count unfinished items; `shutdown(immediate)` ends the queue with
 * `QueueShutDown`.
 *
 * @since 0.1.0
 */
import { Effect, Exit, type Order } from "effect"
import { NodeInspectSymbol } from "effect/Inspectable"
import type { EventLoop } from "./events.js"
import { QueueEmpty, QueueFull, QueueShutDown, RuntimeError, TypeError, ValueError } from "./exceptions.js"
import { type Buffer, FifoBuffer, HeapBuffer, LifoBuffer, naturalCompare } from "./internal/buffers.js"
import { EventLoopImpl } from "./internal/eventLoop.js"
import type { FutureImpl } from "./internal/future.js"
import { innermostRunningLoop } from "./internal/loop.js"
import { pyRepr } from "./internal/outcome.js"
import { SubmissionImpl } from "./internal/promise.js"
import * as validate from "./internal/validate.js"
import { type LoopBound, newWaiter, WaiterQueue } from "./internal/waiters.js"
import { Event, waitOn } from "./locks.js"
import type { Submission } from "./promises.js"

/**
 * Options of `new Queue(...)` (asyncio's keyword arguments).
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import * as asyncio from "@effect-asyncio/core"
 *
 * const options: asyncio.QueueOptions = { maxsize: 1 }
 * const queue = new asyncio.Queue<string>(options)
 * const program = Effect.gen(function* () {
 *   yield* queue.put("a")
 *   const error = yield* Effect.flip(queue.putNowait("b"))
 *   return [queue.full(), error._tag]
 * })
 * asyncio.run(program).then(console.log) // [true, "QueueFull"]
 * ```
 * @category Queues
 * @since 0.1.0
 */
export interface QueueOptions {
  /** The number of items the queue holds; `<= 0` (the default) means unbounded. */
  readonly maxsize?: number | undefined
}

/**
 * Values `PriorityQueue` orders without an explicit `Order`: numbers, bigints, strings,
 * booleans, and arrays of them compared element by element (Python's tuples).
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import * as asyncio from "@effect-asyncio/core"
 *
 * const queue = new asyncio.PriorityQueue<asyncio.NaturallyOrdered>()
 * const program = Effect.gen(function* () {
 *   yield* queue.put([2, "b"])
 *   yield* queue.put([1, "z"])
 *   yield* queue.put([1, "a"])
 *   return yield* queue.get() // compared as tuples: 1 first, then "a" before "z"
 * })
 * asyncio.run(program).then(console.log) // [1, "a"]
 * ```
 * @category Queues
 * @since 0.1.0
 */
export type NaturallyOrdered = number | bigint | string | boolean | ReadonlyArray<NaturallyOrdered>

/**
 * The options of a queue's constructor: an options object, or `maxsize` itself (`Queue(5)` as in
 * CPython). `maxsize` is a number (CPython compares it: `maxsize <= 0` is unbounded, and so is NaN).
 */
const queueOptions = <O extends QueueOptions>(
  options: O | number | undefined,
  fn: string,
  keys: ReadonlyArray<string>
): { readonly maxsize: number; readonly options: O | undefined } => {
  if (typeof options === "number") return { maxsize: options, options: undefined }
  if (options === null || (typeof options !== "object" && options !== undefined)) {
    throw new TypeError({
      message: `${fn}() takes an options object or a maxsize, got ${validate.describe(options)}`
    })
  }
  const checked = validate.options(options, fn, keys)
  const maxsize = checked?.maxsize
  return { maxsize: maxsize === undefined ? 0 : validate.count(maxsize, `${fn}() maxsize`), options: checked }
}

const queueShutDown = () => new QueueShutDown({ message: "" })

/**
 * `asyncio.Queue(maxsize=0)`: a FIFO queue for producer and consumer tasks. With `maxsize > 0`,
 * `put` waits while the queue is full; `get` waits while it is empty; waiters are served in FIFO
 * order. `putNowait` fails with `QueueFull`, `getNowait` with `QueueEmpty`.
 *
 * Each item put counts as unfinished until a consumer calls `taskDone()`; `join()` waits until
 * none is left. `shutdown()` makes `put` fail with `QueueShutDown` and, once the queue is empty
 * (at once with `shutdown(true)`), `get` too.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import * as asyncio from "@effect-asyncio/core"
 *
 * const queue = new asyncio.Queue<number>({ maxsize: 2 })
 * const consumer = Effect.forever(
 *   Effect.gen(function* () {
 *     const item = yield* queue.get()
 *     yield* asyncio.sleep(0.1)
 *     console.log("consumed", item)
 *     yield* queue.taskDone()
 *   })
 * )
 * const program = Effect.gen(function* () {
 *   const worker = yield* asyncio.createTask(consumer)
 *   for (let i = 0; i < 5; i++) yield* queue.put(i)
 *   yield* queue.join()
 *   yield* worker.cancel()
 * })
 * asyncio.run(program)
 * ```
 * @category Queues
 * @since 0.1.0
 */
export class Queue<A> {
  private readonly maxsizeValue: number
  private readonly getters = new WaiterQueue()
  private readonly putters = new WaiterQueue()
  /** @internal the loop this queue's waiters belong to (`_LoopBoundMixin._loop`) */
  boundLoop: LoopBound["boundLoop"] = undefined
  private unfinishedTasks = 0
  private readonly finished: Event = new JoinEvent(this)
  private isShutdown = false
  private storage: Buffer<A> | undefined = undefined

  /** `asyncio.Queue(maxsize=0)`: `new Queue({ maxsize })`, or `new Queue(maxsize)`. */
  constructor(options?: QueueOptions | number) {
    this.maxsizeValue = queueOptions(options, this.constructor.name, ["maxsize"]).maxsize
    this.finished.setUnsafe()
  }

  // made on first use, once a subclass's own fields (the order of a PriorityQueue) are set
  private get buffer(): Buffer<A> {
    if (this.storage === undefined) this.storage = this.init()
    return this.storage
  }

  /** CPython's `_init`: the storage, overridden by `PriorityQueue` and `LifoQueue`. */
  protected init(): Buffer<A> {
    return new FifoBuffer<A>()
  }

  /** `queue.maxsize`: the number of items allowed (`<= 0`: unbounded). */
  get maxsize(): number {
    return this.maxsizeValue
  }

  /** `queue.qsize()`: the number of items in the queue. */
  qsize(): number {
    return this.buffer.size
  }

  /** `queue.empty()` */
  empty(): boolean {
    return this.buffer.size === 0
  }

  /** `queue.full()`: `maxsize` items are in the queue (never for an unbounded queue). */
  full(): boolean {
    return this.maxsizeValue > 0 && this.buffer.size >= this.maxsizeValue
  }

  /**
   * `await queue.put(item)`: puts `item`, waiting while the queue is full. `QueueShutDown` if
   * the queue is (or gets) shut down. Cancelled while waiting, it inserts nothing.
   */
  put(item: A): Effect.Effect<void, QueueShutDown, EventLoop> {
    return Effect.withFiber((fiber) => {
      // CPython's `while self.full()`: woken, the put starts over
      if (this.full()) {
        if (this.isShutdown) return Effect.fail(queueShutDown())
        const putter = newWaiter(this, fiber)
        const node = this.putters.push(putter)
        return waitOn(putter, (exit, restore) => {
          if (Exit.isSuccess(exit)) return restore(this.put(item))
          putter.cancelNow() // Just in case putter is not done yet.
          this.putters.remove(node)
          // We were woken up by get_nowait(), but can't take the call. Wake up the next in line.
          if (!this.full() && !putter.cancelled()) this.wakeupNext(this.putters)
          return Effect.failCause(exit.cause as never)
        })
      }
      return this.putNowaitOrShutDown(item)
    })
  }

  /** `queue.put_nowait(item)`: `QueueFull` if there is no free slot, `QueueShutDown` after shutdown. */
  putNowait(item: A): Effect.Effect<void, QueueFull | QueueShutDown> {
    return Effect.suspend((): Effect.Effect<void, QueueFull | QueueShutDown> => {
      if (this.isShutdown) return Effect.fail(queueShutDown())
      if (this.full()) return Effect.fail(new QueueFull({ message: "" }))
      this.putUnsafe(item)
      return Effect.void
    })
  }

  private putNowaitOrShutDown(item: A): Effect.Effect<void, QueueShutDown> {
    if (this.isShutdown) return Effect.fail(queueShutDown())
    this.putUnsafe(item)
    return Effect.void
  }

  private putUnsafe(item: A): void {
    this.buffer.push(item)
    this.unfinishedTasks += 1
    this.finished.clearUnsafe()
    this.wakeupNext(this.getters)
  }

  /**
   * `await queue.get()`: removes and returns an item, waiting while the queue is empty.
   * `QueueShutDown` once the queue is shut down and empty (at once after `shutdown(true)`).
   * Cancelled while waiting, it takes nothing.
   */
  get(): Effect.Effect<A, QueueShutDown, EventLoop> {
    return Effect.withFiber((fiber) => {
      // CPython's `while self.empty()`: woken, the get starts over
      if (this.empty()) {
        if (this.isShutdown) return Effect.fail(queueShutDown())
        const getter = newWaiter(this, fiber)
        const node = this.getters.push(getter)
        return waitOn(getter, (exit, restore) => {
          if (Exit.isSuccess(exit)) return restore(this.get())
          getter.cancelNow() // Just in case getter is not done yet.
          this.getters.remove(node)
          // We were woken up by put_nowait(), but can't take the call. Wake up the next in line.
          if (!this.empty() && !getter.cancelled()) this.wakeupNext(this.getters)
          return Effect.failCause(exit.cause as never)
        })
      }
      return Effect.succeed(this.takeUnsafe())
    })
  }

  /** `queue.get_nowait()`: an item if one is there, else `QueueEmpty` (`QueueShutDown` after shutdown). */
  getNowait(): Effect.Effect<A, QueueEmpty | QueueShutDown> {
    return Effect.suspend(() => {
      if (this.empty()) {
        return Effect.fail(this.isShutdown ? queueShutDown() : new QueueEmpty({ message: "" }))
      }
      return Effect.succeed(this.takeUnsafe())
    })
  }

  private takeUnsafe(): A {
    const item = this.buffer.take()
    this.wakeupNext(this.putters)
    return item
  }

  /**
   * `queue.task_done()`: marks one item got earlier as processed; `join()` returns when every
   * item put has been marked. Called more times than items were put, it dies with asyncio's
   * `ValueError`.
   */
  taskDone(): Effect.Effect<void> {
    return Effect.suspend(() => {
      if (this.unfinishedTasks <= 0) {
        return Effect.die(new ValueError({ message: "task_done() called too many times" }))
      }
      this.unfinishedTasks -= 1
      if (this.unfinishedTasks === 0) this.finished.setUnsafe()
      return Effect.void
    })
  }

  /** `await queue.join()`: waits until every item put has been got and marked with `taskDone()`. */
  join(): Effect.Effect<void, never, EventLoop> {
    return Effect.suspend(() =>
      this.unfinishedTasks > 0 ? Effect.asVoid(this.finished.wait()) : Effect.void
    )
  }

  /**
   * `queue.shutdown(immediate=False)` (3.13): `put` fails with `QueueShutDown` from now on, and
   * `get` once the queue is empty. With `immediate`, the queue is emptied at once (each item
   * removed counts as done, which may release `join()`). Blocked callers of `put` and `get` wake.
   */
  shutdown(immediate = false): Effect.Effect<void> {
    return Effect.sync(() => {
      this.isShutdown = true
      if (immediate) {
        while (!this.empty()) {
          this.buffer.take()
          if (this.unfinishedTasks > 0) this.unfinishedTasks -= 1
        }
        if (this.unfinishedTasks === 0) this.finished.setUnsafe()
      }
      for (let getter = this.getters.shift(); getter !== undefined; getter = this.getters.shift())
        if (!getter.done()) getter.resolveNow(undefined)
      for (let putter = this.putters.shift(); putter !== undefined; putter = this.putters.shift())
        if (!putter.done()) putter.resolveNow(undefined)
    })
  }

  /** @internal what a task blocked here waits on (the deadlock report) */
  describeWaiter(waiter: FutureImpl<unknown, unknown>): string {
    const name = this.constructor.name
    if (this.getters.has(waiter)) return `${name}.get() (empty)`
    return `${name}.put() (full: maxsize=${this.maxsizeValue})`
  }

  /** @internal `join()`'s wait, for the deadlock report */
  describeJoin(): string {
    const count = this.unfinishedTasks
    return `${this.constructor.name}.join() with ${count} unfinished item${count === 1 ? "" : "s"}`
  }

  /**
   * `for await (const item of queue)`: for Promise-based code, the items as they come, each
   * taken by `get()` in a task of the queue's loop (`loop.submit`), until the queue is shut down
   * and empty (`QueueShutDown` ends the iteration; `shutdown(true)` at once). The loop is the one
   * the queue is bound to, else the innermost running loop (JavaScript's "running loop": asyncio
   * has one per thread); with none, `next()` rejects with `RuntimeError`. Leaving the loop early
   * (`break`) cancels a `get()` still waiting, and a cancelled `get()` never loses an item.
   * `taskDone()` is still the consumer's to call, when it counts unfinished items.
   */
  [Symbol.asyncIterator](): AsyncIterator<A, undefined> {
    let waiting: Submission<IteratorResult<A, undefined>> | undefined
    const done: IteratorResult<A, undefined> = { done: true, value: undefined }
    return {
      next: () => {
        const bound = this.boundLoop ?? innermostRunningLoop()
        if (!(bound instanceof EventLoopImpl)) {
          return Promise.reject(new RuntimeError({ message: "no running event loop" }))
        }
        const get = this.get().pipe(
          Effect.map((value): IteratorResult<A, undefined> => ({ done: false, value })),
          Effect.catchTag("QueueShutDown", () => Effect.succeed(done))
        )
        let submission: Submission<IteratorResult<A, undefined>>
        try {
          submission = bound.submit(get)
        } catch (error) {
          // a closed loop
          return Promise.reject(error)
        }
        waiting = submission
        return submission.promise.finally(() => {
          if (waiting === submission) waiting = undefined
        })
      },
      return: () => {
        const submission = waiting
        waiting = undefined
        if (submission !== undefined) {
          // the get() task is cancelled now, not at a later turn as `Submission.cancel()` does
          // (run_coroutine_threadsafe's): a get() woken with an item but not yet resumed then
          // leaves the item in the queue, as a cancelled get() does, instead of taking it for a
          // Promise that nobody reads
          const task = submission instanceof SubmissionImpl ? submission.task : undefined
          if (task !== undefined && !task.done()) task.cancelNow()
          submission.cancel()
        }
        return Promise.resolve(done)
      }
    }
  }

  /** asyncio's `str(queue)`: `<Queue maxsize=0 _queue=[1, 2] _getters[1] tasks=2>`. */
  toString(): string {
    let result = `maxsize=${this.maxsizeValue}`
    if (this.buffer.size > 0) result += ` _queue=[${this.buffer.toArray().map(pyRepr).join(", ")}]`
    if (this.getters.size > 0) result += ` _getters[${this.getters.size}]`
    if (this.putters.size > 0) result += ` _putters[${this.putters.size}]`
    if (this.unfinishedTasks > 0) result += ` tasks=${this.unfinishedTasks}`
    if (this.isShutdown) result += " shutdown"
    return `<${this.constructor.name} ${result}>`
  }

  /** Node's `util.inspect` (`console.log(queue)`) shows the repr, as `String(queue)` does. */
  [NodeInspectSymbol](): string {
    return this.toString()
  }

  /** CPython's `_wakeup_next`: pops waiters until one that is still pending, and wakes it. */
  private wakeupNext(waiters: WaiterQueue): void {
    for (let waiter = waiters.shift(); waiter !== undefined; waiter = waiters.shift()) {
      if (!waiter.done()) {
        waiter.resolveNow(undefined)
        break
      }
    }
  }
}

/**
 * Options of `new PriorityQueue(...)`.
 *
 * @example
 * ```ts
 * import { Effect, Order } from "effect"
 * import * as asyncio from "@effect-asyncio/core"
 *
 * const options: asyncio.PriorityQueueOptions<string> = { order: Order.flip(Order.String) } // highest first
 * const queue = new asyncio.PriorityQueue<string>(options)
 * const program = Effect.gen(function* () {
 *   for (const word of ["b", "c", "a"]) yield* queue.put(word)
 *   return yield* queue.get()
 * })
 * asyncio.run(program).then(console.log) // c
 * ```
 * @category Queues
 * @since 0.1.0
 */
export interface PriorityQueueOptions<A> extends QueueOptions {
  /** How items compare; natural order (numbers, strings, arrays as tuples) by default. */
  readonly order?: Order.Order<A> | undefined
}

/**
 * `asyncio.PriorityQueue`: a `Queue` that gives the lowest item first, by `order` (an Effect
 * `Order`) or, by default, by natural order: numbers, strings, and arrays compared element by
 * element as Python's tuples (`[priority, data]`). Items that cannot be compared make `put`
 * die with asyncio's `TypeError`.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import * as asyncio from "@effect-asyncio/core"
 *
 * const queue = new asyncio.PriorityQueue<[number, string]>()
 * const program = Effect.gen(function* () {
 *   yield* queue.put([2, "write"])
 *   yield* queue.put([1, "read"])
 *   return yield* queue.get()
 * })
 * asyncio.run(program).then(console.log) // [1, "read"]
 * ```
 * @category Queues
 * @since 0.1.0
 */
export class PriorityQueue<A> extends Queue<A> {
  private readonly order: Order.Order<A> | undefined

  /** `asyncio.PriorityQueue(maxsize=0)`: `new PriorityQueue({ maxsize, order })`, or `(maxsize)`. */
  constructor(options?: PriorityQueueOptions<A> | number) {
    const checked = queueOptions(options, "PriorityQueue", ["maxsize", "order"])
    super(checked.maxsize)
    const order = checked.options?.order
    this.order =
      order === undefined ? undefined : (validate.func(order, "PriorityQueue() order") as Order.Order<A>)
  }

  protected override init(): Buffer<A> {
    const order = this.order
    return new HeapBuffer<A>(
      order === undefined ? (a, b) => naturalCompare(a, b) < 0 : (a, b) => order(a, b) < 0
    )
  }
}

/**
 * `asyncio.LifoQueue`: a `Queue` that gives the most recently added item first.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import * as asyncio from "@effect-asyncio/core"
 *
 * const queue = new asyncio.LifoQueue<number>()
 * const program = Effect.gen(function* () {
 *   for (const i of [1, 2, 3]) yield* queue.put(i)
 *   return [yield* queue.get(), yield* queue.get(), yield* queue.get()]
 * })
 * asyncio.run(program).then(console.log) // [3, 2, 1]
 * ```
 * @category Queues
 * @since 0.1.0
 */
export class LifoQueue<A> extends Queue<A> {
  protected override init(): Buffer<A> {
    return new LifoBuffer<A>()
  }
}

/** The event `join()` waits on, which says so in the deadlock report. */
class JoinEvent extends Event {
  constructor(private readonly queue: Queue<unknown>) {
    super()
  }

  override describeWaiter(): string {
    return this.queue.describeJoin()
  }
}
