/**
 * Waiters: the futures that asyncio's primitives keep in their `_waiters` deques.
 *
 * A `Waiter` is one fiber parked in a primitive. Its state mirrors an asyncio future's:
 * `waiting` (pending), `woken` (`set_result` was called) or `cancelled`. Waking sets the state at
 * once and schedules the fiber's resumption on the loop's ready queue (`loop.callSoon`), as
 * `set_result` schedules the task's next step with `call_soon`: the waker runs on, the woken
 * fiber runs at its turn, in FIFO order with every other step of the loop.
 *
 * A fiber interrupted between its wake-up and its turn sees an interruption while its waiter is
 * `woken`; the primitives check exactly this (as CPython checks `fut.done() and not
 * fut.cancelled()`) to pass the permit on.
 *
 * @internal
 */
import { Effect, Fiber, type Scheduler } from "effect"
import type { EventLoopService } from "../events.js"
import { CurrentTask } from "./task.js"

/** A parked fiber, as the state of the future it awaits. */
export type WaiterState = "waiting" | "woken" | "cancelled"

export class Waiter {
  state: WaiterState = "waiting"
  /** links of the `WaiterList` holding it */
  prev: Waiter | undefined = undefined
  next: Waiter | undefined = undefined
  list: WaiterList | undefined = undefined
  private resume: ((effect: Effect.Effect<void>) => void) | undefined = undefined
  private dispatcher: Scheduler.SchedulerDispatcher | undefined = undefined
  /** the loop of the waiting task: its wake-up joins that loop's ready queue */
  private loop: EventLoopService | undefined = undefined

  /** Parks the calling fiber until `wake()`; interruptible (the caller decides). */
  readonly wait: Effect.Effect<void> = Effect.withFiber((fiber) => {
    this.dispatcher = fiber.currentDispatcher
    const loop = fiber.getRef(CurrentTask)?.getLoop()
    this.loop = loop === undefined || loop.isClosed() ? undefined : loop
    return Effect.callback<void>((resume) => {
      if (this.state === "woken") resume(Effect.void)
      else this.resume = resume
    })
  })

  /** `fut.done()` */
  done(): boolean {
    return this.state !== "waiting"
  }

  /** `fut.cancelled()` */
  cancelled(): boolean {
    return this.state === "cancelled"
  }

  /** `fut.set_result(...)` on a pending future: false if it was already done. */
  wake(): boolean {
    if (this.state !== "waiting") return false
    this.state = "woken"
    const resume = this.resume
    if (resume === undefined) return true
    this.resume = undefined
    // in a task: the loop's ready queue, as `set_result` schedules the task's step with call_soon
    if (this.loop !== undefined) {
      this.loop.callSoon(() => resume(Effect.void))
      return true
    }
    // outside any loop, each Effect fiber has its own dispatcher: the waker's queue runs the
    // woken fiber before the waker's own next turn
    const dispatcher = Fiber.getCurrent()?.currentDispatcher ?? this.dispatcher
    if (dispatcher !== undefined) dispatcher.scheduleTask(() => resume(Effect.void), 0)
    else resume(Effect.void)
    return true
  }

  /** `fut.cancel()`: false if it was already done (woken or cancelled). */
  cancel(): boolean {
    if (this.state !== "waiting") return false
    this.state = "cancelled"
    this.resume = undefined
    return true
  }
}

/** A FIFO of waiters with O(1) append, removal of any member and pop from the front. */
export class WaiterList implements Iterable<Waiter> {
  private head: Waiter | undefined = undefined
  private tail: Waiter | undefined = undefined
  private count = 0

  get size(): number {
    return this.count
  }

  first(): Waiter | undefined {
    return this.head
  }

  push(waiter: Waiter): void {
    waiter.list = this
    waiter.prev = this.tail
    waiter.next = undefined
    if (this.tail === undefined) this.head = waiter
    else this.tail.next = waiter
    this.tail = waiter
    this.count += 1
  }

  /** Removes `waiter` if it is in this list; returns whether it was. */
  remove(waiter: Waiter): boolean {
    if (waiter.list !== this) return false
    if (waiter.prev === undefined) this.head = waiter.next
    else waiter.prev.next = waiter.next
    if (waiter.next === undefined) this.tail = waiter.prev
    else waiter.next.prev = waiter.prev
    waiter.prev = undefined
    waiter.next = undefined
    waiter.list = undefined
    this.count -= 1
    return true
  }

  /** `deque.popleft()` */
  shift(): Waiter | undefined {
    const head = this.head
    if (head !== undefined) this.remove(head)
    return head
  }

  *[Symbol.iterator](): Iterator<Waiter> {
    for (let waiter = this.head; waiter !== undefined; waiter = waiter.next) yield waiter
  }
}
