/**
 * Promises and AbortSignal, both directions (src/promises.ts, src/internal/promise.ts): Promises
 * as awaitables of every combinator, `fromPromise` and its AbortSignal, `future.toPromise()`, and
 * `loop.submit` (asyncio's `run_coroutine_threadsafe`). CPython has no Promises: these are tested
 * for what they do; the order of `loop.submit`'s turns, which CPython does have, is pinned by the
 * interleavings programs `submit_*` (CPython 3.13's logs).
 */
import { assert, describe, it } from "@effect/vitest"
import * as asyncio from "@effect-asyncio/core"
import { Cause, Effect, Exit, Fiber } from "effect"
import { TestClock } from "effect/testing"
import { pendingTaskCount, runOk, runVirtual } from "./utils/virtual.js"

/** A Promise and its resolvers. */
const deferred = <A>() => {
  let resolve: (value: A) => void = () => {}
  let reject: (reason: unknown) => void = () => {}
  const promise = new Promise<A>((res, rej) => {
    resolve = res
    reject = rej
  })
  return { promise, resolve, reject }
}

/** Resolves after `ms` of real time. */
const later = <A>(ms: number, value: A) => new Promise<A>((resolve) => setTimeout(() => resolve(value), ms))

/** The typed error of a failed exit. */
const errorOf = <A, E>(exit: Exit.Exit<A, E>): unknown => {
  assert.isTrue(Exit.isFailure(exit), "expected a failure")
  return Exit.isFailure(exit) ? Cause.squash(exit.cause) : undefined
}

