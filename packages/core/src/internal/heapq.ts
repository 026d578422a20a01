/**
 * Python's `heapq` (`heappush`, `heappop`, `heapify`), step for step, over an array and a `<`.
 *
 * asyncio keeps its timers in a `heapq` ordered by `TimerHandle.__lt__` (the deadline alone), and
 * `PriorityQueue` keeps its items in one: timers due at the same instant, and items that compare
 * equal, come out in the order these exact sift steps give, which is not insertion order. So the
 * steps are CPython's, not any other heap's: those of its C module (`Modules/_heapqmodule.c`,
 * `siftdown` / `siftup`), which give the same order as `Lib/heapq.py` and move items by swapping
 * them. A comparison that throws (a user's `Order`, items that do not compare) then leaves the
 * array a permutation of its items, as the C module leaves the list: no item is lost or written
 * twice (the pure-Python steps, which move items into a hole, would duplicate one).
 */
import { RuntimeError } from "../exceptions.js"

type LessThan<A> = (a: A, b: A) => boolean

/** `_heapq`'s check after each comparison: the comparison changed the heap's size. */
const checkSize = (heap: ReadonlyArray<unknown>, size: number): void => {
  if (heap.length !== size) throw new RuntimeError({ message: "list changed size during iteration" })
}

/** `_heapq.siftdown`: moves the item at `pos` up towards `start`, swapping it with each parent. */
const siftDown = <A>(heap: Array<A>, start: number, pos: number, lessThan: LessThan<A>): void => {
  const size = heap.length
  // Follow the path to the root, moving parents down until finding a place newitem fits.
  while (pos > start) {
    const parentPos = (pos - 1) >> 1
    const less = lessThan(heap[pos] as A, heap[parentPos] as A)
    checkSize(heap, size)
    if (!less) break
    // read again: the comparison may have moved items (C re-reads the list here too)
    const parent = heap[parentPos] as A
    heap[parentPos] = heap[pos] as A
    heap[pos] = parent
    pos = parentPos
  }
}

/** `_heapq.siftup`: bubbles the smaller child up until a leaf, then sifts the item down. */
const siftUp = <A>(heap: Array<A>, pos: number, lessThan: LessThan<A>): void => {
  const endPos = heap.length
  const startPos = pos
  const limit = endPos >> 1 // smallest pos that has no child
  while (pos < limit) {
    // Set childpos to index of smaller child.
    let childPos = 2 * pos + 1
    if (childPos + 1 < endPos) {
      if (!lessThan(heap[childPos] as A, heap[childPos + 1] as A)) childPos += 1
      checkSize(heap, endPos)
    }
    // Move the smaller child up.
    const child = heap[childPos] as A
    heap[childPos] = heap[pos] as A
    heap[pos] = child
    pos = childPos
  }
  // Bubble it up to its final resting place (by sifting its parents down).
  siftDown(heap, startPos, pos, lessThan)
}

/** `heapq.heappush(heap, item)`: a comparison that throws leaves `item` in the heap, as CPython. */
export const heappush = <A>(heap: Array<A>, item: A, lessThan: LessThan<A>): void => {
  heap.push(item)
  siftDown(heap, 0, heap.length - 1, lessThan)
}

/**
 * `heapq.heappop(heap)`; the caller checks that the heap is not empty. When a comparison throws,
 * CPython's C module drops the smallest item (it is neither returned nor in the list); here it
 * goes back into the heap (at the end), so the heap keeps every item.
 */
export const heappop = <A>(heap: Array<A>, lessThan: LessThan<A>): A => {
  const last = heap.pop() as A
  if (heap.length === 0) return last
  const top = heap[0] as A
  heap[0] = last
  try {
    siftUp(heap, 0, lessThan)
  } catch (error) {
    heap.push(top)
    throw error
  }
  return top
}

/** `heapq.heapify(heap)`, in place. */
export const heapify = <A>(heap: Array<A>, lessThan: LessThan<A>): void => {
  for (let i = (heap.length >> 1) - 1; i >= 0; i--) siftUp(heap, i, lessThan)
}
