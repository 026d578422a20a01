/**
 * The loop core: asyncio's `BaseEventLoop` scheduling (`base_events.py`), and the only code that
 * touches Effect's fiber internals.
 *
 * - `_ready`, a FIFO of callbacks, and `_scheduled`, a `heapq` of `TimerHandle`s ordered by their
 *   deadline alone (`TimerHandle.__lt__`);
 * - `_run_once`, ported line by line: drop cancelled timers (or rebuild the heap when most of it
 *   is cancelled), move the timers due by `time() + clock_resolution` to `_ready`, then run the
 *   callbacks that were ready at the start of the iteration, and only those;
 * - `run_forever` / `stop` / `run_until_complete`: the loop runs only while someone is inside
 *   `runForever`, and `stop()` takes effect at the end of the current iteration.
 *
 * Iterations run as tasks of the Effect scheduler that created the loop (so `TestClock` sees
 * them), several iterations per scheduler task while there is work. When nothing is ready, one
 * fiber sleeps on Effect's `Clock` (virtual under `TestClock`) until the earliest timer.
 *
 * Task fibers run with `fiberScheduler`: every scheduling Effect does for them (a forked child's
 * first run, `Effect.yieldNow`) joins this loop's `_ready` queue, and they never yield on their
 * own (asyncio never preempts a coroutine).
 *
 * The fiber internals this module reads or writes are named, with the Effect behaviour each relies
 * on, in `test/loopCore.test.ts`; an Effect upgrade that changes one fails there by name.
 */
import { type Cause, type Clock, Context, Duration, Effect, Exit, type Fiber, type Scheduler } from "effect"
import { NodeInspectSymbol } from "effect/Inspectable"
import { KeyboardInterrupt, RuntimeError, SystemExit } from "../exceptions.js"
import { heapify, heappop, heappush } from "./heapq.js"
import { pyRepr } from "./outcome.js"
import { formatTraceback } from "./traceback.js"
import * as validate from "./validate.js"

/** What the loop reports to its exception handler (asyncio's `context` dict). */
export interface ExceptionContextShape {
  readonly message: string
  readonly exception?: unknown
  readonly [key: string]: unknown
}

/** asyncio's `_MIN_SCHEDULED_TIMER_HANDLES` and `_MIN_CANCELLED_TIMER_HANDLES_FRACTION`. */
const MIN_SCHEDULED_TIMER_HANDLES = 100
const MIN_CANCELLED_TIMER_HANDLES_FRACTION = 0.5
/** `time.get_clock_info('monotonic').resolution` on Linux, which asyncio adds to `time()`. */
const CLOCK_RESOLUTION = 1e-9
/** asyncio's `MAXIMUM_SELECT_TIMEOUT`: the longest the loop waits in one go (24 hours). */
const MAXIMUM_SELECT_TIMEOUT = 24 * 3600
/**
 * Iterations run in one task of the host scheduler before the host gets a turn (its I/O, the
 * Promise reactions, signals). While the loop waits for any of those (`externalWaits`), the host
 * gets a turn after every iteration, as CPython's `_run_once` polls its selector every time.
 */
const ITERATIONS_PER_TURN = 256

/**
 * `format_helpers._format_callback_source`, as far as a JavaScript function tells: its name,
 * with its arguments in debug mode only (asyncio's `_format_args_and_kwargs` under `debug`).
 */
export const formatCallback = (callback: unknown, args: ReadonlyArray<unknown>, debug: boolean): string => {
  let name = "<anonymous>"
  try {
    if (typeof callback === "function" && typeof callback.name === "string" && callback.name !== "")
      name = callback.name
  } catch {
    // a function whose name cannot be read (a revoked Proxy) is anonymous
  }
  return `${name}(${debug ? args.map(pyRepr).join(", ") : ""})`
}

/**
 * Whether any loop of this process has been in debug mode: only then does `createTask(...)` read
 * the caller's line when it is called (the effect runs later, from the loop, where the line of
 * the `yield*` is no longer on the JavaScript stack).
 */
export const debugMode = { seen: false }

/** An effect a callback returned, which nobody will run (a future is already running: not one). */
const isUnrunEffect = (value: object): boolean =>
  Effect.isEffect(value) &&
  typeof (value as { readonly addDoneCallback?: unknown }).addDoneCallback !== "function"