describe("Promises as awaitables", () => {
  it.effect("createTask(promise): a task that gives the Promise's value", () =>
    Effect.gen(function* () {
      const { value } = yield* runOk(
        Effect.gen(function* () {
          const task = yield* asyncio.createTask(Promise.resolve(42), { name: "wrapped" })
          return [task.getName(), yield* task]
        })
      )
      assert.deepStrictEqual(value, ["wrapped", 42])
    })
  )

  it.effect("a rejection fails with Effect's UnknownError, the reason as its cause", () =>
    Effect.gen(function* () {
      const reason = new Error("network down")
      const { exit } = yield* runVirtual(
        Effect.gen(function* () {
          const task = yield* asyncio.createTask(Promise.reject(reason))
          return yield* task
        })
      )
      const error = errorOf(exit)
      assert.isTrue(Cause.isUnknownError(error))
      assert.strictEqual((error as Cause.UnknownError).cause, reason)
    })
  )

  it.effect("a Promise rejected with CancelledError cancels its future", () =>
    Effect.gen(function* () {
      const { value } = yield* runOk(
        Effect.gen(function* () {
          const future = yield* asyncio.ensureFuture(
            Promise.reject(new asyncio.CancelledError({ message: "gone" }))
          )
          const error = yield* Effect.flip(future)
          return [future.cancelled(), error._tag, error.message]
        })
      )
      assert.deepStrictEqual(value, [true, "CancelledError", "gone"])
    })
  )

  it.effect("ensureFuture(promise): a future completed at a turn of the loop after the settlement", () =>
    Effect.gen(function* () {
      const { value } = yield* runOk(
        Effect.gen(function* () {
          const { promise, resolve } = deferred<string>()
          const future = yield* asyncio.ensureFuture(promise)
          resolve("done")
          yield* Effect.promise(() => promise) // the Promise has settled...
          const settledFirst = future.done() // ...the future not yet: the loop copies it at a turn
          return [
            asyncio.isFuture(future),
            asyncio.isTask(future),
            settledFirst,
            yield* future,
            future.done()
          ]
        })
      )
      assert.deepStrictEqual(value, [true, false, false, "done", true])
    })
  )

  it.effect("gather: Promises and effects in argument order; one Promise passed twice once", () =>
    Effect.gen(function* () {
      const shared = Promise.resolve("shared")
      const { value } = yield* runOk(
        asyncio.gather(asyncio.sleep(0.1, "effect"), shared, Promise.resolve(3), shared)
      )
      assert.deepStrictEqual(value, ["effect", "shared", 3, "shared"])
    })
  )

  it.effect("gather with returnExceptions: a rejection's UnknownError in its place", () =>
    Effect.gen(function* () {
      // the Promises are made when the effect runs: a rejection left unhandled for a tick is Node's
      // unhandled rejection (a Promise made earlier must be handled, or wrapped, meanwhile)
      const { value } = yield* runOk(
        Effect.suspend(() =>
          asyncio.gather(Promise.reject("boom"), Promise.resolve("ok"), { returnExceptions: true })
        )
      )
      const [rejected, ok] = value
      assert.isTrue(Cause.isUnknownError(rejected))
      assert.strictEqual((rejected as Cause.UnknownError).cause, "boom")
      assert.strictEqual(ok, "ok")
    })
  )

  it.effect("wait: the Promises come back in done / pending as the objects passed in", () =>
    Effect.gen(function* () {
      const fast = Promise.resolve("fast")
      const never = new Promise<string>(() => {})
      const { value } = yield* runOk(
        Effect.gen(function* () {
          const task = yield* asyncio.createTask(asyncio.sleep(0.5, "task"))
          const { done, pending } = yield* asyncio.wait([fast, never, task], { timeout: 1 })
          return [done.has(fast), done.has(task), pending.has(never), done.size + pending.size]
        })
      )
      assert.deepStrictEqual(value, [true, true, true, 3])
    })
  )

  it("waitFor(promise): the timeout raises TimeoutError, the Promise runs on", async () => {
    let settled = false
    const slow = later(200, "late").then((value) => {
      settled = true
      return value
    })
    const error = await asyncio.run(Effect.flip(asyncio.waitFor(slow, 0.02)))
    assert.strictEqual(error._tag, "TimeoutError")
    assert.isFalse(settled)
    assert.strictEqual(await slow, "late")
  })

  it.effect("shield(promise) and waitFor(promise) in time give its value", () =>
    Effect.gen(function* () {
      const { value } = yield* runOk(
        Effect.all([asyncio.shield(Promise.resolve(1)), asyncio.waitFor(Promise.resolve(2), 5)])
      )
      assert.deepStrictEqual(value, [1, 2])
    })
  )

  it("asCompleted: Promises in the order they settle; for await over the futures", async () => {
    const order = await asyncio.run(
      Effect.gen(function* () {
        const results: Array<string> = []
        for (const next of yield* asyncio.asCompleted([later(60, "slow"), later(10, "fast")])) {
          results.push(yield* next)
        }
        return results
      })
    )
    assert.deepStrictEqual(order, ["fast", "slow"])
  })

  it.effect("TaskGroup.createTask(promise): a rejection is one failure of the group", () =>
    Effect.gen(function* () {
      const { exit } = yield* runVirtual(
        asyncio.TaskGroup.run((tg) =>
          Effect.gen(function* () {
            yield* tg.createTask(Promise.reject(new Error("child failed")))
            yield* tg.createTask(asyncio.sleep(10))
          })
        )
      )
      const group = errorOf(exit)
      assert.instanceOf(group, asyncio.ExceptionGroup)
      const [only] = (group as asyncio.ExceptionGroup<Cause.UnknownError>).exceptions
      assert.strictEqual((only?.cause as Error | undefined)?.message, "child failed")
    })
  )

  it.effect("anything else still dies with TypeError", () =>
    Effect.gen(function* () {
      const { exit } = yield* runVirtual(asyncio.gather(Promise.resolve(1), 42 as never))
      assert.instanceOf(errorOf(exit), asyncio.TypeError)
      // biome-ignore lint/suspicious/noThenProperty: an object whose `then` is not a function is no thenable
      const notThenable = { then: 1 }
      const { exit: created } = yield* runVirtual(asyncio.createTask(notThenable as never))
      assert.instanceOf(errorOf(created), asyncio.TypeError)
    })
  )
})

