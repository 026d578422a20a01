/**
 * `TaskGroup.cancel()`: ports of the cancel tests of CPython main's
 * Lib/test/test_asyncio/test_taskgroups.py (gh-108951, PR 127214; 3.15), and of the two fixes
 * that followed it there: gh-155418 (an eager child cancelling the group before it joined it)
 * and gh-155433 (a cancellation from outside, arriving once the group cancelled itself, is not
 * swallowed). CPython runs its TaskGroup tests on a lazy and on an eager loop
 * (`TestEagerTaskTaskGroup`): so does each test here. CPython 3.13 has no `TaskGroup.cancel()`:
 * these tests pin main's behaviour directly, assertion for assertion.
 */
import { assert, describe, it } from "@effect/vitest"
import * as asyncio from "@effect-asyncio/core"
import { Data, Effect, Exit } from "effect"
import { runOk, runVirtual } from "./utils/virtual.js"

class MyRuntimeError extends Data.TaggedError("RuntimeError")<{ readonly message?: string }> {}

const loops = [
  ["lazy", {}],
  ["eager", { eagerTaskFactory: true }]
] as const

/** The tags of the typed errors of a failed run's ExceptionGroup. */
const groupTags = <A, E>(exit: Exit.Exit<A, E>): Array<string> => {
  assert.isTrue(Exit.isFailure(exit), "expected a failure")
  const error = Exit.isFailure(exit) ? exit.cause.reasons.find((r) => r._tag === "Fail") : undefined
  const group = error?._tag === "Fail" ? error.error : undefined
  assert.instanceOf(group, asyncio.ExceptionGroup)
  return (group as asyncio.ExceptionGroup<{ readonly _tag: string }>).exceptions.map((e) => e._tag)
}

