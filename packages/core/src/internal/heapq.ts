/**
 * Python's `heapq` (`heappush`, `heappop`, `heapify`), step for step, over an array and a `<`.
 *
 * asyncio keeps its timers in a `heapq` ordered by `TimerHandle.__lt__` (the deadline alone), and
 * `PriorityQueue` keeps its items in one: timers due at the same instant, and items that compare
 * equal, come out in the order these exact sift steps give, which is not insertion order. So the
 * steps are CPython's (`Lib/heapq.py`, `_siftdown` / `_siftup`; `Modules/_heapqmodule.c` makes
 * the same comparisons), not any other heap's.
 *
 * One difference: every operation makes all its comparisons before it moves an item, so a
 * comparison that throws (a user's `Order`, items that do not compare) leaves the heap exactly as
 * it was. CPython's moves as it compares: the pure-Python module then leaves an item written
 * twice and another gone, the C module a permutation that may no longer be a heap (and `heappop`
 * drops the smallest item). The comparisons, their operands and their order are CPython's, so the
 * resulting order is the same whenever nothing throws.
 */
import { RuntimeError } from "../exceptions.js"

type LessThan<A> = (a: A, b: A) => boolean

/** `_heapq`'s check after each comparison: the comparison changed the heap's size. */
const checkSize = (heap: ReadonlyArray<unknown>, size: number): void => {
  if (heap.length !== size) throw new RuntimeError({ message: "list changed size during iteration" })
}

/**
 * Where `_siftdown(heap, start, pos)` puts `item` (the item at `pos`): it climbs while it is less
 * than its parent. Compares only; moves nothing.
 */
const climb = <A>(
  heap: ReadonlyArray<A>,
  item: A,
  start: number,
  pos: number,
  lessThan: LessThan<A>
): number => {
  const size = heap.length
  while (pos > start) {
    const parentPos = (pos - 1) >> 1
    const less = lessThan(item, heap[parentPos] as A)
    checkSize(heap, size)
    if (!less) break
    pos = parentPos
  }
  return pos
}

/**
 * Puts `item` at `to`, moving each item on the path from `to` up to `from` one level up (`from`'s
 * own item is overwritten: the caller holds it). `from` is an ancestor of `to`, or `to` itself.
 */
const rotate = <A>(heap: Array<A>, item: A, from: number, to: number): void => {
  let carried = item
  let pos = to
  while (pos > from) {
    const next = heap[pos] as A
    heap[pos] = carried
    carried = next
    pos = (pos - 1) >> 1
  }
  heap[from] = carried
}

/**
 * Puts `item` back at `to` and moves the items on the path from `to` up to `from` one level down:
 * `_siftdown`'s moves, for an item that climbed from `from` (a leaf) to `to`.
 */
const sink = <A>(heap: Array<A>, item: A, to: number, from: number): void => {
  let pos = from
  while (pos > to) {
    const parentPos = (pos - 1) >> 1
    heap[pos] = heap[parentPos] as A
    pos = parentPos
  }
  heap[to] = item
}

/**
 * `heapq._siftup(heap, pos)`: the item at `pos` goes down the path of smaller children to a leaf,
 * then climbs back as `_siftdown` moves it. Both walks compare first (the items on the path are
 * still in their places, so each comparison has CPython's operands); then the item and the path
 * move at once.
 */
const siftUp = <A>(heap: Array<A>, startPos: number, lessThan: LessThan<A>): void => {
  const endPos = heap.length
  const item = heap[startPos] as A
  // Follow the path of smaller children to a leaf (`childpos`, as heapq.py).
  let leaf = startPos
  let childPos = 2 * leaf + 1
  while (childPos < endPos) {
    const rightPos = childPos + 1
    if (rightPos < endPos) {
      const less = lessThan(heap[childPos] as A, heap[rightPos] as A)
      checkSize(heap, endPos)
      if (!less) childPos = rightPos
    }
    leaf = childPos
    childPos = 2 * leaf + 1
  }
  // `_siftdown(heap, startpos, leaf)`: once the path has moved up a level, the parent of the item
  // at `p` holds what is at `p` now, so the item climbs while it is less than `heap[p]`.
  let pos = leaf
  while (pos > startPos) {
    const less = lessThan(item, heap[pos] as A)
    checkSize(heap, endPos)
    if (!less) break
    pos = (pos - 1) >> 1
  }
  rotate(heap, item, startPos, pos)
}

/** `heapq.heappush(heap, item)`; a comparison that throws leaves the heap as it was. */
export const heappush = <A>(heap: Array<A>, item: A, lessThan: LessThan<A>): void => {
  const size = heap.length
  heap.push(item)
  let pos: number
  try {
    pos = climb(heap, item, 0, size, lessThan)
  } catch (error) {
    heap.pop()
    throw error
  }
  sink(heap, item, pos, size)
}

/**
 * `heapq.heappop(heap)`; the caller checks that the heap is not empty. A comparison that throws
 * leaves the heap as it was (the smallest item stays at its top).
 */
export const heappop = <A>(heap: Array<A>, lessThan: LessThan<A>): A => {
  const last = heap.pop() as A
  if (heap.length === 0) return last
  const top = heap[0] as A
  heap[0] = last
  try {
    siftUp(heap, 0, lessThan)
  } catch (error) {
    heap[0] = top
    heap.push(last)
    throw error
  }
  return top
}

/** `heapq.heapify(heap)`, in place; a comparison that throws leaves the array as it was. */
export const heapify = <A>(heap: Array<A>, lessThan: LessThan<A>): void => {
  const before = heap.slice()
  try {
    for (let i = (heap.length >> 1) - 1; i >= 0; i--) siftUp(heap, i, lessThan)
  } catch (error) {
    heap.splice(0, heap.length, ...before)
    throw error
  }
}
