/**
 * Eager tasks: ports of CPython 3.13's test_eager_task_factory.py (`eagerTaskFactory` loop
 * option, as `loop.set_task_factory(asyncio.eager_task_factory)`), and the same rules for a single
 * task created with `eagerStart: true`.
 */
import { assert, describe, it } from "@effect/vitest"
import * as asyncio from "@effect-asyncio/core"
import { Deferred, Effect } from "effect"
import { runOk } from "./utils/virtual.js"

const eager = { eagerTaskFactory: true } as const

/** Which task each call of a recursive program starts in, and at what depth. */
type Starts = Array<{ readonly task: asyncio.Task<unknown, unknown> | undefined; readonly depth: number }>
type Recursive = (
  starts: Starts,
  width: number,
  depth: number
) => Effect.Effect<void, unknown, asyncio.EventLoop>

const logStart = (starts: Starts, depth: number) =>
  Effect.map(asyncio.currentTask, (task) => void starts.push({ task, depth }))

/** CPython's `recursive_taskgroups`: a TaskGroup of `width` tasks, each doing the same `depth - 1` deep. */
const recursiveTaskgroups: Recursive = (starts, width, depth) =>
  Effect.andThen(
    logStart(starts, depth),
    depth === 0
      ? Effect.void
      : Effect.asVoid(
          asyncio.TaskGroup.run((tg) =>
            Effect.forEach(Array.from({ length: width }), () =>
              tg.createTask(recursiveTaskgroups(starts, width, depth - 1))
            )
          )
        )
  )

/** CPython's `recursive_gather`: the same shape with `gather` of coroutines (each becomes a task). */
const recursiveGather: Recursive = (starts, width, depth) =>
  Effect.andThen(
    logStart(starts, depth),
    depth === 0
      ? Effect.void
      : Effect.asVoid(
          asyncio.gather(...Array.from({ length: width }, () => recursiveGather(starts, width, depth - 1)))
        )
  )

/**
 * Runs `recursive(5, 4)` as BaseTaskCountingTests does. CPython's counter counts the tasks made
 * without `eager_start` (781 lazy, 0 eager); here every task is counted, and the depths of the
 * first calls tell eager from lazy: an eager task runs its child's first step inside
 * `create_task`, so the first calls go depth first.
 */
const countTasks = (recursive: Recursive, options: asyncio.EventLoopOptions) =>
  Effect.gen(function* () {
    const starts: Starts = []
    const { value: left } = yield* runOk(Effect.andThen(recursive(starts, 5, 4), asyncio.allTasks), options)
    const tasks = new Set(starts.map((start) => start.task))
    return {
      calls: starts.length,
      tasks: tasks.has(undefined) ? Number.NaN : tasks.size,
      firstDepths: starts.slice(0, 6).map((start) => start.depth),
      left: left.size // the main task only
    }
  })

