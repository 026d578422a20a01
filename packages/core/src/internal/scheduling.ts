/**
 * The loop's timers: asyncio's `_scheduled` heap and the wakeup that moves due timers to the
 * ready queue (`base_events.py`, `_run_once`). The ready queue itself is Effect's scheduler
 * dispatcher, one per loop; this module only decides when a timer's callback joins it.
 *
 * @internal
 */
import { type Clock, Duration, Effect, Exit, type Fiber } from "effect"

/** Seconds to a timer's milliseconds, without the float noise of `when - now` (0.1 + 0.2...). */
const delayMillis = (seconds: number): number => {
  const millis = seconds * 1000
  const whole = Math.round(millis)
  return Math.max(0, Math.abs(millis - whole) < 1e-6 ? whole : millis)
}

/** A `callAt` timer; cancelling it drops its callback (asyncio's `Handle.cancel()`). */
interface LoopTimer {
  readonly when: number
  readonly seq: number
  callback: (() => void) | undefined
}

/** asyncio's `_MIN_SCHEDULED_TIMER_HANDLES` and `_MIN_CANCELLED_TIMER_HANDLES_FRACTION`. */
const MIN_SCHEDULED_TIMERS = 100
const MIN_CANCELLED_FRACTION = 0.5

const earlier = (a: LoopTimer, b: LoopTimer): boolean =>
  a.when < b.when || (a.when === b.when && a.seq < b.seq)

/** asyncio's `heapq` over `_scheduled`: the earliest timer (then the first set) on top. */
class TimerHeap {
  private readonly items: Array<LoopTimer> = []

  get size(): number {
    return this.items.length
  }

  peek(): LoopTimer | undefined {
    return this.items[0]
  }

  push(timer: LoopTimer): void {
    const items = this.items
    items.push(timer)
    let i = items.length - 1
    while (i > 0) {
      const parent = (i - 1) >>> 1
      const above = items[parent]
      if (above === undefined || !earlier(timer, above)) break
      items[i] = above
      i = parent
    }
    items[i] = timer
  }

  pop(): LoopTimer | undefined {
    const items = this.items
    const top = items[0]
    const last = items.pop()
    if (top === undefined || last === undefined || items.length === 0) return top
    let i = 0
    for (;;) {
      const left = 2 * i + 1
      const right = left + 1
      let smallest = last
      let at = -1
      const l = items[left]
      if (l !== undefined && earlier(l, smallest)) {
        smallest = l
        at = left
      }
      const r = items[right]
      if (r !== undefined && earlier(r, smallest)) {
        smallest = r
        at = right
      }
      if (at === -1) break
      items[i] = smallest
      i = at
    }
    items[i] = last
    return top
  }

  clear(): void {
    this.items.length = 0
  }

  /** Drops the cancelled timers and restores the heap order (a sorted array is a heap). */
  removeCancelled(): void {
    const kept = this.items.filter((timer) => timer.callback !== undefined)
    kept.sort((a, b) => (earlier(a, b) ? -1 : earlier(b, a) ? 1 : 0))
    this.items.length = 0
    for (const timer of kept) this.items.push(timer)
  }
}

/**
 * The timers of one loop. One fiber sleeps on Effect's `Clock` (virtual under `TestClock`) until
 * the earliest deadline; then every due timer joins the ready queue through `callSoon`, in
 * deadline order, then in the order they were set.
 */
export class LoopTimers {
  private readonly heap = new TimerHeap()
  private seq = 0
  /** cancelled timers still in the heap (asyncio's `_timer_cancelled_count`) */
  private cancelledCount = 0
  private fiber: Fiber.Fiber<void> | undefined = undefined
  private armedAt: number | undefined = undefined
  private closed = false

  constructor(
    private readonly clock: Clock.Clock,
    private readonly callSoon: (callback: () => void) => void
  ) {}

  /** `loop.time()` in seconds. */
  time(): number {
    return this.clock.currentTimeMillisUnsafe() / 1000
  }

  /** The timers still in the heap, cancelled ones included until they are dropped. */
  size(): number {
    return this.heap.size
  }

  /** asyncio's `loop.call_at(when, callback)`; returns the function that cancels the timer. */
  callAt(when: number, callback: () => void): () => void {
    const timer: LoopTimer = { when, seq: this.seq++, callback }
    this.heap.push(timer)
    if (this.armedAt === undefined || when < this.armedAt) this.arm()
    return () => {
      if (timer.callback === undefined) return
      // what the callback holds (a fiber's resume, a Timeout) is released at once
      timer.callback = undefined
      this.cancelledCount += 1
      // as asyncio's `_run_once`: once most of the heap is cancelled, rebuild it without them,
      // so that cancelled sleeps and deadlines do not pile up until they are due
      const size = this.heap.size
      if (size > MIN_SCHEDULED_TIMERS && this.cancelledCount / size > MIN_CANCELLED_FRACTION) {
        this.heap.removeCancelled()
        this.cancelledCount = 0
      }
    }
  }

  /** The loop closed: pending timers are dropped and never fire; later ones never arm. */
  close(): void {
    this.closed = true
    this.heap.clear()
    this.cancelledCount = 0
    this.arm()
  }

  private arm(): void {
    this.fiber?.interruptUnsafe()
    this.fiber = undefined
    this.armedAt = undefined
    while (this.heap.peek()?.callback === undefined && this.heap.size > 0) {
      this.heap.pop()
      this.cancelledCount -= 1
    }
    const next = this.heap.peek()
    if (next === undefined || this.closed) return
    this.armedAt = next.when
    const fiber = Effect.runFork(this.clock.sleep(Duration.millis(delayMillis(next.when - this.time()))))
    this.fiber = fiber
    fiber.addObserver((exit) => {
      if (Exit.isSuccess(exit) && this.fiber === fiber) this.fire()
    })
  }

  private fire(): void {
    // asyncio's `end_time = self.time() + self._clock_resolution`
    const endTime = this.time() + 1e-6
    for (;;) {
      const timer = this.heap.peek()
      if (timer === undefined || timer.when > endTime) break
      this.heap.pop()
      const callback = timer.callback
      if (callback === undefined) {
        this.cancelledCount -= 1
      } else {
        // out of the heap: a later cancel has nothing left to count (asyncio's `_scheduled`)
        timer.callback = undefined
        this.callSoon(callback)
      }
    }
    this.arm()
  }
}
