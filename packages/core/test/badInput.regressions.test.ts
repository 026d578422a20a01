/**
 * Issue 11, "must not happen again": one test per case the issue names (items 1-5, 8 and 9; 6
 * and 7 are in neverRetrieved.test.ts and sigint.test.ts). The table test (badInput.test.ts)
 * walks every export with every bad value; these pin the issue's own programs, with what CPython
 * 3.13 does with the same input where it has an answer (the Python run is in each comment).
 */
import { assert, describe, it } from "@effect/vitest"
import * as asyncio from "@effect-asyncio/core"
import { Cause, Effect, Exit, Layer, Order } from "effect"
import { CurrentTask } from "../src/tasks.js"
import { inTask, runOk, runVirtual } from "./utils/virtual.js"

/** Calls `f` with arguments TypeScript would refuse: what untyped code does. */
const call = (f: unknown, ...args: ReadonlyArray<unknown>): unknown =>
  (f as (...args: ReadonlyArray<unknown>) => unknown)(...args)

/** What a synchronous call threw (`undefined` if it returned). */
const thrownBy = (f: () => unknown): unknown => {
  try {
    f()
  } catch (error) {
    return error
  }
  return undefined
}

/** The defect an exit died with, or `undefined`. */
const defectOf = (exit: Exit.Exit<unknown, unknown>): unknown =>
  Exit.isFailure(exit) ? exit.cause.reasons.find(Cause.isDieReason)?.defect : undefined

/** `[class, message]` of asyncio's error `error` (for one assertion per case). */
const described = (error: unknown): [string, string] => {
  const { _tag, message } = error as { readonly _tag?: unknown; readonly message?: unknown }
  return [String(_tag), String(message)]
}

/** A loop whose reports are collected (and formatted, which must never throw). */
const collecting = () => {
  const reports: Array<string> = []
  return {
    reports,
    options: {
      exceptionHandler: (_loop: asyncio.EventLoopService, context: asyncio.ExceptionContext) => {
        reports.push(asyncio.formatExceptionContext(context).split("\n")[0] ?? "")
      }
    }
  }
}

/** Three tasks blocked on an Event, and what they did once it is set (all three must wake). */
const threeWaiters = (event: asyncio.Event, woke: Array<string>) =>
  Effect.forEach(["a", "b", "c"], (name) =>
    asyncio.createTask(
      Effect.andThen(
        event.wait(),
        Effect.sync(() => woke.push(name))
      )
    )
  )