describe.each(loops)("TaskGroup.cancel() (CPython main, 3.15), %s tasks", (kind, options) => {
  it.effect("test_taskgroup_cancel_children: the children are cancelled, no TimeoutError", () =>
    Effect.gen(function* () {
      const children: Array<asyncio.Task<void>> = []
      const { elapsed } = yield* runOk(
        // (asserting that TimeoutError is not raised)
        asyncio.timeout(
          1,
          asyncio.TaskGroup.run((tg) =>
            Effect.gen(function* () {
              children.push(yield* tg.createTask(asyncio.sleep(10)))
              children.push(yield* tg.createTask(asyncio.sleep(10)))
              yield* asyncio.sleep(0)
              yield* tg.cancel()
            })
          )
        ),
        options
      )
      assert.strictEqual(elapsed, 0)
      assert.deepStrictEqual(
        children.map((child) => child.cancelled()),
        [true, true]
      )
    })
  )

  it.effect("test_taskgroup_cancel_body: the body is cancelled at its next wait", () =>
    Effect.gen(function* () {
      let count = 0
      const { value } = yield* runOk(
        Effect.gen(function* () {
          yield* asyncio.TaskGroup.run((tg) =>
            Effect.gen(function* () {
              yield* tg.cancel()
              count += 1
              yield* asyncio.sleep(0)
              count += 1
            })
          )
          // the group withdrew the cancellation it asked for: the task runs on
          const task = yield* asyncio.currentTask
          yield* asyncio.sleep(0)
          return task?.cancelling()
        }),
        options
      )
      assert.strictEqual(count, 1)
      assert.strictEqual(value, 0)
    })
  )

  it.effect("test_taskgroup_cancel_idempotent: a second cancel() does nothing more", () =>
    Effect.gen(function* () {
      let count = 0
      const { value } = yield* runOk(
        Effect.gen(function* () {
          yield* asyncio.TaskGroup.run((tg) =>
            Effect.gen(function* () {
              yield* tg.cancel()
              yield* tg.cancel()
              count += 1
              yield* asyncio.sleep(0)
              count += 1
            })
          )
          return (yield* asyncio.currentTask)?.cancelling()
        }),
        options
      )
      assert.strictEqual(count, 1)
      assert.strictEqual(value, 0)
    })
  )

  it.effect("test_taskgroup_cancel_after_exit: cancel() after the group exited does nothing", () =>
    Effect.gen(function* () {
      const { value } = yield* runOk(
        Effect.gen(function* () {
          const tg = new asyncio.TaskGroup()
          yield* tg.run(() => asyncio.sleep(0))
          // (asserting that exception is not raised)
          yield* tg.cancel()
          yield* asyncio.sleep(0.5)
          return [String(tg), (yield* asyncio.currentTask)?.cancelling()]
        }),
        options
      )
      assert.deepStrictEqual(value, ["<TaskGroup entered>", 0])
    })
  )

  it.effect("test_taskgroup_cancel_before_enter: the group is cancelled on entry", () =>
    Effect.gen(function* () {
      let count = 0
      const { elapsed } = yield* runOk(
        Effect.gen(function* () {
          const tg = new asyncio.TaskGroup()
          tg.cancelUnsafe()
          yield* tg.run(() =>
            Effect.gen(function* () {
              count += 1
              yield* asyncio.sleep(1)
              count += 1
            })
          )
        }),
        options
      )
      assert.strictEqual(count, 1)
      assert.strictEqual(elapsed, 0)
    })
  )

  it.effect("test_taskgroup_cancel_before_create_task: createTask after cancel() fails (gh-150355)", () =>
    Effect.gen(function* () {
      let ran = false
      const { value } = yield* runOk(
        Effect.gen(function* () {
          let refused: unknown
          yield* asyncio.TaskGroup.run((tg) =>
            Effect.gen(function* () {
              yield* tg.cancel()
              // CPython main's TODO: "This behavior is not ideal. We'd rather have no exception
              // raised, and the child task run until the first await." (gh-150355, open)
              refused = yield* Effect.flip(tg.createTask(Effect.sync(() => (ran = true))))
            })
          )
          return refused
        }),
        options
      )
      assert.instanceOf(value, asyncio.RuntimeError)
      assert.strictEqual(
        (value as asyncio.RuntimeError).message,
        "TaskGroup <TaskGroup cancelling> is shutting down"
      )
      assert.isFalse(ran)
    })
  )

  it.effect("test_taskgroup_cancel_before_exception: a child cancels the group, then fails", () =>
    Effect.gen(function* () {
      const raiseExc = (parent: asyncio.TaskGroup) =>
        Effect.andThen(parent.cancel(), Effect.fail(new MyRuntimeError({})))
      const { exit } = yield* runVirtual(
        asyncio.TaskGroup.run((tg) =>
          Effect.gen(function* () {
            yield* tg.createTask(raiseExc(tg))
            yield* asyncio.sleep(1)
          })
        ),
        options
      )
      assert.deepStrictEqual(groupTags(exit), ["RuntimeError"])
    })
  )

  it.effect("test_taskgroup_cancel_after_exception: a child fails, cancelling the group as it goes", () =>
    Effect.gen(function* () {
      // try: raise RuntimeError / finally: parent_tg.cancel()
      const raiseExc = (parent: asyncio.TaskGroup) =>
        Effect.fail(new MyRuntimeError({})).pipe(Effect.ensuring(parent.cancel()))
      const { exit } = yield* runVirtual(
        asyncio.TaskGroup.run((tg) =>
          Effect.gen(function* () {
            yield* tg.createTask(raiseExc(tg))
            yield* asyncio.sleep(1)
          })
        ),
        options
      )
      assert.deepStrictEqual(groupTags(exit), ["RuntimeError"])
    })
  )

  it.effect("test_taskgroup_body_cancel_before_exception: the body cancels, then raises", () =>
    Effect.gen(function* () {
      const { exit } = yield* runVirtual(
        asyncio.TaskGroup.run((tg) => Effect.andThen(tg.cancel(), Effect.fail(new MyRuntimeError({})))),
        options
      )
      assert.deepStrictEqual(groupTags(exit), ["RuntimeError"])
    })
  )

  it.effect("test_taskgroup_body_cancel_after_exception: the body raises, cancelling as it goes", () =>
    Effect.gen(function* () {
      const { exit } = yield* runVirtual(
        asyncio.TaskGroup.run((tg) => Effect.fail(new MyRuntimeError({})).pipe(Effect.ensuring(tg.cancel()))),
        options
      )
      assert.deepStrictEqual(groupTags(exit), ["RuntimeError"])
    })
  )

  it.effect("test_taskgroup_cancel_one_winner: the first racer to finish cancels the others", () =>
    Effect.gen(function* () {
      const record: Array<string> = []
      const event = new asyncio.Event()
      const race = (...fns: ReadonlyArray<() => Effect.Effect<number, never, asyncio.EventLoop>>) =>
        Effect.gen(function* () {
          let outcome: number | undefined
          yield* asyncio.TaskGroup.run((tg) =>
            Effect.forEach(fns, (fn) =>
              tg.createTask(
                Effect.gen(function* () {
                  outcome = yield* fn()
                  yield* tg.cancel()
                })
              )
            )
          )
          return outcome
        })
      const fn = (n: number) => () =>
        Effect.gen(function* () {
          record.push(`${n} started`)
          yield* event.wait()
          record.push(`${n} finished`)
          return n
        })
      const triggerEvent = Effect.gen(function* () {
        record.push("trigger event")
        yield* event.set()
      })
      const { value } = yield* runOk(
        Effect.gen(function* () {
          let task: asyncio.Task<number | undefined, unknown> | undefined
          yield* asyncio.TaskGroup.run((tg) =>
            Effect.gen(function* () {
              task = yield* tg.createTask(race(fn(1), fn(2)))
              yield* tg.createTask(triggerEvent)
            })
          )
          return yield* Effect.fromNullishOr(task).pipe(Effect.flatMap((t) => t.result()))
        }),
        options
      )
      // the order of CPython 3.13's task machinery (recorded in the interleavings programs
      // taskgroup_cancel_one_winner and eager_taskgroup_cancel_one_winner): lazy racers start
      // after the trigger, and the second never starts
      assert.deepStrictEqual(
        record,
        kind === "eager"
          ? ["1 started", "2 started", "trigger event", "1 finished"]
          : ["trigger event", "1 started", "1 finished"]
      )
      assert.strictEqual(value, 1)
    })
  )

  it.effect("test_taskgroup_cancel_from_child_before_first_suspension (gh-155418)", () =>
    Effect.gen(function* () {
      // with eager tasks the child cancels the group inside createTask, before it joined it
      const { value, elapsed } = yield* runOk(
        Effect.gen(function* () {
          let task: asyncio.Task<void> | undefined
          yield* asyncio.TaskGroup.run((tg) =>
            Effect.gen(function* () {
              task = yield* tg.createTask(Effect.andThen(tg.cancel(), asyncio.sleep(10)))
            })
          )
          return task?.cancelled()
        }),
        options
      )
      assert.isTrue(value)
      assert.strictEqual(elapsed, 0)
    })
  )

  it.effect("gh-155433: a cancellation from outside, after cancel(), is not swallowed", () =>
    Effect.gen(function* () {
      const log: Array<string> = []
      // the child takes a second to clean up, so the group is still waiting when the outer
      // cancellation comes: CPython 3.15.0a swallowed it (the group had cancelled itself)
      const child = asyncio.sleep(10).pipe(Effect.onInterrupt(() => asyncio.sleep(1)))
      const body = Effect.gen(function* () {
        yield* asyncio.TaskGroup.run((tg) =>
          Effect.gen(function* () {
            yield* tg.createTask(child)
            yield* asyncio.sleep(0)
            yield* tg.cancel()
          })
        )
        log.push("after the group")
      })
      const { value } = yield* runOk(
        Effect.gen(function* () {
          const task = yield* asyncio.createTask(body)
          yield* asyncio.sleep(0.01)
          yield* task.cancel("outer")
          const error = yield* Effect.flip(task)
          return [error._tag, error.message, task.cancelled()]
        }),
        options
      )
      assert.deepStrictEqual(value, ["CancelledError", "outer", true])
      assert.deepStrictEqual(log, [])
    })
  )
})