/**
 * CPython's `RuntimeWarning: coroutine 'f' was never awaited`, for a callback that returned an
 * effect (an `Effect.fn` or a function returning `Effect.gen`): the effect is lazy, so its body
 * never runs. (Python's default filter prints it once per place; Node prints each one.)
 */
const warnNeverRun = (callback: string): void => {
  globalThis.process?.emitWarning?.(
    `the effect returned by the callback ${callback} was never run (a callback's effect is not awaited: run it with loop.submit or createTask)`,
    "RuntimeWarning"
  )
}

/** Where a handle or future was made, in debug mode (asyncio's `_source_traceback[-1]`). */
export const creationSite = (): string | undefined => {
  // debug mode only: Effect's runtime alone can fill V8's default 10 frames
  const limit = Error.stackTraceLimit
  Error.stackTraceLimit = 64
  const stack = new Error().stack ?? ""
  Error.stackTraceLimit = limit
  for (const line of stack.split("\n").slice(1)) {
    // the first frame outside this library and Effect's runtime: the caller's
    if (/packages[\\/]core[\\/](src|dist)[\\/]|node_modules|\(node:|at node:/.test(line)) continue
    const site = /\(?([^()\s]+:\d+):\d+\)?\s*$/.exec(line)
    if (site !== null) return site[1]
  }
  return undefined
}

/**
 * asyncio's `Handle`: a callback the loop will call once, unless cancelled first.
 */
export class HandleImpl {
  private isCancelled = false
  callback: ((...args: ReadonlyArray<never>) => unknown) | undefined
  args: ReadonlyArray<unknown> | undefined
  /** In debug mode, where the handle was made (asyncio's `_source_traceback`). */
  readonly createdAt: string | undefined
  /** The repr kept by `cancel()` in debug mode (asyncio's `_repr`). */
  private keptRepr: string | undefined = undefined

  constructor(
    callback: (...args: ReadonlyArray<never>) => unknown,
    args: ReadonlyArray<unknown>,
    readonly loop: LoopCore
  ) {
    this.callback = callback
    this.args = args
    this.createdAt = loop.debug ? creationSite() : undefined
  }

  /** `handle.cancel()`: the callback is dropped and will not run. */
  cancel(): void {
    if (this.isCancelled) return
    this.isCancelled = true
    // asyncio keeps the repr (callback and arguments included) of a handle cancelled in debug mode
    if (this.loop.debug) this.keptRepr = `<${this.reprInfo().join(" ")}>`
    this.callback = undefined
    this.args = undefined
  }

  /** `handle.cancelled()` */
  cancelled(): boolean {
    return this.isCancelled
  }

  /** `Handle._run`: a callback that throws is reported, it never breaks the loop. */
  run(): void {
    const callback = this.callback
    const args = this.args
    if (callback === undefined || args === undefined) return
    try {
      const result = (callback as (...args: ReadonlyArray<unknown>) => unknown)(...args)
      // a coroutine function given as a callback: its coroutine is never awaited
      if (typeof result === "object" && result !== null && isUnrunEffect(result)) {
        warnNeverRun(formatCallback(callback, [], false))
      }
    } catch (exception) {
      if (isBaseException(exception)) throw exception
      this.loop.callExceptionHandler({
        message: `Exception in callback ${formatCallback(callback, args, this.loop.debug)}`,
        exception,
        handle: this,
        ...(this.createdAt === undefined ? {} : { source_traceback: this.createdAt })
      })
    }
  }

  protected reprInfo(): Array<string> {
    const info = [this.constructor.name]
    if (this.isCancelled) info.push("cancelled")
    if (this.callback !== undefined)
      info.push(formatCallback(this.callback, this.args ?? [], this.loop.debug))
    if (this.createdAt !== undefined) info.push(`created at ${this.createdAt}`)
    return info
  }

  /** asyncio's repr: `<Handle f()>`, `<TimerHandle when=3 f()>`, `<Handle cancelled>`. */
  toString(): string {
    if (this.keptRepr !== undefined) return this.keptRepr
    return `<${this.reprInfo().join(" ")}>`
  }

  /** Node's `util.inspect` (`console.log(handle)`) shows the repr, as `String(handle)` does. */
  [NodeInspectSymbol](): string {
    return this.toString()
  }
}

/** asyncio's `TimerHandle`: a `Handle` with a deadline, in the loop's heap until it is due. */
export class TimerHandleImpl extends HandleImpl {
  /** In the loop's heap (asyncio's `_scheduled`). */
  scheduled = false

  constructor(
    readonly deadline: number,
    callback: (...args: ReadonlyArray<never>) => unknown,
    args: ReadonlyArray<unknown>,
    loop: LoopCore
  ) {
    super(callback, args, loop)
  }

  /** `timer.when()`: the deadline, in loop time (seconds). */
  when(): number {
    return this.deadline
  }

  override cancel(): void {
    if (!this.cancelled()) this.loop.timerHandleCancelled(this)
    super.cancel()
  }

  protected override reprInfo(): Array<string> {
    const info = super.reprInfo()
    info.splice(this.cancelled() ? 2 : 1, 0, `when=${this.deadline}`)
    return info
  }
}

/**
 * asyncio's `handle._when < self.time() + self._clock_resolution`. A deadline equal to the time
 * is due too: far from the clock's origin (a virtual clock moved by a year) adding the resolution
 * changes nothing, and asyncio's loop would spin until the clock moved, which virtual time never does.
 */
const isDue = (timer: TimerHandleImpl, now: number): boolean =>
  timer.deadline <= now || timer.deadline < now + CLOCK_RESOLUTION

/** A task of Effect's scheduler (a fiber's turn), run from the ready queue. */
const runTask = (task: () => void): void => task()

/**
 * `(SystemExit, KeyboardInterrupt)`, which `Handle._run` lets through: raised in a callback (or
 * a task's step), it leaves the loop and ends `run_until_complete` with it.
 */
export const isBaseException = (exception: unknown): boolean =>
  validate.isInstance(exception, KeyboardInterrupt) || validate.isInstance(exception, SystemExit)

/** `TimerHandle.__lt__`: the deadline alone, as asyncio's heap compares. */
const timerBefore = (a: TimerHandleImpl, b: TimerHandleImpl): boolean => a.deadline < b.deadline

/**
 * `collections.deque` for the ready queue: a ring buffer of (function, argument) pairs, so that
 * the library's own callbacks (a task's wakeup with its future) queue without allocating.
 */
class ReadyQueue {
  private items: Array<unknown> = new Array(128)
  private head = 0
  size = 0

  push<X>(fn: (arg: X) => void, arg: X): void {
    let items = this.items
    if (this.size * 2 === items.length) {
      const grown: Array<unknown> = new Array(items.length * 2)
      const mask = items.length - 1
      for (let i = 0; i < this.size * 2; i++) grown[i] = items[(this.head + i) & mask]
      this.items = grown
      items = grown
      this.head = 0
    }
    const at = (this.head + this.size * 2) & (items.length - 1)
    items[at] = fn
    items[at + 1] = arg
    this.size += 1
  }

  /** Runs the first pair and drops it; a throw is reported, it never breaks the loop. */
  runFirst(loop: LoopCore): void {
    const items = this.items
    const head = this.head
    const fn = items[head] as (arg: unknown) => void // callers check size > 0 first
    const arg = items[head + 1]
    items[head] = undefined
    items[head + 1] = undefined
    this.head = (head + 2) & (items.length - 1)
    this.size -= 1
    try {
      fn(arg)
    } catch (exception) {
      if (isBaseException(exception)) throw exception
      loop.callExceptionHandler({
        message: `Exception in callback ${formatCallback(fn, [arg], loop.debug)}`,
        exception,
        handle: new HandleImpl(fn as (...args: ReadonlyArray<never>) => unknown, [arg], loop)
      })
    }
  }

  clear(): void {
    this.items = new Array(128)
    this.head = 0
    this.size = 0
  }
}

/** `Handle._run` as a ready-queue function: a cancelled handle does not run. */
const runHandle = (handle: HandleImpl): void => {
  if (!handle.cancelled()) handle.run()
}

/**
 * The loops inside `run_forever` now, innermost (last started) last: JavaScript has one thread,
 * so "the running loop" of Promise-based code (asyncio's `get_running_loop()` of a thread) is the
 * innermost one; `for await` over a queue not yet bound to a loop waits on it.
 */
const runningLoops: Array<LoopCore> = []

/** The innermost loop that is running, if any. */
export const innermostRunningLoop = (): LoopCore | undefined => runningLoops[runningLoops.length - 1]

const leaveRunning = (loop: LoopCore): void => {
  const index = runningLoops.lastIndexOf(loop)
  if (index >= 0) runningLoops.splice(index, 1)
}

/** What `_run_once` found to do: it ran an iteration, or the loop must wait for a timer or work. */
type Iteration = "ran" | "wait" | "idle"

/**
 * One loop's scheduling: ready queue, timers, `_run_once`, `run_forever` / `stop`, and the
 * exception handler. `events.ts` builds the public loop on it.
 */
export class LoopCore {
  private readonly ready = new ReadyQueue()
  private scheduledTimers: Array<TimerHandleImpl> = []
  private timerCancelledCount = 0
  private closed = false
  /** inside `run_forever` (asyncio's `_thread_id is not None`) */
  private running = false
  private stopping = false
  /** resumes whoever waits in `runForever` once the loop stops (with the error it stopped on) */
  private onStopped: ((error: unknown) => void) | undefined = undefined
  /** a KeyboardInterrupt raised in a callback or a task's step: it leaves `run_forever` */
  private baseException: unknown = undefined
  /**
   * What the loop waits for from outside its ready queue and timers: Promises not settled yet
   * (awaited as futures), executor calls in flight, signal handlers installed. While any, each
   * iteration is followed by a turn of the host, so that none is seen iterations late.
   */
  externalWaits = 0
  /** a Promise of the loop was settled: the host's turn (its reactions) comes after this iteration */
  hostTurnWanted = false
  /** a task of the host scheduler is queued to run iterations */
  private iterationQueued = false
  private iterating = false
  /** the fiber sleeping until the earliest timer, and that timer's deadline */
  private sleeper: Fiber.Fiber<void> | undefined = undefined
  private sleeperAt = Number.NaN
  /** After the sleeper wakes, `time()` reads exactly the deadline it waited for, as long as
   * the clock still shows the instant it woke at (so `when - now` noise never shifts a timer). */
  private exactNow = Number.NaN
  private exactNowMillis = Number.NaN
  debug: boolean
  /** the handler `callExceptionHandler` calls; the default writes to `console.error` */
  protected handleException: ((context: ExceptionContextShape) => void) | undefined = undefined

  /** The scheduler of task fibers: Effect's own scheduling of them joins the ready queue. */
  readonly fiberScheduler: Scheduler.Scheduler
  private readonly fiberDispatcher: Scheduler.SchedulerDispatcher

  constructor(
    private readonly clock: Clock.Clock,
    /** the host's dispatcher (the scheduler of the fiber that made the loop): runs iterations */
    private readonly host: Scheduler.SchedulerDispatcher,
    debug: boolean
  ) {
    this.debug = debug
    if (debug) debugMode.seen = true
    this.fiberDispatcher = {
      scheduleTask: (task) => {
        // a fiber of a closed loop still gets its turn, on the host
        if (this.closed) this.host.scheduleTask(task, 0)
        else this.callSoonFn(runTask, task)
      },
      // `Effect.runSync` brings its own scheduler; nothing flushes this queue from outside
      flush: () => {}
    }
    const dispatcher = this.fiberDispatcher
    this.fiberScheduler = {
      executionMode: "async",
      shouldYield: () => false,
      makeDispatcher: () => dispatcher
    }
  }

  /** `loop.time()`: the clock in seconds (virtual under `TestClock`). */
  time(): number {
    const millis = this.clock.currentTimeMillisUnsafe()
    if (millis === this.exactNowMillis) return this.exactNow
    return millis / 1000
  }

  isClosed(): boolean {
    return this.closed
  }

  isRunning(): boolean {
    return this.running
  }

  /** asyncio's `_check_closed` */
  checkClosed(): void {
    if (this.closed) throw new RuntimeError({ message: "Event loop is closed" })
  }

  /** The library's `call_soon(fn, arg)`: no `Handle` (nobody can cancel it), no allocation. */
  callSoonFn<X>(fn: (arg: X) => void, arg: X): void {
    this.ready.push(fn, arg)
    if (this.ready.size === 1) this.wake()
  }

  /** asyncio's `call_soon(callback, *args)` */
  callSoonHandle(
    callback: (...args: ReadonlyArray<never>) => unknown,
    args: ReadonlyArray<unknown>
  ): HandleImpl {
    this.checkClosed()
    validate.callback(callback, "callSoon")
    const handle = new HandleImpl(callback, args, this)
    this.callSoonFn(runHandle, handle)
    return handle
  }

  /** asyncio's `call_at(when, callback, *args)` */
  callAtHandle(
    when: number,
    callback: (...args: ReadonlyArray<never>) => unknown,
    args: ReadonlyArray<unknown>
  ): TimerHandleImpl {
    this.checkClosed()
    validate.callback(callback, "callAt")
    const timer = new TimerHandleImpl(when, callback, args, this)
    this.scheduleTimer(timer)
    return timer
  }

  /** `heappush(self._scheduled, timer)` for a timer made by the library (the loop is open). */
  scheduleTimer(timer: TimerHandleImpl): void {
    heappush(this.scheduledTimers, timer, timerBefore)
    timer.scheduled = true
    // no sleeper yet, or one waiting for a later deadline: wake to (re-)arm it
    if (!(this.sleeperAt <= timer.deadline)) this.wake()
  }

  /** asyncio's `_timer_handle_cancelled` */
  timerHandleCancelled(timer: TimerHandleImpl): void {
    if (timer.scheduled) this.timerCancelledCount += 1
  }

  /** The timers in the heap, cancelled ones included until they are dropped. */
  timerCount(): number {
    return this.scheduledTimers.length
  }

  /**
   * asyncio's `run_forever()`, as an effect: iterations run until `stop()`, then it returns.
   * Fails with `RuntimeError` if the loop is closed or already running.
   */
  runForever(): Effect.Effect<void> {
    return Effect.callback<void>((resume) => {
      if (this.closed) return resume(Effect.die(new RuntimeError({ message: "Event loop is closed" })))
      if (this.running)
        return resume(Effect.die(new RuntimeError({ message: "This event loop is already running" })))
      this.running = true
      runningLoops.push(this)
      this.onStopped = (error) => resume(error === undefined ? Effect.void : Effect.die(error))
      this.wake()
      // the waiting fiber was interrupted: the loop stops where it is
      return Effect.sync(() => {
        if (this.onStopped === undefined) return
        this.onStopped = undefined
        this.running = false
        leaveRunning(this)
        this.stopping = false
        this.disarm()
      })
    })
  }

  /** asyncio's `stop()`: the loop stops after the iteration under way (or at once if idle). */
  stop(): void {
    this.stopping = true
    this.wake()
  }

  /**
   * asyncio's `close()`: the ready queue and the timers are dropped and never run. The loop must
   * not be running.
   */
  close(): void {
    if (this.running) throw new RuntimeError({ message: "Cannot close a running event loop" })
    if (this.closed) return
    this.closed = true
    this.ready.clear()
    for (const timer of this.scheduledTimers) timer.scheduled = false
    this.scheduledTimers = []
    this.timerCancelledCount = 0
    this.disarm()
  }

  /**
   * `loop.call_exception_handler(context)`. A handler that throws (whatever it throws) is
   * reported to the default handler instead; nothing it does breaks the loop.
   */
  callExceptionHandler(context: ExceptionContextShape): void {
    validate.exceptionContext(context, "callExceptionHandler")
    const handler = this.handleException
    if (handler !== undefined) {
      try {
        handler(context)
        return
      } catch (exception) {
        context = { message: "Unhandled error in exception handler", exception, context }
      }
    }
    try {
      globalThis.console.error(formatExceptionReport(context))
    } catch {
      // the report itself could not be written: nothing is left to tell
    }
  }

  /** There is work (or a stop request): make sure iterations run, unless they already do. */
  private wake(): void {
    if (!this.running || this.iterationQueued || this.iterating) return
    this.iterationQueued = true
    this.host.scheduleTask(this.runIterations, 0)
  }

  private readonly runIterations = (): void => {
    this.iterationQueued = false
    if (!this.running || this.iterating) return
    if (this.baseException !== undefined) {
      // raised from outside (`throwIn`) while the loop waited: no further iteration runs
      this.finishRunForever()
      return
    }
    this.iterating = true
    this.hostTurnWanted = false
    let outcome: Iteration = "ran"
    try {
      for (let i = 0; i < ITERATIONS_PER_TURN && outcome === "ran"; i++) {
        outcome = this.runOnce()
        // the host's turn now if the loop waits for something from outside, or settled a Promise
        if (this.stopping || this.externalWaits > 0 || this.hostTurnWanted) break
      }
    } finally {
      this.iterating = false
    }
    if (this.stopping) {
      this.finishRunForever()
      return
    }
    if (outcome === "ran") {
      // the host's turn (its I/O, other fibers), then more iterations
      this.iterationQueued = true
      this.host.scheduleTask(this.runIterations, 0)
    } else {
      this.arm()
    }
  }

  /** `_run_forever_cleanup`, then whoever waits in `runForever` resumes. */
  private finishRunForever(): void {
    this.stopping = false
    this.running = false
    leaveRunning(this)
    // a stopped loop waits for nothing: no host timer keeps the process alive for it
    this.disarm()
    const error = this.baseException
    this.baseException = undefined
    const onStopped = this.onStopped
    this.onStopped = undefined
    onStopped?.(error)
  }

  /**
   * A `KeyboardInterrupt` (asyncio's `SystemExit, KeyboardInterrupt`) raised by a callback or a
   * task's step: the iteration stops there and `run_forever` raises it, as `Handle._run`
   * re-raises it out of `_run_once`.
   */
  raiseBaseException(error: unknown): void {
    if (this.baseException === undefined) this.baseException = error
    this.stopping = true
  }

  /**
   * An exception raised into the running loop from outside it, as a signal handler raises
   * `KeyboardInterrupt` out of `select()`: the loop stops before its next iteration and
   * `run_forever` raises it. Nothing happens if the loop is not running.
   */
  throwIn(error: unknown): void {
    if (!this.running) return
    this.raiseBaseException(error)
    this.wake()
  }

  /** asyncio's `_run_once`, with `select(timeout)` replaced by "wait" when it would block. */
  private runOnce(): Iteration {
    const timers = this.scheduledTimers
    const schedCount = timers.length
    if (
      schedCount > MIN_SCHEDULED_TIMER_HANDLES &&
      this.timerCancelledCount / schedCount > MIN_CANCELLED_TIMER_HANDLES_FRACTION
    ) {
      // Remove delayed calls that were cancelled if their number is too high
      const kept: Array<TimerHandleImpl> = []
      for (const timer of timers) {
        if (timer.cancelled()) timer.scheduled = false
        else kept.push(timer)
      }
      heapify(kept, timerBefore)
      this.scheduledTimers = kept
      this.timerCancelledCount = 0
    } else {
      // Remove delayed calls that were cancelled from head of queue.
      while (timers.length > 0 && (timers[0] as TimerHandleImpl).cancelled()) {
        this.timerCancelledCount -= 1
        const timer = heappop(timers, timerBefore)
        timer.scheduled = false
      }
    }
    const scheduled = this.scheduledTimers
    const now = this.time()
    if (this.ready.size === 0 && !this.stopping) {
      if (scheduled.length === 0) return "idle"
      // `select(timeout)` would block until the earliest timer (one due within the clock's
      // resolution is due now: the iteration goes on, as after a select() that returned)
      if (!isDue(scheduled[0] as TimerHandleImpl, now)) return "wait"
    }
    // Handle 'later' callbacks that are ready.
    while (scheduled.length > 0) {
      if (!isDue(scheduled[0] as TimerHandleImpl, now)) break
      const timer = heappop(scheduled, timerBefore)
      timer.scheduled = false
      this.ready.push(runHandle, timer)
    }
    // Run the callbacks that were ready when the iteration began, not those they schedule.
    const ready = this.ready
    const ntodo = ready.size
    for (let i = 0; i < ntodo; i++) {
      try {
        ready.runFirst(this)
      } catch (error) {
        this.raiseBaseException(error)
      }
      // the rest of the iteration stays in the ready queue, as after a raise out of `_run_once`
      if (this.baseException !== undefined) break
    }
    return "ran"
  }

  /** Sleeps on the clock until the earliest timer (at most a day at a time), then iterates. */
  private arm(): void {
    const next = this.scheduledTimers[0]
    if (next === undefined || this.closed) {
      this.disarm()
      return
    }
    if (this.sleeper !== undefined && this.sleeperAt === next.deadline) return
    this.disarm()
    const delay = Math.min(next.deadline - this.time(), MAXIMUM_SELECT_TIMEOUT)
    const deadline = next.deadline
    this.sleeperAt = deadline
    const sleeper = Effect.runFork(this.clock.sleep(Duration.millis(delayMillis(delay))))
    this.sleeper = sleeper
    sleeper.addObserver((exit) => {
      if (this.sleeper !== sleeper || !Exit.isSuccess(exit)) return
      this.sleeper = undefined
      this.sleeperAt = Number.NaN
      if (delay < MAXIMUM_SELECT_TIMEOUT) {
        // the virtual loop's time reads the deadline itself, as Python's select(timeout) leaves it
        this.exactNowMillis = this.clock.currentTimeMillisUnsafe()
        this.exactNow = Math.max(deadline, this.exactNowMillis / 1000)
      }
      this.wake()
    })
  }

  private disarm(): void {
    const sleeper = this.sleeper
    this.sleeper = undefined
    this.sleeperAt = Number.NaN
    sleeper?.interruptUnsafe()
  }
}

/** Seconds to the sleeper's milliseconds, without the float noise of `when - now` (0.1 + 0.2...). */
const delayMillis = (seconds: number): number => {
  const millis = seconds * 1000
  const whole = Math.round(millis)
  return Math.max(0, Math.abs(millis - whole) < 1e-6 ? whole : millis)
}

/**
 * The default handler's text: the message, then each other entry of the context. It never throws,
 * whatever the context holds (a value whose `toString` throws, an object without a prototype).
 */
export const formatExceptionReport = (context: ExceptionContextShape): string => {
  // asyncio: `if not message: message = 'Unhandled exception in event loop'`
  const message = validate.safeString(read(context, "message") ?? "")
  const lines = [message === "" ? "Unhandled exception in event loop" : message]
  let entries: Array<[string, unknown]> = []
  try {
    entries = Object.entries(context)
  } catch {
    // a context whose entries cannot be listed shows its message only
  }
  for (const [key, value] of entries) {
    if (key === "message" || key === "exception" || value === undefined) continue
    // asyncio: `f'{key}: {value!r}'`; the tracebacks as text
    const text =
      key === "source_traceback" || key === "handle_traceback" ? validate.safeString(value) : pyRepr(value)
    lines.push(`${key}: ${text}`)
  }
  const exception = read(context, "exception")
  if (exception !== undefined) lines.push(exceptionText(exception))
  return lines.join("\n")
}

/** `context[key]`, or a placeholder where reading it throws (a getter, a revoked Proxy). */
const read = (context: ExceptionContextShape, key: string): unknown => {
  try {
    return context[key]
  } catch {
    return "<unreadable>"
  }
}

/** An exception as the report shows it: Python's traceback layout, else its text. */
const exceptionText = (exception: unknown): string => {
  try {
    return formatTraceback(exception)
  } catch {
    return validate.safeString(exception)
  }
}

// ---------------------------------------------------------------------------------------------
// Fiber internals. Effect 4's `FiberImpl` keeps these fields; the behaviours relied on are each
// pinned by a test in test/loopCore.test.ts.
// ---------------------------------------------------------------------------------------------

/** The fields of Effect's `FiberImpl` this module reads or writes. */
interface FiberInternals {
  _running: boolean
  interruptible: boolean
  _interruptedCause: Cause.Cause<never> | undefined
}

const internals = (fiber: Fiber.Fiber<unknown, unknown>): FiberInternals => fiber as unknown as FiberInternals

/** The fiber is evaluating right now (it called us, or we run inside its step). */
export const fiberIsRunning = (fiber: Fiber.Fiber<unknown, unknown>): boolean => internals(fiber)._running

/** An interruption delivered now would take effect now (not deferred to the end of a mask). */
export const fiberIsInterruptible = (fiber: Fiber.Fiber<unknown, unknown>): boolean =>
  internals(fiber).interruptible

/**
 * The annotation a task's cancellation carries on the interruption the loop delivers: the
 * `CancelledError` asyncio would throw into the coroutine. It tells our interruptions from any
 * other (a `Fiber.interrupt` by Effect code), and carries the message.
 */
export class Cancellation extends Context.Service<Cancellation, { readonly error: unknown }>()(
  "@effect-asyncio/core/Cancellation"
) {}

/** Interrupts `fiber` as a task's cancellation carrying `error` (asyncio's `coro.throw(exc)`). */
export const deliverCancellation = (fiber: Fiber.Fiber<unknown, unknown>, error: unknown): void => {
  fiber.interruptUnsafe(undefined, Context.make(Cancellation, { error }))
}

/** The CancelledError a loop-delivered interruption in `cause` carries, if any. */
export const cancellationOf = (cause: Cause.Cause<unknown>): unknown => {
  for (const reason of cause.reasons) {
    if (reason._tag !== "Interrupt") continue
    const annotation = reason.annotations.get(Cancellation.key) as { readonly error: unknown } | undefined
    if (annotation !== undefined) return annotation.error
  }
  return undefined
}

/**
 * Withdraws the interruption of `fiber` when it is only the loop's cancellations, so that the
 * fiber runs on: what CPython does when `__aexit__` of a `timeout()` or a `TaskGroup` catches the
 * CancelledError it caused (after `uncancel()`). Call it only while the fiber handles the cause.
 * Returns false (and changes nothing) when an interruption from elsewhere is pending.
 */
export const withdrawCancellation = (fiber: Fiber.Fiber<unknown, unknown>): boolean => {
  const impl = internals(fiber)
  const cause = impl._interruptedCause
  if (cause === undefined) return true
  for (const reason of cause.reasons) {
    if (reason._tag !== "Interrupt" || !reason.annotations.has(Cancellation.key)) return false
  }
  impl._interruptedCause = undefined
  return true
}

/**
 * Raises again a cancellation that `withdrawCancellation` caught (CPython's `raise
 * propagate_cancellation_error`): a loop-delivered one interrupts the fiber again, with the same
 * CancelledError; a CancelledError the body raised itself fails as it did.
 */
export const raiseCancellation = (
  fiber: Fiber.Fiber<unknown, unknown>,
  cause: Cause.Cause<unknown>
): Effect.Effect<never> => {
  const error = cancellationOf(cause)
  if (error !== undefined) deliverCancellation(fiber, error)
  return Effect.failCause(cause as Cause.Cause<never>)
}

/**
 * `try: body except BaseException: handler` for library code that must see a cancellation, as
 * CPython's `__aexit__` methods do: `handler` gets the body's exit, interruption included, and
 * runs uninterruptibly. (An interrupted Effect fiber skips `Effect.exit` and `catchCause` while
 * it is interruptible; inside `uninterruptibleMask`, `Effect.exit(restore(body))` sees it.) The
 * interruption stays pending (the fiber fails with it when the handler's effect ends) unless the
 * handler withdraws it (`withdrawCancellation`). `restore` lets the handler wait again
 * interruptibly (after a withdrawal).
 */
export const catchingCancellation = <A, E, R, B, E2, R2>(
  body: Effect.Effect<A, E, R>,
  handler: (
    exit: Exit.Exit<A, E>,
    restore: <X, Y, Z>(effect: Effect.Effect<X, Y, Z>) => Effect.Effect<X, Y, Z>
  ) => Effect.Effect<B, E2, R2>
): Effect.Effect<B, E2, R | R2> =>
  Effect.uninterruptibleMask((restore) =>
    Effect.flatMap(Effect.exit(restore(body)), (exit) => handler(exit, restore))
  )

// asyncio's class name in reprs and messages (`type(x).__name__`)
Object.defineProperty(HandleImpl, "name", { value: "Handle" })

// asyncio's class name in reprs and messages (`type(x).__name__`)
Object.defineProperty(TimerHandleImpl, "name", { value: "TimerHandle" })