describe("issue 11: must not happen again", () => {
  // -- 1 ----------------------------------------------------------------------------------------

  it.effect("1. task.addDoneCallback(null) is a TypeError at once, and run() does not hang", () =>
    Effect.gen(function* () {
      const { value } = yield* runOk(
        Effect.gen(function* () {
          const task = yield* asyncio.createTask(asyncio.sleep(1, "done"))
          const error = thrownBy(() => task.addDoneCallback(null as never))
          return [described(error), yield* task]
        })
      )
      assert.deepStrictEqual(value, [
        ["TypeError", "a callable object was expected by addDoneCallback(), got null"],
        "done"
      ])
    })
  )

  it.effect("1. a callback that throws Object.create(null) loses no other wakeup of its turn", () =>
    Effect.gen(function* () {
      const { reports, options } = collecting()
      const { value } = yield* runOk(
        Effect.gen(function* () {
          const loop = yield* asyncio.getRunningLoop
          const event = new asyncio.Event()
          const woke: Array<string> = []
          const waiters = yield* threeWaiters(event, woke)
          yield* asyncio.sleep(0)
          // in the same turn as the three wakeups: a loop callback and a done callback that throw
          loop.callSoon(() => {
            throw Object.create(null)
          })
          const future = loop.createFuture<number>()
          future.addDoneCallback(() => {
            throw Object.create(null)
          })
          future.setResultUnsafe(1)
          event.setUnsafe()
          yield* asyncio.gather(waiters)
          return woke
        }),
        options
      )
      assert.deepStrictEqual(value, ["a", "b", "c"])
      // CPython: 'Exception in callback ...' for each (asyncio's Handle._run)
      assert.strictEqual(reports.length, 2)
      for (const report of reports) assert.match(report, /^Exception in callback/)
    })
  )

  it.effect("1. an exception handler that throws Object.create(null) never breaks the loop", () =>
    Effect.gen(function* () {
      // CPython: the handler's error goes to the default handler ('Unhandled error in exception
      // handler'), the loop goes on
      const printed: Array<string> = []
      const error = globalThis.console.error
      globalThis.console.error = (text: unknown) => printed.push(String(text).split("\n")[0] ?? "")
      const { exit } = yield* Effect.ensuring(
        runVirtual(
          Effect.gen(function* () {
            const loop = yield* asyncio.getRunningLoop
            const event = new asyncio.Event()
            const woke: Array<string> = []
            const waiters = yield* threeWaiters(event, woke)
            yield* asyncio.sleep(0)
            loop.callSoon(() => {
              throw new Error("boom")
            })
            event.setUnsafe()
            yield* asyncio.gather(waiters)
            yield* asyncio.sleep(1)
            return woke
          }),
          {
            exceptionHandler: () => {
              throw Object.create(null)
            }
          }
        ),
        Effect.sync(() => {
          globalThis.console.error = error
        })
      )
      assert.deepStrictEqual(printed, ["Unhandled error in exception handler"])
      assert.isTrue(Exit.isSuccess(exit))
      if (Exit.isSuccess(exit)) assert.deepStrictEqual(exit.value, ["a", "b", "c"])
    })
  )

  // -- 2 ----------------------------------------------------------------------------------------

  it.effect("2. task.cancel(42): every awaiter gets CancelledError and gather(t) ends", () =>
    Effect.gen(function* () {
      // CPython 3.13: t.cancel(42); gather(t) raises CancelledError(42), then `await t`
      // CancelledError() (the task's exception is consumed once); two awaiters of t2:
      // [CancelledError(42), CancelledError()]
      const { value } = yield* runOk(
        Effect.gen(function* () {
          const t = yield* asyncio.createTask(asyncio.sleep(10))
          yield* asyncio.sleep(0)
          yield* t.cancel(42)
          const fromGather = yield* Effect.flip(asyncio.gather(t))
          const fromAwait = yield* Effect.flip(t)
          const t2 = yield* asyncio.createTask(asyncio.sleep(10))
          yield* asyncio.sleep(0)
          t2.cancelUnsafe(42)
          const awaiters = yield* Effect.forEach([1, 2], () => asyncio.createTask(Effect.flip(t2)))
          const fromAwaiters = yield* asyncio.gather(awaiters)
          return [fromGather, fromAwait, ...fromAwaiters].map(described)
        })
      )
      assert.deepStrictEqual(value, [
        ["CancelledError", "42"],
        ["CancelledError", ""],
        ["CancelledError", "42"],
        ["CancelledError", ""]
      ])
    })
  )

  // -- 3 ----------------------------------------------------------------------------------------

  /** A lock or a semaphore: `use(body)`, and whether nothing is held. */
  interface Held {
    readonly use: (body: Effect.Effect<unknown>) => Effect.Effect<unknown, unknown, asyncio.EventLoop>
    readonly free: () => boolean
  }
  const held: ReadonlyArray<readonly [string, string, () => Held]> = [
    [
      "lock.use(42)",
      "Lock.use()",
      () => {
        const lock = new asyncio.Lock()
        return { use: (body) => lock.use(body), free: () => !lock.locked() }
      }
    ],
    [
      "sem.use(42)",
      "Semaphore.use()",
      () => {
        const sem = new asyncio.Semaphore(1)
        return { use: (body) => sem.use(body), free: () => sem.permits() === 1 }
      }
    ]
  ]
  for (const [name, what, make] of held) {
    it.effect(`3. ${name} dies with TypeError before acquiring, and the enclosing finalizers run`, () =>
      Effect.gen(function* () {
        const { value } = yield* runOk(
          Effect.gen(function* () {
            const primitive = make()
            let finalized = false
            const exit = yield* Effect.exit(
              Effect.ensuring(
                primitive.use(42 as never),
                Effect.sync(() => {
                  finalized = true
                })
              )
            )
            // checked before anything is acquired: held by another task, use(42) does not wait
            const holder = yield* asyncio.createTask(primitive.use(asyncio.sleep(10)))
            yield* asyncio.sleep(0)
            const loop = yield* asyncio.getRunningLoop
            const start = loop.time()
            const whileHeld = yield* Effect.exit(primitive.use(42 as never))
            const waited = loop.time() - start
            yield* holder.cancel()
            yield* Effect.exit(holder)
            return [
              described(defectOf(exit)),
              finalized,
              described(defectOf(whileHeld)),
              waited,
              primitive.free()
            ]
          })
        )
        const error = ["TypeError", `${what} body must be an effect, got 42`]
        assert.deepStrictEqual(value, [error, true, error, 0, true])
      })
    )
  }

  it.effect("3. an exceptStar handler that returns a non-effect dies with TypeError and leaks no lock", () =>
    Effect.gen(function* () {
      const { value } = yield* runOk(
        Effect.gen(function* () {
          const lock = new asyncio.Lock()
          let finalized = false
          const exit = yield* Effect.exit(
            Effect.ensuring(
              lock.use(
                Effect.fail(new asyncio.ValueError({ message: "x" })).pipe(
                  asyncio.exceptStar("ValueError", () => 42 as unknown as Effect.Effect<void>)
                )
              ),
              Effect.sync(() => {
                finalized = true
              })
            )
          )
          return [described(defectOf(exit))[0], finalized, lock.locked()]
        })
      )
      assert.deepStrictEqual(value, ["TypeError", true, false])
    })
  )

  // -- 4 ----------------------------------------------------------------------------------------

  it.effect("4. PriorityQueue: a comparator that throws during put or get leaves the heap as it was", () =>
    Effect.gen(function* () {
      const { value } = yield* runOk(
        Effect.gen(function* () {
          let armed = false
          const order: Order.Order<number> = (a, b) => {
            if (armed) throw new asyncio.ValueError({ message: "no comparison now" })
            return Order.Number(a, b)
          }
          const q = new asyncio.PriorityQueue<number>({ order })
          for (const item of [20, 5, 40, 10, 30, 50, 15]) yield* q.put(item)
          armed = true
          const put = yield* Effect.exit(q.put(1))
          const get = yield* Effect.exit(q.get())
          const size = q.qsize()
          armed = false
          const out: Array<number> = []
          while (!q.empty()) out.push(yield* q.get())
          return [described(defectOf(put))[0], described(defectOf(get))[0], size, out]
        })
      )
      // the failed put's item is not in the queue, no item is lost or duplicated
      assert.deepStrictEqual(value, ["ValueError", "ValueError", 7, [5, 10, 15, 20, 30, 40, 50]])
    })
  )

  // -- 5 ----------------------------------------------------------------------------------------

  it("5. a task failing with an unprintable value does not make run reject when main succeeds", async () => {
    const { proxy, revoke } = Proxy.revocable({}, {})
    revoke()
    const reports: Array<string> = []
    const result = await asyncio.run(
      Effect.gen(function* () {
        yield* asyncio.createTask(Effect.fail(proxy))
        yield* asyncio.createTask(Effect.fail(Object.create(null)))
        yield* asyncio.createTask(
          Effect.die({
            toString() {
              throw new Error("unprintable")
            }
          })
        )
        yield* asyncio.sleep(0.01)
        return "main ok"
      }),
      {
        handleSigint: false,
        exceptionHandler: (_loop, context) => {
          reports.push(asyncio.formatExceptionContext(context).split("\n")[0] ?? "")
        }
      }
    )
    assert.strictEqual(result, "main ok")
    assert.deepStrictEqual(reports, [
      "Task exception was never retrieved",
      "Task exception was never retrieved",
      "Task exception was never retrieved"
    ])
  })

  // -- 8 ----------------------------------------------------------------------------------------

  it.effect("8. gather(aPromise) awaits the Promise (it was []): a Promise is an awaitable (issue 13)", () =>
    Effect.gen(function* () {
      // CPython: gather(fut) of a wrapped concurrent future awaits it; a Promise is never options
      const { value } = yield* runOk(call(asyncio.gather, Promise.resolve(1)) as Effect.Effect<unknown>)
      assert.deepStrictEqual(value, [1])
    })
  )

  it.effect("8. gather(anObject) of another class dies with TypeError: only a plain object is options", () =>
    Effect.gen(function* () {
      // CPython: gather(object()) raises TypeError('An asyncio.Future, a coroutine or an awaitable
      // is required')
      const { value } = yield* runOk(
        Effect.exit(call(asyncio.gather, new Date(0)) as Effect.Effect<unknown>).pipe(
          Effect.map((exit) => described(defectOf(exit)))
        )
      )
      assert.deepStrictEqual(value, [
        "TypeError",
        "An asyncio.Future, a coroutine or an awaitable is required, got <Date object>"
      ])
    })
  )

  it.effect("8. new Queue(5) is maxsize 5, as CPython's Queue(5)", () =>
    Effect.gen(function* () {
      // CPython: q = Queue(5); 5 put_nowait; q.maxsize, q.full() -> 5 True; one more: QueueFull
      const { value } = yield* runOk(
        Effect.gen(function* () {
          const q = new asyncio.Queue<number>(5)
          for (let i = 0; i < 5; i++) yield* q.putNowait(i)
          const more = yield* Effect.flip(q.putNowait(5))
          return [q.maxsize, q.full(), more._tag]
        })
      )
      assert.deepStrictEqual(value, [5, true, "QueueFull"])
    })
  )

  it.effect(
    "8. timeoutAt / reschedule refuse NaN, strings and objects; reschedule(NaN) delays no other sleep",
    () =>
      Effect.gen(function* () {
        // CPython: timeout_at('1') / reschedule('1') / ({}) raise TypeError ("'<=' not supported");
        // NaN is accepted there (a deadline that fires at the next timer check): a ValueError here,
        // as everywhere (README, differences)
        const { value, elapsed } = yield* runOk(
          Effect.gen(function* () {
            const sleeper = yield* asyncio.createTask(asyncio.sleep(1, "slept"))
            const out: Array<unknown> = []
            for (const bad of [Number.NaN, "1", {}]) {
              out.push(
                described(
                  defectOf(
                    yield* Effect.exit(
                      call(asyncio.timeoutAt, bad, asyncio.sleep(0)) as Effect.Effect<unknown>
                    )
                  )
                )[0]
              )
              out.push(
                described(
                  defectOf(
                    yield* Effect.exit(
                      asyncio.timeout(10, (cm) =>
                        Effect.andThen(
                          call(cm.reschedule.bind(cm), bad) as Effect.Effect<void>,
                          asyncio.sleep(0)
                        )
                      )
                    )
                  )
                )[0]
              )
            }
            out.push(yield* sleeper)
            return out
          })
        )
        assert.deepStrictEqual(value, [
          "ValueError",
          "ValueError",
          "TypeError",
          "TypeError",
          "TypeError",
          "TypeError",
          "slept"
        ])
        assert.strictEqual(elapsed, 1)
      })
  )

  it.effect(
    '8. cond.notify("1"), notify(null), notify({}) are TypeErrors; NaN wakes all, as in CPython',
    () =>
      Effect.gen(function* () {
        // CPython, two waiters: notify('1'), notify(None), notify({}) raise TypeError ("'>=' not
        // supported between instances of 'int' and 'str'"); notify(nan) is accepted and wakes both.
        // (With no waiter CPython compares nothing and accepts them; here they are refused at once.)
        const { value } = yield* runOk(
          Effect.gen(function* () {
            const cond = new asyncio.Condition()
            const waiters = yield* Effect.forEach([1, 2], () => asyncio.createTask(cond.use(cond.wait())))
            yield* asyncio.sleep(0)
            const out: Array<unknown> = []
            yield* cond.use(
              Effect.gen(function* () {
                for (const bad of ["1", null, {}]) {
                  out.push(
                    described(
                      defectOf(yield* Effect.exit(call(cond.notify.bind(cond), bad) as Effect.Effect<void>))
                    )
                  )
                }
                yield* cond.notify(Number.NaN)
              })
            )
            yield* asyncio.gather(waiters)
            out.push(waiters.every((w) => w.done()))
            return out
          })
        )
        assert.deepStrictEqual(value, [
          ["TypeError", 'Condition.notify() n must be a number, got "1"'],
          ["TypeError", "Condition.notify() n must be a number, got null"],
          ["TypeError", "Condition.notify() n must be a number, got <Object object>"],
          true
        ])
      })
  )

  it.effect("8. awaiting a pending task of another running loop is a RuntimeError", () =>
    Effect.gen(function* () {
      // CPython: RuntimeError('Task <Task pending ...> got Future <Task pending ...> attached to a
      // different loop')
      const { value } = yield* runOk(
        Effect.scoped(
          Effect.gen(function* () {
            const context = yield* Layer.build(asyncio.EventLoop.layer())
            const other = yield* asyncio
              .createTask(asyncio.sleep(10))
              .pipe(Effect.provideService(CurrentTask, undefined), Effect.provide(context))
            const exit = yield* Effect.exit(other)
            return [
              described(defectOf(exit))[0],
              /attached to a different loop/.test(described(defectOf(exit))[1])
            ]
          })
        )
      )
      assert.deepStrictEqual(value, ["RuntimeError", true])
    })
  )

  it.effect("8. setExceptionHandler(42) is a TypeError at once", () =>
    Effect.gen(function* () {
      // CPython: TypeError('A callable object or None is expected, got 42')
      const { value } = yield* runOk(
        Effect.map(asyncio.getRunningLoop, (loop) =>
          described(thrownBy(() => call(loop.setExceptionHandler.bind(loop), 42)))
        )
      )
      assert.deepStrictEqual(value, ["TypeError", "A callable object or None is expected, got 42"])
    })
  )

  // -- 9 ----------------------------------------------------------------------------------------

  it.effect(
    "9. a non-function body of timeout, TaskGroup.run, Barrier.use, cond.waitFor is a TypeError",
    () =>
      Effect.gen(function* () {
        const { value } = yield* runOk(
          Effect.gen(function* () {
            const cond = new asyncio.Condition()
            const bodies: ReadonlyArray<() => unknown> = [
              () => call(asyncio.timeout, 1, 42),
              () => call(asyncio.TaskGroup.run, 42),
              () => {
                const barrier = new asyncio.Barrier(1)
                return call(barrier.use.bind(barrier), 42)
              },
              () => cond.use(call(cond.waitFor.bind(cond), 42) as Effect.Effect<unknown>)
            ]
            const out: Array<[string, string]> = []
            for (const body of bodies)
              out.push(described(defectOf(yield* Effect.exit(body() as Effect.Effect<unknown>))))
            return [out, cond.locked()]
          })
        )
        assert.deepStrictEqual(value, [
          [
            ["TypeError", "timeout() body must be a function, got 42"],
            ["TypeError", "TaskGroup.run() body must be a function, got 42"],
            ["TypeError", "Barrier.use() body must be a function, got 42"],
            ["TypeError", "Condition.waitFor() predicate must be a function, got 42"]
          ],
          false
        ])
      })
  )

  it.effect("9. null options: wait, asCompleted, EventLoop.layer, the queues are TypeErrors", () =>
    Effect.gen(function* () {
      const { value } = yield* runOk(
        Effect.gen(function* () {
          const t = yield* asyncio.createTask(asyncio.sleep(0))
          const out: Array<[string, string]> = []
          for (const make of [
            () => call(asyncio.wait, [t], null),
            () => call(asyncio.asCompleted, [t], null),
            () =>
              Layer.build(call(asyncio.EventLoop.layer, null) as Layer.Layer<asyncio.EventLoop>).pipe(
                Effect.scoped
              )
          ]) {
            out.push(described(defectOf(yield* Effect.exit(make() as Effect.Effect<unknown>))))
          }
          for (const Q of [asyncio.Queue, asyncio.PriorityQueue, asyncio.LifoQueue]) {
            out.push(described(thrownBy(() => new (Q as new (o: unknown) => unknown)(null))))
          }
          return out
        })
      )
      assert.deepStrictEqual(value, [
        ["TypeError", "wait() options must be an object, got null"],
        ["TypeError", "asCompleted() options must be an object, got null"],
        ["TypeError", "EventLoop.layer() options must be an object, got null"],
        ["TypeError", "Queue() takes an options object or a maxsize, got null"],
        ["TypeError", "PriorityQueue() takes an options object or a maxsize, got null"],
        ["TypeError", "LifoQueue() takes an options object or a maxsize, got null"]
      ])
    })
  )

  it("9. null options: run and Runner are TypeErrors", async () => {
    const fromRun = await (call(asyncio.run, Effect.void, null) as Promise<unknown>).then(
      () => undefined,
      (error: unknown) => error
    )
    const fromRunner = thrownBy(() => new (asyncio.Runner as new (o: unknown) => unknown)(null))
    assert.deepStrictEqual(
      [described(fromRun), described(fromRunner)],
      [
        ["TypeError", "run() options must be an object, got null"],
        ["TypeError", "Runner() options must be an object, got null"]
      ]
    )
  })

  it.effect("9. new Condition(null) makes a new Lock, as CPython's Condition(None)", () =>
    Effect.gen(function* () {
      // CPython: c = Condition(None); async with c: c.locked() -> True
      const { value } = yield* runOk(
        Effect.gen(function* () {
          const cond = new asyncio.Condition(null as never)
          const inside = yield* cond.use(Effect.sync(() => cond.locked()))
          return [inside, cond.locked()]
        })
      )
      assert.deepStrictEqual(value, [true, false])
    })
  )

  it("9. PriorityQueue({ order: 42 }) is a TypeError", () => {
    assert.deepStrictEqual(described(thrownBy(() => new asyncio.PriorityQueue({ order: 42 as never }))), [
      "TypeError",
      "PriorityQueue() order must be a function, got 42"
    ])
  })

  it.effect(
    "9. gather over 200k effects: the array form has no spread limit",
    () =>
      Effect.gen(function* () {
        const n = 200_000
        const effects = Array.from({ length: n }, (_, i) => Effect.succeed(i))
        // the spread form is JavaScript's limit, not ours
        assert.instanceOf(
          thrownBy(() => call(asyncio.gather, ...effects)),
          RangeError
        )
        const { value } = yield* runOk(
          Effect.map(asyncio.gather(effects), (results) => [results.length, results[n - 1]])
        )
        assert.deepStrictEqual(value, [n, n - 1])
      }),
    // 200k tasks: about 2 s alone, several times that on a loaded 2-core machine
    30_000
  )

  it.effect(
    "9. bad arguments to ExceptionGroup.make, split, exceptStar, formatExceptionContext are TypeErrors",
    () =>
      inTask(
        Effect.gen(function* () {
          // Python: ExceptionGroup(42, [e]) TypeError, ExceptionGroup('m', None) TypeError,
          // eg.split(42) TypeError
          const e = new asyncio.ValueError({ message: "x" })
          const group = asyncio.ExceptionGroup.make("m", [e])
          const exceptStarExit = yield* Effect.exit(
            Effect.fail(e).pipe(
              call(asyncio.exceptStar, 42, () => Effect.void) as (
                self: Effect.Effect<never, asyncio.ValueError>
              ) => Effect.Effect<void>
            )
          )
          assert.deepStrictEqual(
            [
              described(thrownBy(() => call(asyncio.ExceptionGroup.make, 42, [e]))),
              described(thrownBy(() => call(asyncio.ExceptionGroup.make, "m", null))),
              described(thrownBy(() => call(group.split.bind(group), 42))),
              described(defectOf(exceptStarExit))[0],
              described(thrownBy(() => call(asyncio.formatExceptionContext, null)))
            ],
            [
              ["TypeError", "ExceptionGroup.make() message must be a string, got 42"],
              ["TypeError", "ExceptionGroup.make() exceptions must be an array, got null"],
              ["TypeError", "ExceptionGroup.split() expects a tag, an array of tags or a predicate, got 42"],
              "TypeError",
              ["TypeError", "formatExceptionContext() context must be an object, got null"]
            ]
          )
        })
      )
  )
})