describe("eager_task_factory (test_eager_task_factory.py)", () => {
  it.effect("test_eager_task_factory_set: the loop makes eager tasks", () =>
    Effect.gen(function* () {
      const { value } = yield* runOk(
        Effect.gen(function* () {
          const loop = yield* asyncio.getRunningLoop
          assert.isTrue(loop.isEagerTaskFactory())
          const t = yield* asyncio.createTask(Effect.void)
          assert.isTrue(asyncio.isTask(t))
          yield* t
          loop.setEagerTaskFactory(false) // loop.set_task_factory(None)
          const lazy = yield* asyncio.createTask(Effect.void)
          return [t.done(), lazy.done()]
        }),
        eager
      )
      assert.deepStrictEqual(value, [true, false])
    })
  )

  it.effect("test_await_future_during_eager_step: the eager step resolves a future", () =>
    Effect.gen(function* () {
      const { value } = yield* runOk(
        Effect.gen(function* () {
          const fut = yield* Deferred.make<string>()
          const t = yield* asyncio.createTask(Deferred.succeed(fut, "my message"))
          assert.isTrue(t.done()) // the eager step completed the task
          return yield* Deferred.await(fut)
        }),
        eager
      )
      assert.strictEqual(value, "my message")
    })
  )

  it.effect("test_eager_completion: a task that finishes without suspending is done at once", () =>
    Effect.gen(function* () {
      const { value } = yield* runOk(
        Effect.gen(function* () {
          const t = yield* asyncio.createTask(Effect.succeed("hello"))
          assert.isTrue(t.done())
          assert.strictEqual(yield* t.result(), "hello")
          return yield* t
        }),
        eager
      )
      assert.strictEqual(value, "hello")
    })
  )

  it.effect("test_block_after_eager_step: a task that suspends is pending after its eager step", () =>
    Effect.gen(function* () {
      const { value, elapsed } = yield* runOk(
        Effect.gen(function* () {
          const t = yield* asyncio.createTask(asyncio.sleep(0.1, "finished after blocking"))
          assert.isFalse(t.done())
          const result = yield* t
          assert.isTrue(t.done())
          return result
        }),
        eager
      )
      assert.strictEqual(value, "finished after blocking")
      assert.strictEqual(elapsed, 0.1)
    })
  )

  it.effect("test_cancellation_after_eager_completion: a finished task can't be cancelled", () =>
    Effect.gen(function* () {
      const { value } = yield* runOk(
        Effect.gen(function* () {
          const t = yield* asyncio.createTask(Effect.succeed("finished without blocking"))
          assert.isFalse(yield* t.cancel())
          const result = yield* t
          assert.isFalse(t.cancelled())
          return result
        }),
        eager
      )
      assert.strictEqual(value, "finished without blocking")
    })
  )

  it.effect("test_cancellation_after_eager_step_blocks: cancelled with its message", () =>
    Effect.gen(function* () {
      const { value } = yield* runOk(
        Effect.gen(function* () {
          const t = yield* asyncio.createTask(asyncio.sleep(0.1, "finished after blocking"))
          assert.isTrue(yield* t.cancel("cancellation message"))
          assert.isAbove(t.cancelling(), 0)
          return yield* Effect.flip(t)
        }),
        eager
      )
      assert.instanceOf(value, asyncio.CancelledError)
      assert.strictEqual(value.message, "cancellation message")
    })
  )

  it.effect("test_current_task: the eager step runs as the new task; the same task after blocking", () =>
    Effect.gen(function* () {
      yield* runOk(
        Effect.gen(function* () {
          const captured: Array<asyncio.Task<unknown, unknown> | undefined> = []
          const coro = Effect.gen(function* () {
            captured.push(yield* asyncio.currentTask)
            yield* asyncio.sleep(0.1)
            captured.push(yield* asyncio.currentTask)
          })
          const main = yield* asyncio.currentTask
          const t = yield* asyncio.createTask(coro)
          assert.strictEqual(captured[0], t)
          assert.strictEqual(yield* asyncio.currentTask, main) // restored for the creator
          yield* t
          assert.deepStrictEqual(captured, [t, t])
        }),
        eager
      )
    })
  )

  it.effect("test_all_tasks_with_eager_completion: registered during its step, gone once done", () =>
    Effect.gen(function* () {
      yield* runOk(
        Effect.gen(function* () {
          let captured: ReadonlySet<asyncio.Task<unknown, unknown>> = new Set()
          const t = yield* asyncio.createTask(
            Effect.map(asyncio.allTasks, (tasks) => {
              captured = tasks
            })
          )
          assert.isTrue(captured.has(t as asyncio.Task<unknown, unknown>))
          assert.isFalse((yield* asyncio.allTasks).has(t as asyncio.Task<unknown, unknown>))
        }),
        eager
      )
    })
  )

  it.effect("test_all_tasks_with_blocking: a blocked eager task stays in all_tasks until done", () =>
    Effect.gen(function* () {
      yield* runOk(
        Effect.gen(function* () {
          const fut1 = yield* Deferred.make<void>()
          const fut2 = yield* Deferred.make<void>()
          let captured: ReadonlySet<asyncio.Task<unknown, unknown>> = new Set()
          const coro = Effect.gen(function* () {
            captured = yield* asyncio.allTasks
            yield* Deferred.await(fut1)
            yield* Deferred.succeed(fut2, undefined)
          })
          const t = (yield* asyncio.createTask(coro)) as asyncio.Task<unknown, unknown>
          assert.isTrue(captured.has(t))
          assert.isTrue((yield* asyncio.allTasks).has(t))
          yield* Deferred.succeed(fut1, undefined)
          yield* Deferred.await(fut2)
          yield* asyncio.sleep(0)
          assert.isFalse((yield* asyncio.allTasks).has(t))
        }),
        eager
      )
    })
  )

  for (const [mode, options] of [
    ["lazy", {}],
    ["eager", eager]
  ] as const) {
    it.effect(`test_awaitables_chain (${mode}): 100 nested awaits make no task but the main one`, () =>
      Effect.gen(function* () {
        // CPython's `awaitable_chain`: `return 1 + await awaitable_chain(depth - 1)`, no tasks
        const chain = (depth: number): Effect.Effect<number> =>
          depth === 0
            ? Effect.succeed(0)
            : Effect.map(
                Effect.suspend(() => chain(depth - 1)),
                (n) => n + 1
              )
        const { value } = yield* runOk(
          Effect.gen(function* () {
            const observed = yield* chain(100)
            // the main task was the only one: the next is Task-2 (CPython's counter: 1 task)
            const next = yield* asyncio.createTask(Effect.void)
            return [observed, next.getName()]
          }),
          options
        )
        assert.deepStrictEqual(value, [100, "Task-2"])
      })
    )
  }

  it.effect("a chain of 100 nested eager tasks finishes inline, each awaiting the next", () =>
    Effect.gen(function* () {
      const chain = (depth: number): Effect.Effect<number, asyncio.CancelledError, asyncio.EventLoop> =>
        depth === 0
          ? Effect.succeed(0)
          : Effect.flatMap(asyncio.createTask(Effect.suspend(() => chain(depth - 1))), (task) =>
              Effect.map(task, (n) => n + 1)
            )
      const { value } = yield* runOk(
        Effect.gen(function* () {
          const observed = yield* chain(100)
          assert.strictEqual((yield* asyncio.allTasks).size, 1) // every eager task finished inline
          return observed
        }),
        eager
      )
      assert.strictEqual(value, 100)
    })
  )

  for (const [mode, options, firstDepths] of [
    ["lazy", {}, [4, 3, 3, 3, 3, 3]],
    ["eager", eager, [4, 3, 2, 1, 0, 0]]
  ] as const) {
    it.effect(`test_recursive_taskgroups (${mode}): TaskGroups 5 wide and 4 deep make 781 tasks`, () =>
      Effect.gen(function* () {
        const out = yield* countTasks(recursiveTaskgroups, options)
        assert.deepStrictEqual(out, { calls: 781, tasks: 781, firstDepths: [...firstDepths], left: 1 })
      })
    )

    it.effect(`test_recursive_gather (${mode}): gather 5 wide and 4 deep makes 781 tasks`, () =>
      Effect.gen(function* () {
        const out = yield* countTasks(recursiveGather, options)
        assert.deepStrictEqual(out, { calls: 781, tasks: 781, firstDepths: [...firstDepths], left: 1 })
      })
    )
  }

  it.effect("the main task of an eager loop is eager too (test_eager_task_factory_set)", () =>
    Effect.gen(function* () {
      const { value } = yield* runOk(
        Effect.map(asyncio.currentTask, (task) => task?.getName()),
        eager
      )
      assert.strictEqual(value, "Task-1")
    })
  )
})