describe("Promises and a busy loop: the host gets a turn after each iteration while one is awaited", () => {
  // CPython 3.13 (finished concurrent futures through wrap_future while a task spins on sleep(0)):
  //   tick = 0
  //   async def aw(cf): return await asyncio.wrap_future(cf)
  //   async def main():
  //       async def ticker():
  //           global tick
  //           for i in range(3000): tick = i; await asyncio.sleep(0)
  //       t = asyncio.create_task(ticker())
  //       cf = concurrent.futures.Future(); cf.set_result("p")
  //       r = await asyncio.create_task(aw(cf))
  //       at = tick
  //       cf2 = concurrent.futures.Future(); cf2.set_result("q")
  //       d = await asyncio.wrap_future(cf2)
  //       print([r, at, d, tick - at]); await t
  //   -> ['p', 3, 'q', 2]
  it("an already settled Promise is seen as a future is, not 256 iterations later", async () => {
    let tick = 0
    const seen = await asyncio.run(
      Effect.gen(function* () {
        const ticker = yield* asyncio.createTask(
          Effect.gen(function* () {
            for (let i = 0; i < 3000; i++) {
              tick = i
              yield* asyncio.sleep(0)
            }
          })
        )
        const result = yield* yield* asyncio.createTask(Promise.resolve("p"))
        const at = tick
        const direct = yield* yield* asyncio.ensureFuture(Promise.resolve("q"))
        const directAt = tick - at
        yield* ticker
        return [result, at, direct, directAt]
      })
    )
    assert.deepStrictEqual(seen, ["p", 3, "q", 2])
  })
})

