/**
 * Python's `heapq` (`heappush`, `heappop`, `heapify`), step for step, over an array and a `<`.
 *
 * asyncio keeps its timers in a `heapq` ordered by `TimerHandle.__lt__` (the deadline alone), and
 * `PriorityQueue` keeps its items in one: timers due at the same instant, and items that compare
 * equal, come out in the order these exact sift steps give, which is not insertion order. So the
 * steps are CPython's (`Lib/heapq.py`, `_siftdown` / `_siftup`), not any other heap's.
 */

/** `heapq._siftdown`: moves the item at `pos` up towards `start`. */
const siftDown = <A>(heap: Array<A>, start: number, pos: number, lessThan: (a: A, b: A) => boolean): void => {
  const item = heap[pos] as A
  while (pos > start) {
    const parentPos = (pos - 1) >> 1
    const parent = heap[parentPos] as A
    if (!lessThan(item, parent)) break
    heap[pos] = parent
    pos = parentPos
  }
  heap[pos] = item
}

/** `heapq._siftup`: moves the smaller child up until a leaf, then sifts the item down. */
const siftUp = <A>(heap: Array<A>, pos: number, lessThan: (a: A, b: A) => boolean): void => {
  const end = heap.length
  const start = pos
  const item = heap[pos] as A
  let child = 2 * pos + 1
  while (child < end) {
    const right = child + 1
    if (right < end && !lessThan(heap[child] as A, heap[right] as A)) child = right
    heap[pos] = heap[child] as A
    pos = child
    child = 2 * pos + 1
  }
  heap[pos] = item
  siftDown(heap, start, pos, lessThan)
}

/** `heapq.heappush(heap, item)` */
export const heappush = <A>(heap: Array<A>, item: A, lessThan: (a: A, b: A) => boolean): void => {
  heap.push(item)
  siftDown(heap, 0, heap.length - 1, lessThan)
}

/** `heapq.heappop(heap)`; the caller checks that the heap is not empty. */
export const heappop = <A>(heap: Array<A>, lessThan: (a: A, b: A) => boolean): A => {
  const last = heap.pop() as A
  if (heap.length === 0) return last
  const top = heap[0] as A
  heap[0] = last
  siftUp(heap, 0, lessThan)
  return top
}

/** `heapq.heapify(heap)`, in place. */
export const heapify = <A>(heap: Array<A>, lessThan: (a: A, b: A) => boolean): void => {
  for (let i = (heap.length >> 1) - 1; i >= 0; i--) siftUp(heap, i, lessThan)
}
