/**
 * Ports of CPython 3.13's test_locks.py BarrierTests on virtual time.
 */
import { assert, describe, it } from "@effect/vitest"
import * as asyncio from "@effect-asyncio/core"
import { Cause, Effect, Exit } from "effect"
import { runOk } from "./utils/virtual.js"

const sleep0 = asyncio.sleep(0)
const N = 5
const value = <A, E>(main: Effect.Effect<A, E, asyncio.EventLoop>) => Effect.map(runOk(main), (r) => r.value)

/** `[asyncio.create_task(coro()) for _ in range(n)]` */
const makeTasks = <A, E>(n: number, coro: () => Effect.Effect<A, E, asyncio.EventLoop>) =>
  Effect.forEach(Array.from({ length: n }), () => asyncio.createTask(coro()))
/** `await asyncio.gather(*tasks)` (no return_exceptions) */
const gatherAll = <A, E>(tasks: ReadonlyArray<asyncio.Task<A, E>>) => Effect.forEach(tasks, (task) => task)
const gatherTasks = <A, E>(n: number, coro: () => Effect.Effect<A, E, asyncio.EventLoop>) =>
  Effect.flatMap(makeTasks(n, coro), gatherAll)
/** catches BrokenBarrierError as `except asyncio.BrokenBarrierError:` */
const onBroken = <A, E, B, E2>(
  effect: Effect.Effect<A, E | asyncio.BrokenBarrierError, asyncio.EventLoop>,
  handler: () => Effect.Effect<B, E2, asyncio.EventLoop>
) => Effect.catchTag(effect, "BrokenBarrierError", handler)