describe("fromPromise: the AbortSignal", () => {
  it.effect("cancelling the task aborts the signal at the next turn, with the CancelledError as reason", () =>
    Effect.gen(function* () {
      const seen: Array<string> = []
      const { value } = yield* runOk(
        Effect.gen(function* () {
          let signal: AbortSignal | undefined
          const task = yield* asyncio.createTask(
            asyncio.fromPromise((s) => {
              signal = s
              return new Promise<never>(() => {})
            })
          )
          yield* asyncio.sleep(0)
          signal?.addEventListener("abort", () => seen.push("aborted"))
          yield* task.cancel("stop")
          seen.push(`after cancel(): aborted=${signal?.aborted}`) // nothing runs inside cancel()
          const error = yield* Effect.flip(task)
          const reason = signal?.reason as asyncio.CancelledError
          return [error._tag, reason._tag, reason.message]
        })
      )
      assert.deepStrictEqual(seen, ["after cancel(): aborted=false", "aborted"])
      assert.deepStrictEqual(value, ["CancelledError", "CancelledError", "stop"])
    })
  )

  it("a real operation stops: node's timer is cleared when waitFor expires", async () => {
    const { setTimeout: sleepFor } = await import("node:timers/promises")
    let signal: AbortSignal | undefined
    const started = Date.now()
    const error = await asyncio.run(
      Effect.flip(
        asyncio.waitFor(
          asyncio.fromPromise((s) => {
            signal = s
            return sleepFor(5000, "late", { signal: s })
          }),
          0.05
        )
      )
    )
    assert.strictEqual(error._tag, "TimeoutError")
    assert.isTrue(signal?.aborted)
    assert.isBelow(Date.now() - started, 2000)
  })

  it.effect("a TaskGroup that aborts aborts the signals of its children", () =>
    Effect.gen(function* () {
      const signals: Array<AbortSignal> = []
      const hang = asyncio.fromPromise((signal) => {
        signals.push(signal)
        return new Promise<never>(() => {})
      })
      const { exit } = yield* runVirtual(
        asyncio.TaskGroup.run((tg) =>
          Effect.gen(function* () {
            yield* tg.createTask(hang)
            yield* tg.createTask(hang)
            yield* asyncio.sleep(0)
            yield* tg.createTask(Effect.fail(new asyncio.ValueError({ message: "boom" })))
          })
        )
      )
      assert.instanceOf(errorOf(exit), asyncio.ExceptionGroup)
      assert.deepStrictEqual(
        signals.map((signal) => signal.aborted),
        [true, true]
      )
    })
  )

  it.effect("a resolved Promise's value; a settled operation's signal is not aborted", () =>
    Effect.gen(function* () {
      let signal: AbortSignal | undefined
      const { value } = yield* runOk(
        asyncio.fromPromise((s) => {
          signal = s
          return Promise.resolve("value")
        })
      )
      assert.strictEqual(value, "value")
      assert.isFalse(signal?.aborted)
    })
  )

  it.effect("catch makes the typed error; a catch that throws makes a defect", () =>
    Effect.gen(function* () {
      const { value } = yield* runOk(
        asyncio
          .fromPromise(() => Promise.reject("offline"), {
            catch: (reason) => new asyncio.RuntimeError({ message: `fetch: ${String(reason)}` })
          })
          .pipe(Effect.catchTag("RuntimeError", (error) => Effect.succeed(error.message)))
      )
      assert.strictEqual(value, "fetch: offline")
      const { exit } = yield* runVirtual(
        asyncio.fromPromise(() => Promise.reject("x"), {
          catch: () => {
            throw new Error("catch threw")
          }
        })
      )
      assert.isTrue(Exit.isFailure(exit) && Cause.hasDies(exit.cause))
    })
  )

  it.effect("a synchronous throw is a rejection; a bad argument dies with TypeError", () =>
    Effect.gen(function* () {
      const { exit } = yield* runVirtual(
        asyncio.fromPromise(() => {
          throw new Error("sync")
        })
      )
      assert.isTrue(Cause.isUnknownError(errorOf(exit)))
      for (const bad of [
        asyncio.fromPromise(42 as never),
        asyncio.fromPromise((() => 42) as never),
        asyncio.fromPromise(() => Promise.resolve(1), { catch: 1 } as never)
      ]) {
        const { exit: died } = yield* runVirtual(bad)
        assert.isTrue(Exit.isFailure(died) && Cause.hasDies(died.cause))
        assert.instanceOf(errorOf(died), asyncio.TypeError)
      }
    })
  )

  it("outside any loop it is Effect.tryPromise: an interruption aborts the signal", async () => {
    let signal: AbortSignal | undefined
    const fiber = Effect.runFork(
      asyncio.fromPromise((s) => {
        signal = s
        return new Promise<never>(() => {})
      })
    )
    await new Promise((resolve) => setTimeout(resolve, 5))
    await Effect.runPromise(Fiber.interrupt(fiber))
    assert.isTrue(signal?.aborted)
    assert.strictEqual(await Effect.runPromise(asyncio.fromPromise(() => Promise.resolve(7))), 7)
  })
})

