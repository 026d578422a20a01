/**
 * The storage behind the queues: what `_init`, `_put` and `_get` are to CPython's `Queue`
 * subclasses (a deque, a list used as a stack, a `heapq` heap).
 */
import { TypeError } from "../exceptions.js"
import { heappop, heappush } from "./heapq.js"
import { describe } from "./validate.js"

/** The storage of a queue: what `_init`, `_put` and `_get` are to CPython's subclasses. */
export interface Buffer<A> {
  readonly size: number
  push(item: A): void
  take(): A
  clear(): void
  toArray(): ReadonlyArray<A>
}

/** A FIFO ring buffer (CPython's `collections.deque`). */
export class FifoBuffer<A> implements Buffer<A> {
  private items: Array<A | undefined> = new Array(16)
  private head = 0
  size = 0

  push(item: A): void {
    if (this.size === this.items.length) {
      const grown: Array<A | undefined> = new Array(this.items.length * 2)
      for (let i = 0; i < this.size; i++) grown[i] = this.items[(this.head + i) % this.items.length]
      this.items = grown
      this.head = 0
    }
    this.items[(this.head + this.size) % this.items.length] = item
    this.size += 1
  }

  take(): A {
    const item = this.items[this.head] as A // callers check size > 0 first
    this.items[this.head] = undefined
    this.head = (this.head + 1) % this.items.length
    this.size -= 1
    return item
  }

  clear(): void {
    this.items = new Array(16)
    this.head = 0
    this.size = 0
  }

  toArray(): ReadonlyArray<A> {
    const out: Array<A> = []
    for (let i = 0; i < this.size; i++) out.push(this.items[(this.head + i) % this.items.length] as A)
    return out
  }
}

/** A stack (`LifoQueue`'s list). */
export class LifoBuffer<A> implements Buffer<A> {
  private items: Array<A> = []
  get size(): number {
    return this.items.length
  }
  push(item: A): void {
    this.items.push(item)
  }
  take(): A {
    return this.items.pop() as A // callers check size > 0 first
  }
  clear(): void {
    this.items = []
  }
  toArray(): ReadonlyArray<A> {
    return [...this.items]
  }
}

/**
 * A binary min-heap over `heapq.heappush`/`heappop` (same sift steps, so items that compare
 * equal come out in the same order as in CPython).
 */
export class HeapBuffer<A> implements Buffer<A> {
  private heap: Array<A> = []
  constructor(private readonly lessThan: (a: A, b: A) => boolean) {}
  get size(): number {
    return this.heap.length
  }
  push(item: A): void {
    heappush(this.heap, item, this.lessThan)
  }
  take(): A {
    // callers check size > 0 first
    return heappop(this.heap, this.lessThan)
  }
  clear(): void {
    this.heap = []
  }
  toArray(): ReadonlyArray<A> {
    return [...this.heap]
  }
}

/** Python's `<` on numbers, strings and tuples; other mixes are asyncio's `TypeError`. */
export const naturalCompare = (a: unknown, b: unknown): number => {
  if (Array.isArray(a) && Array.isArray(b)) {
    const n = Math.min(a.length, b.length)
    for (let i = 0; i < n; i++) {
      const c = naturalCompare(a[i], b[i])
      if (c !== 0) return c
    }
    return a.length - b.length
  }
  const kind = (x: unknown) => (typeof x === "boolean" || typeof x === "bigint" ? "number" : typeof x)
  if (kind(a) === kind(b) && (kind(a) === "number" || kind(a) === "string")) {
    // typed as numbers: at run time a bigint or boolean too, which JavaScript's < compares with
    // numbers as Python does (or both strings, by code unit as Python by code point below U+10000)
    const x = a as number
    const y = b as number
    return x < y ? -1 : y < x ? 1 : 0
  }
  throw new TypeError({
    message: `'<' not supported between instances of ${describe(a)} and ${describe(b)}`
  })
}
