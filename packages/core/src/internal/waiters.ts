/**
 * What asyncio's primitives share: the `_waiters` deque of futures, and the loop a primitive
 * binds to on first use (`mixins._LoopBoundMixin`).
 *
 * A waiter is a plain `Future` of the loop: `set_result` wakes it (its task resumes at its
 * turn), and the waiting task's `cancel()` cancels it at once, so a primitive sees a cancelled
 * waiter before the task itself has run again, exactly as CPython's do.
 */
import type { Fiber } from "effect"
import { RuntimeError } from "../exceptions.js"
import { CurrentTask, FutureImpl } from "./future.js"

/** A waiter's place in a `WaiterQueue`. */
export interface WaiterNode {
  readonly future: FutureImpl<unknown, unknown>
  prev: WaiterNode | undefined
  next: WaiterNode | undefined
  /** still in its queue */
  linked: boolean
}

/** `collections.deque` of waiters, with O(1) removal of any member (`deque.remove(fut)`). */
export class WaiterQueue implements Iterable<FutureImpl<unknown, unknown>> {
  private head: WaiterNode | undefined = undefined
  private tail: WaiterNode | undefined = undefined
  size = 0

  /** `deque.append(fut)` */
  push(future: FutureImpl<unknown, unknown>): WaiterNode {
    const node: WaiterNode = { future, prev: this.tail, next: undefined, linked: true }
    if (this.tail === undefined) this.head = node
    else this.tail.next = node
    this.tail = node
    this.size += 1
    return node
  }

  /** `deque.remove(fut)`; false if it was gone already (popped by a wakeup). */
  remove(node: WaiterNode): boolean {
    if (!node.linked) return false
    node.linked = false
    if (node.prev === undefined) this.head = node.next
    else node.prev.next = node.next
    if (node.next === undefined) this.tail = node.prev
    else node.next.prev = node.prev
    node.prev = undefined
    node.next = undefined
    this.size -= 1
    return true
  }

  /** `deque.popleft()` */
  shift(): FutureImpl<unknown, unknown> | undefined {
    const head = this.head
    if (head === undefined) return undefined
    this.remove(head)
    return head.future
  }

  /** `next(iter(deque))` */
  first(): FutureImpl<unknown, unknown> | undefined {
    return this.head?.future
  }

  /** The first waiter still pending (asyncio's `for fut in waiters: if not fut.done()`). */
  firstPending(): FutureImpl<unknown, unknown> | undefined {
    for (let node = this.head; node !== undefined; node = node.next)
      if (!node.future.done()) return node.future
    return undefined
  }

  /** Whether a waiter is not cancelled (asyncio's `any(not w.cancelled() for w in waiters)`). */
  anyNotCancelled(): boolean {
    for (let node = this.head; node !== undefined; node = node.next) if (!node.future.cancelled()) return true
    return false
  }

  /** Whether `future` is in the queue (a scan: for reports only). */
  has(future: FutureImpl<unknown, unknown>): boolean {
    for (let node = this.head; node !== undefined; node = node.next) if (node.future === future) return true
    return false
  }

  /** `for fut in waiters: ...` without an iterator: `f` returns true to stop. */
  each(f: (future: FutureImpl<unknown, unknown>) => boolean | undefined): void {
    for (let node = this.head; node !== undefined; node = node.next) if (f(node.future) === true) return
  }

  *[Symbol.iterator](): Iterator<FutureImpl<unknown, unknown>> {
    for (let node = this.head; node !== undefined; node = node.next) yield node.future
  }
}

/** What a primitive binds to: the loop whose futures its waiters are. */
export interface LoopBound {
  boundLoop: FutureImpl<unknown, unknown>["loop"] | undefined
  toString(): string
  /** What a task blocked on `waiter` waits on: `Event.wait()`, `Queue.get()`... */
  describeWaiter?(waiter: FutureImpl<unknown, unknown>): string
}

/** A primitive's waiter: a plain future that can say what its task waits on. */
class WaiterFuture extends FutureImpl<unknown, unknown> {
  constructor(
    loop: FutureImpl<unknown, unknown>["loop"],
    private readonly owner: LoopBound
  ) {
    super(loop)
  }

  override waitDescription(): string {
    return this.owner.describeWaiter?.(this) ?? `${this.owner.constructor.name} waiter`
  }
}

/**
 * `_LoopBoundMixin._get_loop()`: the running loop (the calling task's), which the primitive
 * binds to on first use; another loop later is a `RuntimeError`. Outside any task there is no
 * running loop to wait on: `RuntimeError` too.
 */
export const getLoop = (
  self: LoopBound,
  fiber: Fiber.Fiber<unknown, unknown>
): FutureImpl<unknown, unknown>["loop"] => {
  const loop = fiber.getRef(CurrentTask)?.loop
  if (loop === undefined) throw new RuntimeError({ message: "no running event loop" })
  if (self.boundLoop === undefined) self.boundLoop = loop
  else if (self.boundLoop !== loop) {
    throw new RuntimeError({ message: `${self.toString()} is bound to a different event loop` })
  }
  return loop
}

/** A new waiter: a pending future of the primitive's loop. */
export const newWaiter = (
  self: LoopBound,
  fiber: Fiber.Fiber<unknown, unknown>
): FutureImpl<unknown, unknown> => new WaiterFuture(getLoop(self, fiber), self)