describe("future.toPromise()", () => {
  it("resolves with the result, rejects with the typed error, CancelledError or the defect", async () => {
    const outcomes = await asyncio.run(
      Effect.gen(function* () {
        const ok = yield* asyncio.createTask(asyncio.sleep(0.01, "ok"))
        const failed = yield* asyncio.createTask(Effect.fail(new asyncio.ValueError({ message: "bad" })))
        const cancelled = yield* asyncio.createTask(asyncio.sleep(10))
        const died = yield* asyncio.createTask(Effect.die("defect"))
        yield* asyncio.sleep(0)
        yield* cancelled.cancel()
        const settle = (task: asyncio.Task<unknown, unknown>) =>
          Effect.promise(() =>
            task.toPromise().then(
              (value) => ["resolved", value],
              (reason: unknown) => ["rejected", (reason as { _tag?: string })._tag ?? reason]
            )
          )
        return yield* Effect.all([settle(ok), settle(failed), settle(cancelled), settle(died)])
      })
    )
    assert.deepStrictEqual(outcomes, [
      ["resolved", "ok"],
      ["rejected", "ValueError"],
      ["rejected", "CancelledError"],
      ["rejected", "defect"]
    ])
  })

  it("a failure read through toPromise counts as retrieved: nothing is reported", async () => {
    const reports: Array<string> = []
    await asyncio.run(
      Effect.gen(function* () {
        const task = yield* asyncio.createTask(Effect.fail(new asyncio.ValueError({ message: "seen" })))
        yield* Effect.promise(() => task.toPromise().catch(() => undefined))
      }),
      { exceptionHandler: (_loop, context) => reports.push(context.message) }
    )
    assert.deepStrictEqual(reports, [])
  })

  it("a future still pending on a closed loop: RuntimeError at once", async () => {
    let future: asyncio.Future<number> | undefined
    await asyncio.run(
      Effect.map(asyncio.createFuture<number>(), (f) => {
        future = f
      })
    )
    const error = await future?.toPromise().catch((reason: unknown) => reason)
    assert.instanceOf(error, asyncio.RuntimeError)
    assert.strictEqual((error as asyncio.RuntimeError).message, "Event loop is closed")
  })
})

