/**
 * internal/heapq.ts against `Lib/heapq.py`: the same array after every operation (so timers and
 * PriorityQueue items that compare equal come out in CPython's order), and a comparison that
 * throws leaves the array as it was (issue 11: a throwing `put` duplicated an item and lost one).
 */
import { assert, describe, it } from "@effect/vitest"
import * as fc from "fast-check"
import { heapify, heappop, heappush } from "../src/internal/heapq.js"

type LessThan<A> = (a: A, b: A) => boolean

// `Lib/heapq.py`'s `_siftdown` / `_siftup`, as written there (they move items into a hole): the
// reference for the array's state, whatever steps ours takes to reach it
const pySiftdown = <A>(heap: Array<A>, startpos: number, pos: number, lt: LessThan<A>): void => {
  const newitem = heap[pos] as A
  while (pos > startpos) {
    const parentpos = (pos - 1) >> 1
    const parent = heap[parentpos] as A
    if (lt(newitem, parent)) {
      heap[pos] = parent
      pos = parentpos
      continue
    }
    break
  }
  heap[pos] = newitem
}
const pySiftup = <A>(heap: Array<A>, pos: number, lt: LessThan<A>): void => {
  const endpos = heap.length
  const startpos = pos
  const newitem = heap[pos] as A
  let childpos = 2 * pos + 1
  while (childpos < endpos) {
    const rightpos = childpos + 1
    if (rightpos < endpos && !lt(heap[childpos] as A, heap[rightpos] as A)) childpos = rightpos
    heap[pos] = heap[childpos] as A
    pos = childpos
    childpos = 2 * pos + 1
  }
  heap[pos] = newitem
  pySiftdown(heap, startpos, pos, lt)
}
const pyHeappush = <A>(heap: Array<A>, item: A, lt: LessThan<A>): void => {
  heap.push(item)
  pySiftdown(heap, 0, heap.length - 1, lt)
}
const pyHeappop = <A>(heap: Array<A>, lt: LessThan<A>): A => {
  const lastelt = heap.pop() as A
  if (heap.length === 0) return lastelt
  const returnitem = heap[0] as A
  heap[0] = lastelt
  pySiftup(heap, 0, lt)
  return returnitem
}
const pyHeapify = <A>(heap: Array<A>, lt: LessThan<A>): void => {
  for (let i = (heap.length >> 1) - 1; i >= 0; i--) pySiftup(heap, i, lt)
}

/** Items compared by key only, so that equal keys show which item the steps put where. */
interface Item {
  readonly key: number
  readonly id: number
}
const byKey: LessThan<Item> = (a, b) => a.key < b.key

/** A comparison that throws at its `n`-th call (counting from 1), then never again. */
const throwingAt = (n: number): LessThan<Item> => {
  let calls = 0
  return (a, b) => {
    calls += 1
    if (calls === n) throw new Error("no comparison now")
    return byKey(a, b)
  }
}

/** Operations on a heap: push an item with a key, or pop. */
const ops = fc.array(
  fc.oneof(fc.record({ push: fc.integer({ min: 0, max: 4 }) }), fc.constant({ pop: true as const })),
  {
    maxLength: 80
  }
)

describe("heapq", () => {
  it("gives Lib/heapq.py's array after every push, pop and heapify", () => {
    fc.assert(
      fc.property(ops, fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 40 }), (program, initial) => {
        const start = initial.map((key, id) => ({ key, id: -1 - id }))
        const ours = [...start]
        const reference = [...start]
        heapify(ours, byKey)
        pyHeapify(reference, byKey)
        assert.deepStrictEqual(ours, reference)
        program.forEach((op, id) => {
          if ("push" in op) {
            const item = { key: op.push, id }
            heappush(ours, item, byKey)
            pyHeappush(reference, item, byKey)
          } else if (reference.length > 0) {
            assert.strictEqual(heappop(ours, byKey), pyHeappop(reference, byKey))
          }
          assert.deepStrictEqual(ours, reference)
        })
      })
    )
  })

  it("leaves the heap as it was when a comparison throws, whichever comparison it is", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 1, maxLength: 60 }),
        fc.integer({ min: 0, max: 9 }),
        fc.integer({ min: 1, max: 12 }),
        (keys, pushed, n) => {
          const heap = keys.map((key, id) => ({ key, id }))
          heapify(heap, byKey)
          for (const op of ["push", "pop", "heapify"] as const) {
            const before = [...heap]
            try {
              if (op === "push") heappush(heap, { key: pushed, id: -1 }, throwingAt(n))
              else if (op === "pop") heappop(heap, throwingAt(n))
              else heapify(heap, throwingAt(n))
            } catch {
              // the same items in the same places: nothing lost, written twice or moved
              assert.strictEqual(heap.length, before.length)
              for (let i = 0; i < heap.length; i++) assert.strictEqual(heap[i], before[i])
              continue
            }
            // it did not throw (fewer than n comparisons): put the heap back for the next one
            heap.splice(0, heap.length, ...before)
          }
        }
      )
    )
  })
})