describe("eagerStart for one task", () => {
  it.effect("runs synchronously inside createTask until the first suspension", () =>
    Effect.gen(function* () {
      const log: Array<string> = []
      yield* runOk(
        Effect.gen(function* () {
          const t = yield* asyncio.createTask(
            Effect.gen(function* () {
              log.push("step 1")
              yield* asyncio.sleep(0)
              log.push("step 2")
            }),
            { eagerStart: true }
          )
          log.push("created")
          yield* t
          log.push("awaited")
        })
      )
      assert.deepStrictEqual(log, ["step 1", "created", "step 2", "awaited"])
    })
  )

  it.effect("a lazy task (the default) has not run when createTask returns", () =>
    Effect.gen(function* () {
      const log: Array<string> = []
      yield* runOk(
        Effect.gen(function* () {
          const t = yield* asyncio.createTask(Effect.sync(() => log.push("body")))
          log.push("created")
          yield* t
        })
      )
      assert.deepStrictEqual(log, ["created", "body"])
    })
  )

  it.effect("an eager task that fails without suspending is done at once, its error retrievable", () =>
    Effect.gen(function* () {
      const reports: Array<asyncio.ExceptionContext> = []
      yield* runOk(
        Effect.gen(function* () {
          const boom = new asyncio.RuntimeError({ message: "boom" })
          const t = yield* asyncio.createTask(Effect.fail(boom), { eagerStart: true })
          assert.isTrue(t.done())
          assert.isFalse(t.cancelled())
          assert.strictEqual(yield* t.exception(), boom)
        }),
        { exceptionHandler: (_loop, context) => reports.push(context) }
      )
      assert.deepStrictEqual(reports, [])
    })
  )

  it.effect("eagerStart: false overrides the loop's eager factory", () =>
    Effect.gen(function* () {
      const { value } = yield* runOk(
        Effect.gen(function* () {
          const t = yield* asyncio.createTask(Effect.succeed(1), { eagerStart: false })
          return t.done()
        }),
        eager
      )
      assert.isFalse(value)
    })
  )

  it.effect("an eager task that cancels itself during its eager step ends cancelled", () =>
    Effect.gen(function* () {
      const { value } = yield* runOk(
        Effect.gen(function* () {
          const self = Effect.flatMap(asyncio.currentTask, (task) =>
            Effect.sync(() => task?.cancelUnsafe("self"))
          )
          const t = yield* asyncio.createTask(Effect.andThen(self, asyncio.sleep(10)), { eagerStart: true })
          assert.isFalse(t.done())
          const error = yield* Effect.flip(t)
          return [t.cancelled(), error.message]
        })
      )
      assert.deepStrictEqual(value, [true, "self"])
    })
  )
})