describe("TaskGroup.cancel(), more", () => {
  it.effect("a group cut short by cancel() gives undefined; one whose body finished, its result", () =>
    Effect.gen(function* () {
      const { value } = yield* runOk(
        Effect.gen(function* () {
          const cut = yield* asyncio.TaskGroup.run((tg) =>
            Effect.andThen(tg.cancel(), asyncio.sleep(1, "late"))
          )
          // cancelled by a child after the body returned: the body's result stands
          const finished = yield* asyncio.TaskGroup.run((tg) =>
            Effect.as(tg.createTask(Effect.andThen(asyncio.sleep(1), tg.cancel())), "body")
          )
          return [cut, finished]
        })
      )
      assert.deepStrictEqual(value, [undefined, "body"])
    })
  )

  it.effect("cancel() from outside the group: the children and the body, no CancelledError", () =>
    Effect.gen(function* () {
      const log: Array<string> = []
      const { value, elapsed } = yield* runOk(
        Effect.gen(function* () {
          const tg = new asyncio.TaskGroup()
          const runner = yield* asyncio.createTask(
            Effect.gen(function* () {
              yield* tg.run((g) =>
                Effect.gen(function* () {
                  yield* g.createTask(
                    asyncio
                      .sleep(10)
                      .pipe(Effect.onInterrupt(() => Effect.sync(() => log.push("child cancelled"))))
                  )
                  yield* asyncio
                    .sleep(10)
                    .pipe(Effect.onInterrupt(() => Effect.sync(() => log.push("body cancelled"))))
                })
              )
              log.push("after the group")
              return "done"
            })
          )
          yield* asyncio.sleep(1)
          tg.cancelUnsafe()
          return yield* runner
        })
      )
      assert.strictEqual(value, "done")
      assert.strictEqual(elapsed, 1)
      assert.deepStrictEqual(log, ["child cancelled", "body cancelled", "after the group"])
    })
  )

  it.effect("cancel() while the group waits for its children: they are cancelled, the group ends", () =>
    Effect.gen(function* () {
      const { value, elapsed } = yield* runOk(
        Effect.gen(function* () {
          const tg = new asyncio.TaskGroup()
          const runner = yield* asyncio.createTask(
            tg.run((g) => Effect.asVoid(g.createTask(asyncio.sleep(10))))
          )
          yield* asyncio.sleep(1)
          yield* tg.cancel()
          yield* runner
          return runner.cancelled()
        })
      )
      assert.isFalse(value)
      assert.strictEqual(elapsed, 1)
    })
  )

  it.effect("a cancelled group is still a failure when a child failed before the cancel", () =>
    Effect.gen(function* () {
      const { exit } = yield* runVirtual(
        asyncio.TaskGroup.run((tg) =>
          Effect.gen(function* () {
            yield* tg.createTask(Effect.fail(new MyRuntimeError({ message: "first" })))
            yield* asyncio.sleep(0)
            yield* tg.cancel()
            yield* asyncio.sleep(1)
          })
        )
      )
      assert.deepStrictEqual(groupTags(exit), ["RuntimeError"])
    })
  )

  it.effect("every finalizer runs once and no task is left", () =>
    Effect.gen(function* () {
      const ran: Array<string> = []
      const { value } = yield* runOk(
        Effect.gen(function* () {
          yield* asyncio.TaskGroup.run((tg) =>
            Effect.gen(function* () {
              for (const name of ["a", "b", "c"]) {
                yield* tg.createTask(
                  asyncio.sleep(5).pipe(Effect.ensuring(Effect.sync(() => ran.push(name))))
                )
              }
              yield* asyncio.sleep(0)
              yield* tg.cancel()
              yield* tg.cancel()
            }).pipe(Effect.ensuring(Effect.sync(() => ran.push("body"))))
          )
          return (yield* asyncio.allTasks).size
        })
      )
      assert.deepStrictEqual(ran.sort(), ["a", "b", "body", "c"])
      assert.strictEqual(value, 1)
    })
  )
})