describe("Barrier", () => {
  it.effect("test_barrier: a new barrier is filling", () =>
    Effect.sync(() =>
      assert.strictEqual(new asyncio.Barrier(N).toString(), "<Barrier [filling, waiters:0/5]>")
    )
  )

  it.effect("test_repr: filling, draining, resetting, broken", () =>
    Effect.gen(function* () {
      const out = yield* value(
        Effect.gen(function* () {
          const barrier = new asyncio.Barrier(N)
          const reprs = [barrier.toString()]
          const waiters: Array<asyncio.Task<number, asyncio.BrokenBarrierError>> = []
          for (let i = 0; i < 2; i++) waiters.push(yield* asyncio.createTask(barrier.wait()))
          yield* sleep0
          reprs.push(barrier.toString())
          for (let i = barrier.parties - barrier.nWaiting; i > 0; i--)
            waiters.push(yield* asyncio.createTask(barrier.wait()))
          yield* sleep0
          reprs.push(barrier.toString())
          for (let i = 0; i < 2; i++) waiters.push(yield* asyncio.createTask(barrier.wait()))
          yield* sleep0
          yield* barrier.reset()
          reprs.push(barrier.toString())
          for (let i = 0; i < 2; i++) waiters.push(yield* asyncio.createTask(barrier.wait()))
          yield* sleep0
          yield* barrier.abort()
          reprs.push(barrier.toString())
          yield* Effect.forEach(waiters, (w) => Effect.exit(w))
          return { reprs, broken: barrier.broken }
        })
      )
      assert.strictEqual(out.reprs[0], "<Barrier [filling, waiters:0/5]>")
      assert.strictEqual(out.reprs[1], "<Barrier [filling, waiters:2/5]>")
      assert.match(out.reprs[2] ?? "", /^<Barrier \[draining, waiters:0\/5\]>$/)
      assert.match(out.reprs[3] ?? "", /resetting/)
      assert.strictEqual(out.reprs[4], "<Barrier [broken]>")
      assert.isTrue(out.broken)
    })
  )

  it.effect("test_barrier_parties: parties < 1 is asyncio's ValueError (NaN passes, as in CPython)", () =>
    Effect.gen(function* () {
      for (const parties of [0, -4, Number.NEGATIVE_INFINITY]) {
        const exit = yield* Effect.exit(Effect.sync(() => new asyncio.Barrier(parties)))
        assert.isTrue(Exit.isFailure(exit))
        if (Exit.isFailure(exit)) assert.instanceOf(Cause.squash(exit.cause), asyncio.ValueError)
      }
      assert.instanceOf(new asyncio.Barrier(N), asyncio.Barrier)
      // CPython compares `parties < 1`: NaN passes (such a barrier never fills)
      assert.isNaN(new asyncio.Barrier(Number.NaN).parties)
    })
  )

  it.effect("test_context_manager: use() gives each party its index", () =>
    Effect.gen(function* () {
      const out = yield* value(
        Effect.gen(function* () {
          const barrier = new asyncio.Barrier(3)
          const results: number[] = []
          yield* gatherTasks(3, () => barrier.use((i) => Effect.sync(() => results.push(i))))
          return { results: results.sort(), nWaiting: barrier.nWaiting, broken: barrier.broken }
        })
      )
      assert.deepStrictEqual(out, { results: [0, 1, 2], nWaiting: 0, broken: false })
    })
  )

  it.effect("test_filling_one_task: one party passes at once", () =>
    Effect.gen(function* () {
      const out = yield* value(
        Effect.gen(function* () {
          const barrier = new asyncio.Barrier(1)
          const ret = yield* barrier.use(() => Effect.succeed(true))
          return [ret, barrier.nWaiting, barrier.broken]
        })
      )
      assert.deepStrictEqual(out, [true, 0, false])
    })
  )

  it.effect("test_filling_one_task_twice: the barrier is reusable", () =>
    Effect.gen(function* () {
      const out = yield* value(
        Effect.gen(function* () {
          const barrier = new asyncio.Barrier(1)
          const t1 = yield* asyncio.createTask(barrier.wait())
          yield* sleep0
          const n1 = barrier.nWaiting
          const t2 = yield* asyncio.createTask(barrier.wait())
          yield* sleep0
          return [
            n1,
            yield* t1.result(),
            yield* t2.result(),
            t1.done() === t2.done(),
            barrier.nWaiting,
            barrier.broken
          ]
        })
      )
      assert.deepStrictEqual(out, [0, 0, 0, true, 0, false])
    })
  )

  it.effect("test_filling_task_by_task: n_waiting counts arrivals", () =>
    Effect.gen(function* () {
      const out = yield* value(
        Effect.gen(function* () {
          const barrier = new asyncio.Barrier(3)
          const seen: Array<[number, string]> = []
          const t1 = yield* asyncio.createTask(barrier.wait())
          yield* sleep0
          seen.push([barrier.nWaiting, barrier.toString()])
          const t2 = yield* asyncio.createTask(barrier.wait())
          yield* sleep0
          seen.push([barrier.nWaiting, barrier.toString()])
          const t3 = yield* asyncio.createTask(barrier.wait())
          yield* sleep0
          yield* gatherAll([t1, t2, t3])
          return { seen, nWaiting: barrier.nWaiting, broken: barrier.broken }
        })
      )
      assert.deepStrictEqual(out, {
        seen: [
          [1, "<Barrier [filling, waiters:1/3]>"],
          [2, "<Barrier [filling, waiters:2/3]>"]
        ],
        nWaiting: 0,
        broken: false
      })
    })
  )

  it.effect("test_filling_tasks_wait_twice: nested use()", () =>
    Effect.gen(function* () {
      const out = yield* value(
        Effect.gen(function* () {
          const barrier = new asyncio.Barrier(N)
          const results: boolean[] = []
          const push = (b: boolean) => Effect.sync(() => results.push(b))
          yield* gatherTasks(N, () =>
            barrier.use(() =>
              Effect.andThen(
                push(true),
                barrier.use(() => push(false))
              )
            )
          )
          return [
            results.filter((r) => r).length,
            results.filter((r) => !r).length,
            barrier.nWaiting,
            barrier.broken
          ]
        })
      )
      assert.deepStrictEqual(out, [N, N, 0, false])
    })
  )

  it.effect("test_filling_tasks_check_return_value: indices 0..N-1 on the second pass", () =>
    Effect.gen(function* () {
      const out = yield* value(
        Effect.gen(function* () {
          const barrier = new asyncio.Barrier(N)
          let first = 0
          const res = yield* gatherTasks(N, () =>
            barrier.use(() =>
              Effect.andThen(
                Effect.sync(() => (first += 1)),
                barrier.use((i) => Effect.succeed(i))
              )
            )
          )
          return { first, res: [...res].sort(), nWaiting: barrier.nWaiting }
        })
      )
      assert.deepStrictEqual(out, { first: N, res: [0, 1, 2, 3, 4], nWaiting: 0 })
    })
  )

  it.effect("test_draining_state: draining until the last task leaves", () =>
    Effect.gen(function* () {
      const out = yield* value(
        Effect.gen(function* () {
          const barrier = new asyncio.Barrier(N)
          const results: boolean[] = []
          yield* gatherTasks(N, () =>
            barrier.use(() => Effect.sync(() => results.push(barrier.toString().includes("draining"))))
          )
          return results
        })
      )
      assert.deepStrictEqual(out, [true, true, true, true, false])
    })
  )

  it.effect("test_blocking_tasks_while_draining: new arrivals wait for the drain", () =>
    Effect.gen(function* () {
      const out = yield* value(
        Effect.gen(function* () {
          const barrier = new asyncio.Barrier(N)
          const barrierNowaiting = new asyncio.Barrier(N - 2)
          let rewait = 2
          yield* gatherTasks(N, () =>
            Effect.gen(function* () {
              yield* barrier.wait()
              if (rewait > 0) {
                rewait -= 1
                yield* barrier.wait()
              } else {
                yield* barrierNowaiting.wait()
                yield* barrier.wait()
              }
            })
          )
          return [barrier.nWaiting, barrierNowaiting.nWaiting]
        })
      )
      assert.deepStrictEqual(out, [0, 0])
    })
  )

  it.effect("test_filling_tasks_cancel_one: a cancelled party leaves the count", () =>
    Effect.gen(function* () {
      const out = yield* value(
        Effect.gen(function* () {
          const barrier = new asyncio.Barrier(3)
          const results: boolean[] = []
          const coro = () =>
            Effect.andThen(
              barrier.wait(),
              Effect.sync(() => results.push(true))
            )
          const seen: number[] = []
          const t1 = yield* asyncio.createTask(coro())
          yield* sleep0
          seen.push(barrier.nWaiting)
          const t2 = yield* asyncio.createTask(coro())
          yield* sleep0
          seen.push(barrier.nWaiting)
          yield* t1.cancel()
          yield* sleep0
          seen.push(barrier.nWaiting)
          const error = yield* Effect.flip(t1)
          const t3 = yield* asyncio.createTask(coro())
          yield* sleep0
          seen.push(barrier.nWaiting)
          const t4 = yield* asyncio.createTask(coro())
          yield* gatherAll([t2, t3, t4])
          return {
            seen,
            error: error._tag,
            cancelled: t1.cancelled(),
            results: results.length,
            end: barrier.nWaiting
          }
        })
      )
      assert.deepStrictEqual(out, {
        seen: [1, 2, 1, 2],
        error: "CancelledError",
        cancelled: true,
        results: 3,
        end: 0
      })
    })
  )

  it.effect("test_reset_barrier: reset of an empty barrier", () =>
    Effect.gen(function* () {
      const out = yield* value(
        Effect.gen(function* () {
          const barrier = new asyncio.Barrier(1)
          yield* asyncio.createTask(barrier.reset())
          yield* sleep0
          return [barrier.nWaiting, barrier.broken]
        })
      )
      assert.deepStrictEqual(out, [0, false])
    })
  )

  it.effect("test_reset_barrier_while_tasks_waiting: waiters get BrokenBarrierError", () =>
    Effect.gen(function* () {
      const out = yield* value(
        Effect.gen(function* () {
          const barrier = new asyncio.Barrier(N)
          const results: boolean[] = []
          const tasks = yield* makeTasks(N - 1, () =>
            onBroken(Effect.asVoid(barrier.wait()), () => Effect.sync(() => void results.push(true)))
          )
          yield* sleep0
          yield* asyncio.createTask(barrier.reset())
          yield* gatherAll(tasks)
          return [results.length, barrier.nWaiting, barrier.toString().includes("resetting"), barrier.broken]
        })
      )
      assert.deepStrictEqual(out, [N - 1, 0, false, false])
    })
  )

  it.effect("test_reset_barrier_when_tasks_half_draining: a reset while draining breaks the rest", () =>
    Effect.gen(function* () {
      const out = yield* value(
        Effect.gen(function* () {
          const barrier = new asyncio.Barrier(N)
          const results1: boolean[] = []
          const restOfTasks = Math.floor(N / 2)
          // CPython reads the private `barrier._count` (tasks still inside the barrier): N minus
          // the tasks that have returned from wait()
          let returned = 0
          yield* gatherTasks(N, () =>
            onBroken(
              Effect.gen(function* () {
                yield* barrier.wait()
                returned += 1
                // a drained task, outside the barrier, resets it while the rest are still inside
                if (restOfTasks === N - returned) yield* barrier.reset()
              }),
              () => Effect.sync(() => void results1.push(true))
            )
          )
          return {
            results1,
            nWaiting: barrier.nWaiting,
            resetting: barrier.toString().includes("resetting"),
            broken: barrier.broken
          }
        })
      )
      assert.deepStrictEqual(out, { results1: [true, true], nWaiting: 0, resetting: false, broken: false })
    })
  )

  it.effect("test_reset_barrier_when_tasks_half_draining_half_blocking", () =>
    Effect.gen(function* () {
      const out = yield* value(
        Effect.gen(function* () {
          const barrier = new asyncio.Barrier(N)
          const results1: boolean[] = []
          const results2: boolean[] = []
          const blocking = Math.floor(N / 2)
          let count = 0
          yield* gatherTasks(N, () =>
            onBroken(
              Effect.gen(function* () {
                yield* barrier.wait()
                count += 1
                if (count > blocking) {
                  yield* barrier.reset()
                  yield* barrier.wait()
                } else {
                  yield* onBroken(Effect.asVoid(barrier.wait()), () =>
                    Effect.sync(() => void results2.push(true))
                  )
                }
              }),
              () =>
                Effect.andThen(
                  Effect.sync(() => results1.push(true)),
                  barrier.wait()
                )
            )
          )
          return { results1, results2, nWaiting: barrier.nWaiting, broken: barrier.broken }
        })
      )
      assert.deepStrictEqual(out, { results1: [true, true], results2: [], nWaiting: 0, broken: false })
    })
  )

  it.effect("test_reset_barrier_while_tasks_waiting_and_waiting_again", () =>
    Effect.gen(function* () {
      const out = yield* value(
        Effect.gen(function* () {
          const barrier = new asyncio.Barrier(N)
          const results1: boolean[] = []
          const results2: boolean[] = []
          const coro1 = () =>
            Effect.andThen(
              onBroken(Effect.asVoid(barrier.wait()), () => Effect.sync(() => void results1.push(true))),
              Effect.andThen(
                barrier.wait(),
                Effect.sync(() => results2.push(true))
              )
            )
          const tasks = yield* makeTasks(N - 1, coro1)
          yield* asyncio.createTask(barrier.reset())
          yield* sleep0
          yield* asyncio.createTask(barrier.use(() => Effect.sync(() => results2.push(true))))
          yield* gatherAll(tasks)
          return [barrier.broken, results1.length, results2.length, barrier.nWaiting]
        })
      )
      assert.deepStrictEqual(out, [false, N - 1, N, 0])
    })
  )

  it.effect("test_reset_barrier_while_tasks_draining", () =>
    Effect.gen(function* () {
      const out = yield* value(
        Effect.gen(function* () {
          const barrier = new asyncio.Barrier(N)
          const results1: boolean[] = []
          const results2: boolean[] = []
          const results3: boolean[] = []
          let count = 0
          yield* gatherTasks(N, () =>
            Effect.gen(function* () {
              yield* barrier.wait()
              count += 1
              if (count === N) {
                yield* barrier.reset()
                yield* barrier.wait()
              } else {
                yield* Effect.matchEffect(barrier.wait(), {
                  onSuccess: () => Effect.sync(() => void results1.push(true)),
                  onFailure: () => Effect.sync(() => void results2.push(true))
                })
              }
              yield* barrier.wait()
              results3.push(true)
            })
          )
          return [barrier.broken, results1.length, results2.length, results3.length, barrier.nWaiting]
        })
      )
      assert.deepStrictEqual(out, [false, N - 1, 0, N, 0])
    })
  )

  it.effect("test_abort_barrier: abort breaks the barrier", () =>
    Effect.gen(function* () {
      const out = yield* value(
        Effect.gen(function* () {
          const barrier = new asyncio.Barrier(1)
          yield* asyncio.createTask(barrier.abort())
          yield* sleep0
          const error = yield* Effect.flip(barrier.wait())
          return [barrier.nWaiting, barrier.broken, error.message]
        })
      )
      assert.deepStrictEqual(out, [0, true, "Barrier aborted"])
    })
  )

  it.effect("test_abort_barrier_when_tasks_half_draining_half_blocking", () =>
    Effect.gen(function* () {
      const out = yield* value(
        Effect.gen(function* () {
          const barrier = new asyncio.Barrier(N)
          const results1: boolean[] = []
          const results2: boolean[] = []
          const blocking = Math.floor(N / 2)
          let count = 0
          yield* gatherTasks(N, () =>
            onBroken(
              Effect.gen(function* () {
                yield* barrier.wait()
                count += 1
                if (count > blocking) yield* barrier.abort()
                else
                  yield* onBroken(Effect.asVoid(barrier.wait()), () =>
                    Effect.sync(() => void results2.push(true))
                  )
              }),
              () => Effect.sync(() => void results1.push(true))
            )
          )
          return {
            broken: barrier.broken,
            r1: results1.length,
            r2: results2.length,
            nWaiting: barrier.nWaiting
          }
        })
      )
      // CPython's expectation: results1 == [True]*blocking, results2 == [True]*(N-blocking-1)
      assert.deepStrictEqual(out, { broken: true, r1: 2, r2: 2, nWaiting: 0 })
    })
  )

  it.effect("test_abort_barrier_when_exception: a failing party aborts for everyone", () =>
    Effect.gen(function* () {
      const out = yield* value(
        Effect.gen(function* () {
          const barrier = new asyncio.Barrier(N)
          const results1: boolean[] = []
          const results2: boolean[] = []
          yield* gatherTasks(N, () =>
            Effect.gen(function* () {
              yield* barrier.use((i) =>
                i === Math.floor(N / 2) ? Effect.fail("RuntimeError" as const) : Effect.void
              )
              yield* barrier.use(() => Effect.sync(() => void results1.push(true)))
            }).pipe(
              Effect.catchTag("BrokenBarrierError", () => Effect.sync(() => void results2.push(true))),
              Effect.catch(() => barrier.abort())
            )
          )
          return [barrier.broken, results1.length, results2.length, barrier.nWaiting]
        })
      )
      assert.deepStrictEqual(out, [true, 0, N - 1, 0])
    })
  )

  it.effect("test_abort_barrier_when_exception_then_resetting: reset makes a broken barrier usable", () =>
    Effect.gen(function* () {
      const out = yield* value(
        Effect.gen(function* () {
          const barrier1 = new asyncio.Barrier(N)
          const barrier2 = new asyncio.Barrier(N)
          const results1: boolean[] = []
          const results2: boolean[] = []
          const results3: boolean[] = []
          yield* gatherTasks(N, () =>
            Effect.gen(function* () {
              yield* Effect.gen(function* () {
                const i = yield* barrier1.wait()
                if (i === Math.floor(N / 2)) return yield* Effect.fail("RuntimeError" as const)
                yield* barrier1.wait()
                results1.push(true)
              }).pipe(
                Effect.catchTag("BrokenBarrierError", () => Effect.sync(() => void results2.push(true))),
                Effect.catch(() => barrier1.abort())
              )
              const i = yield* barrier2.wait()
              if (i === Math.floor(N / 2)) yield* barrier1.reset()
              yield* barrier2.wait()
              yield* barrier1.wait()
              results3.push(true)
            })
          )
          return [barrier1.broken, results1.length, results2.length, results3.length, barrier1.nWaiting]
        })
      )
      assert.deepStrictEqual(out, [false, 0, N - 1, N, 0])
    })
  )
})