describe("loop.submit (run_coroutine_threadsafe)", () => {
  /** A Runner whose loop runs until `stop` resolves, and the loop. */
  const serving = () => {
    const runner = new asyncio.Runner({ handleSigint: false })
    const loop = runner.getLoop()
    const stop = deferred<void>()
    const main = runner.run(asyncio.fromPromise(() => stop.promise))
    return {
      runner,
      loop,
      close: async () => {
        stop.resolve()
        await main
        await runner.close()
      }
    }
  }

  it("from a timer callback: a task of that loop, whose Promise gives its result", async () => {
    const { loop, close } = serving()
    const result = await new Promise((resolve, reject) => {
      setTimeout(() => {
        const submission = loop.submit(
          Effect.gen(function* () {
            yield* asyncio.sleep(0.01)
            return (yield* asyncio.currentTask)?.getName()
          }),
          { name: "from-a-timer" }
        )
        submission.then(resolve, reject)
      }, 5)
    })
    assert.strictEqual(result, "from-a-timer")
    await close()
  })

  it("cancel(): the Promise rejects with CancelledError at once, the task's finalizer runs", async () => {
    const { loop, close } = serving()
    let finalized = 0
    const submission = loop.submit(
      asyncio.sleep(10).pipe(Effect.ensuring(Effect.sync(() => (finalized += 1))))
    )
    await new Promise((resolve) => setTimeout(resolve, 10))
    assert.isTrue(submission.cancel("enough"))
    assert.isTrue(submission.cancelled())
    const error = await submission.promise.catch((reason: unknown) => reason)
    assert.instanceOf(error, asyncio.CancelledError)
    assert.strictEqual((error as asyncio.CancelledError).message, "enough")
    await new Promise((resolve) => setTimeout(resolve, 10))
    assert.strictEqual(finalized, 1)
    assert.strictEqual(pendingTaskCount(loop), 1) // only main
    await close()
    assert.strictEqual(finalized, 1)
  })

  it("a failure rejects with the typed error; a defect with the defect", async () => {
    const { loop, close } = serving()
    const failed = await loop
      .submit(Effect.fail(new asyncio.ValueError({ message: "bad input" })))
      .promise.catch((reason: unknown) => reason)
    assert.instanceOf(failed, asyncio.ValueError)
    const died = await loop.submit(Effect.die("broken")).promise.catch((reason: unknown) => reason)
    assert.strictEqual(died, "broken")
    await close()
  })

  it("a submission nobody awaits: no unhandled rejection; the failure is reported as never retrieved", async () => {
    const reports: Array<string> = []
    const runner = new asyncio.Runner({
      handleSigint: false,
      exceptionHandler: (_loop, context) => reports.push(context.message)
    })
    const loop = runner.getLoop()
    const unhandled: Array<unknown> = []
    const onUnhandled = (reason: unknown) => unhandled.push(reason)
    process.on("unhandledRejection", onUnhandled)
    try {
      await runner.run(
        Effect.gen(function* () {
          loop.submit(Effect.fail(new asyncio.ValueError({ message: "lost" })))
          yield* asyncio.sleep(0.02)
        })
      )
      await runner.close()
      await new Promise((resolve) => setTimeout(resolve, 10))
    } finally {
      process.removeListener("unhandledRejection", onUnhandled)
    }
    assert.deepStrictEqual(unhandled, [])
    assert.deepStrictEqual(reports, ["Task exception was never retrieved"])
  })

  it("a submission still pending when the loop closes is cancelled: its Promise never hangs", async () => {
    const reports: Array<string> = []
    const runner = new asyncio.Runner({
      handleSigint: false,
      exceptionHandler: (_loop, context) => reports.push(context.message)
    })
    const loop = runner.getLoop()
    await runner.run(asyncio.sleep(0))
    // the loop is not running between runs: the creation callback waits in the ready queue, and
    // runs in the shutdown's last turns (a task made by cleanup code, as in CPython)
    let finalized = 0
    const submission = loop.submit(
      asyncio.sleep(10).pipe(Effect.ensuring(Effect.sync(() => (finalized += 1))))
    )
    await runner.close()
    assert.isTrue(submission.cancelled())
    const error = await submission.promise.catch((reason: unknown) => reason)
    assert.instanceOf(error, asyncio.CancelledError)
    assert.deepStrictEqual(reports, ["Task was destroyed but it is pending!"])
    assert.strictEqual(finalized, 1)
  })

  it("bad input: TypeError for a non-effect or bad options, RuntimeError on a closed loop", async () => {
    const runner = new asyncio.Runner({ handleSigint: false })
    const loop = runner.getLoop()
    assert.throws(() => loop.submit(42 as never), asyncio.TypeError, "A coroutine object is required, got 42")
    assert.throws(() => loop.submit(Promise.resolve(1) as never), asyncio.TypeError)
    assert.throws(
      () => loop.submit(Effect.void, 1 as never),
      asyncio.TypeError,
      "submit() options must be an object"
    )
    assert.throws(
      () => loop.submit(Effect.void, { name: 1 } as never),
      asyncio.TypeError,
      "submit() name must be a string"
    )
    await runner.run(Effect.void)
    await runner.close()
    assert.throws(() => loop.submit(Effect.void), asyncio.RuntimeError, "Event loop is closed")
  })

  it("await using: a Runner closes when its scope ends", async () => {
    let loop: asyncio.EventLoopService | undefined
    {
      await using runner = new asyncio.Runner({ handleSigint: false })
      loop = runner.getLoop()
      assert.strictEqual(await runner.run(asyncio.sleep(0.01, "ran")), "ran")
    }
    assert.isTrue(loop?.isClosed())
  })
})

describe("out of the loop: for await, await using, unsafe reads", () => {
  /** A Runner whose loop runs until `close()`, for Promise-based code to use. */
  const serve = () => {
    const runner = new asyncio.Runner({ handleSigint: false })
    const loop = runner.getLoop()
    const stop = deferred<void>()
    const main = runner.run(asyncio.fromPromise(() => stop.promise))
    return {
      loop,
      close: async () => {
        stop.resolve()
        await main
        await runner.close()
      }
    }
  }

  it("for await over a Queue: every item in order, until shutdown() and empty", async () => {
    const { loop, close } = serve()
    const queue = new asyncio.Queue<number>()
    loop.submit(
      Effect.gen(function* () {
        for (let i = 0; i < 5; i++) {
          yield* queue.put(i)
          yield* asyncio.sleep(0.001)
        }
        yield* queue.shutdown()
      })
    )
    const items: Array<number> = []
    for await (const item of queue) items.push(item)
    assert.deepStrictEqual(items, [0, 1, 2, 3, 4])
    await close()
  })

  it("break out of a for await: the get() still waiting is cancelled, no item is lost", async () => {
    const { loop, close } = serve()
    const queue = new asyncio.Queue<string>()
    await loop.submit(queue.put("first"))
    for await (const item of queue) {
      assert.strictEqual(item, "first")
      break
    }
    // a second iterator while nothing is there: its get() waits, then return() cancels it
    const iterator = queue[Symbol.asyncIterator]()
    const pending = iterator.next()
    await new Promise((resolve) => setTimeout(resolve, 5))
    await iterator.return?.()
    await pending.catch(() => undefined)
    await loop.submit(queue.put("kept"))
    assert.strictEqual(await loop.submit(queue.get()), "kept")
    await close()
  })

  // CPython 3.13 (a get() woken with an item, cancelled before it resumes): the item stays
  //   g = create_task(q.get()); await sleep(0); await sleep(0); q.put_nowait(2); g.cancel()
  //   -> g cancelled, q.qsize() == 1
  it("return() while the get() was handed an item but has not resumed: the item stays in the queue", async () => {
    const outcome = await asyncio.run(
      Effect.gen(function* () {
        const queue = new asyncio.Queue<number>()
        const iterator = queue[Symbol.asyncIterator]()
        const next = iterator.next().then(
          (result) => `resolved ${JSON.stringify(result)}`,
          (error: { readonly _tag?: string }) => `rejected ${error._tag}`
        )
        yield* asyncio.sleep(0)
        yield* asyncio.sleep(0) // the get() task waits for an item
        yield* queue.putNowait(2) // its getter is woken with the item
        yield* Effect.promise(() => iterator.return?.() ?? Promise.resolve(undefined)) // a timeout won a race
        yield* asyncio.sleep(0)
        yield* asyncio.sleep(0)
        return { next: yield* Effect.promise(() => next), left: queue.qsize() }
      })
    )
    assert.deepStrictEqual(outcome, { next: "rejected CancelledError", left: 1 })
  })

  it("shutdown(true) ends a for await at once; with no loop running, next() rejects with RuntimeError", async () => {
    const { loop, close } = serve()
    const queue = new asyncio.Queue<number>()
    await loop.submit(Effect.andThen(queue.put(1), queue.shutdown(true)))
    const items: Array<number> = []
    for await (const item of queue) items.push(item)
    assert.deepStrictEqual(items, [])
    await close()
    const unbound = new asyncio.Queue<number>()
    const error = await unbound[Symbol.asyncIterator]()
      .next()
      .catch((reason: unknown) => reason)
    assert.instanceOf(error, asyncio.RuntimeError)
    assert.strictEqual((error as asyncio.RuntimeError).message, "no running event loop")
  })

  it("for await over asCompleted: the tasks as they finish; TimeoutError ends it", async () => {
    const { loop, close } = serve()
    const completed = await loop.submit(
      asyncio.asCompleted([asyncio.sleep(0.03, "slow"), asyncio.sleep(0.01, "fast")])
    )
    const order: Array<string> = []
    for await (const task of completed) order.push(await task.toPromise())
    assert.deepStrictEqual(order, ["fast", "slow"])
    const late = await loop.submit(asyncio.asCompleted([asyncio.sleep(5, "late")], { timeout: 0.01 }))
    const error = await (async () => {
      for await (const _ of late) return "not timed out"
    })().catch((reason: unknown) => reason)
    assert.instanceOf(error, asyncio.TimeoutError)
    await close()
  })

  it("TaskGroup.open: await using waits for every child", async () => {
    const { loop, close } = serve()
    const handler = async () => {
      await using tg = await asyncio.TaskGroup.open(loop)
      const a = tg.createTask(asyncio.sleep(0.02, "a"))
      const b = tg.createTask(Promise.resolve("b"), { name: "b" })
      return { a, b, first: await b.toPromise() }
    }
    const { a, b, first } = await handler()
    assert.strictEqual(first, "b")
    assert.isTrue(a.done() && b.done())
    assert.strictEqual(b.getName(), "b")
    assert.strictEqual(asyncio.allTasksUnsafe(loop).size, 1) // only main
    await close()
  })

  it("TaskGroup.open: a failing child cancels the others; leaving the scope rejects with the group", async () => {
    const { loop, close } = serve()
    let cancelled = 0
    const error = await (async () => {
      await using tg = await asyncio.TaskGroup.open(loop)
      tg.createTask(asyncio.sleep(10).pipe(Effect.onInterrupt(() => Effect.sync(() => (cancelled += 1)))))
      tg.createTask(
        Effect.andThen(asyncio.sleep(0.01), Effect.fail(new asyncio.ValueError({ message: "child" })))
      )
      await new Promise((resolve) => setTimeout(resolve, 30))
      // the group has aborted, and finished by now (its parent task does not wait for this block)
      assert.throws(() => tg.createTask(Effect.void), asyncio.RuntimeError, "is finished")
    })().catch((reason: unknown) => reason)
    assert.instanceOf(error, asyncio.ExceptionGroup)
    assert.deepStrictEqual(
      (error as asyncio.ExceptionGroup<asyncio.ValueError>).exceptions.map((e) => e.message),
      ["child"]
    )
    assert.strictEqual(cancelled, 1)
    await close()
  })

  it("TaskGroup.open: cancel() ends the scope without an error; createTask after close throws", async () => {
    const { loop, close } = serve()
    const tg = await asyncio.TaskGroup.open(loop)
    const child = tg.createTask(asyncio.sleep(10))
    tg.cancel()
    await tg.close()
    assert.isTrue(child.cancelled())
    assert.throws(() => tg.createTask(Effect.void), asyncio.RuntimeError, "is finished")
    const bad = await asyncio.TaskGroup.open(42 as never).catch((reason: unknown) => reason)
    assert.instanceOf(bad, asyncio.TypeError)
    const open = await asyncio.TaskGroup.open(loop)
    assert.throws(() => open.createTask(42 as never), asyncio.TypeError, "a coroutine was expected, got 42")
    await open.close()
    await close()
  })

  it("allTasksUnsafe and currentTaskUnsafe: synchronous reads; TypeError for a non-loop", async () => {
    const { value } = await Effect.runPromise(
      runOk(
        Effect.gen(function* () {
          const loop = yield* asyncio.getRunningLoop
          yield* asyncio.createTask(asyncio.sleep(1), { name: "bg" })
          let inCallback: unknown = "not run"
          loop.callSoon(() => {
            inCallback = asyncio.currentTaskUnsafe()
          })
          yield* asyncio.sleep(0)
          const inTask = yield* Effect.sync(() => asyncio.currentTaskUnsafe(loop)?.getName())
          const names = [...asyncio.allTasksUnsafe(loop)].map((task) => task.getName())
          return [inCallback, inTask, names]
        })
      ).pipe(Effect.provide(TestClock.layer()))
    )
    assert.deepStrictEqual(value, [undefined, "Task-1", ["Task-1", "bg"]])
    assert.strictEqual(asyncio.currentTaskUnsafe(), undefined)
    assert.throws(
      () => asyncio.allTasksUnsafe(42 as never),
      asyncio.TypeError,
      "allTasksUnsafe() expects an event loop, got 42"
    )
    assert.throws(() => asyncio.currentTaskUnsafe({} as never), asyncio.TypeError)
  })
})
