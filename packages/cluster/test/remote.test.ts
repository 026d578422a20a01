/**
 * `remote` on the in-memory cluster (`layerTest`, Effect's `TestRunner`): every combinator takes
 * a remote call as it takes any effect, and keeps its rules.
 *
 * These run on the real clock, not TestClock: the cluster's own loops (storage reads, reply
 * polls) run on the clock of the layer, and a frozen clock would freeze them. Nothing here waits
 * on time to be right: handlers that must still be running park on `Effect.never`, and the tests
 * wait for events (a latch opened by the handler), not for durations.
 */
import { assert, describe, it } from "@effect/vitest"
import * as cluster from "@effect-asyncio/cluster"
import * as asyncio from "@effect-asyncio/core"
import { Cause, Effect, Exit, Latch, Schema } from "effect"

class Negative extends Schema.TaggedError<Negative>()("Negative", { n: Schema.Number }) {}

const Sqrt = cluster.defineTask({
  name: "test/sqrt",
  payload: Schema.Number,
  success: Schema.Number,
  error: Negative,
  handler: (n) => (n < 0 ? Effect.fail(new Negative({ n })) : Effect.succeed(Math.sqrt(n)))
})

/** What the handlers of this file saw, on the runner's side of the call. */
const seen = { started: new Set<string>(), finalized: new Set<string>(), runs: new Map<string, number>() }
const started = Latch.makeUnsafe(false)

/** Runs until interrupted; records its start and its finalizer. */
const Park = cluster.defineTask({
  name: "test/park",
  payload: Schema.String,
  handler: (id) =>
    Effect.sync(() => {
      seen.started.add(id)
      started.openUnsafe()
    }).pipe(Effect.andThen(Effect.never), Effect.ensuring(Effect.sync(() => seen.finalized.add(id))))
})

const Boom = cluster.defineTask({
  name: "test/boom",
  handler: () => Effect.die(new Error("boom on the runner"))
})

const Counted = cluster.defineTask({
  name: "test/counted",
  payload: Schema.String,
  success: Schema.Int,
  durable: true,
  handler: (id) =>
    Effect.sync(() => {
      const runs = (seen.runs.get(id) ?? 0) + 1
      seen.runs.set(id, runs)
      return runs
    })
})

/** A durable task that takes a moment, so the caller can cancel it while its activity runs. */
const DurableSlow = cluster.defineTask({
  name: "test/durable-slow",
  payload: Schema.String,
  success: Schema.String,
  durable: true,
  handler: (id) =>
    Effect.sync(() => {
      seen.started.add(id)
      started.openUnsafe()
    }).pipe(
      Effect.andThen(Effect.sleep(300)),
      Effect.as(`${id} done`),
      Effect.ensuring(Effect.sync(() => seen.finalized.add(id)))
    )
})

/** The core's errors are Schema classes: they travel as they are. */
const Validate = cluster.defineTask({
  name: "test/validate",
  payload: Schema.Int,
  error: asyncio.ValueError,
  handler: (n) => (n < 0 ? Effect.fail(new asyncio.ValueError({ message: `negative: ${n}` })) : Effect.void)
})

const Unserved = cluster.defineTask({ name: "test/unserved", handler: () => Effect.void })

const layer = cluster.layerTest({ tasks: [Sqrt, Park, Boom, Counted, DurableSlow, Validate] })

const run = <A, E>(main: Effect.Effect<A, E, asyncio.EventLoop | cluster.Cluster>): Promise<A> =>
  Effect.runPromise(asyncio.runEffect(main).pipe(Effect.provide(layer)))

/** Waits until the handler of `id` has started on the runner. */
const untilStarted = (id: string): Effect.Effect<void> =>
  Effect.suspend(() =>
    seen.started.has(id)
      ? Effect.void
      : Effect.andThen(started.close, Effect.andThen(started.await, untilStarted(id)))
  )

/** Waits until the finalizer of `id` has run on the runner. */
const untilFinalized = (id: string): Effect.Effect<void> =>
  Effect.suspend(() =>
    seen.finalized.has(id) ? Effect.void : Effect.andThen(Effect.sleep(5), untilFinalized(id))
  ).pipe(Effect.timeout("5 seconds"), Effect.orDie)

describe("remote", () => {
  it("gather: the results in order", async () => {
    const values = await run(asyncio.gather(...[1, 4, 9, 16].map((n) => cluster.remote(Sqrt, n))))
    assert.deepStrictEqual(values, [1, 2, 3, 4])
  })

  it("a typed failure of the handler comes back as the same class", async () => {
    const error = await run(Effect.flip(cluster.remote(Sqrt, -2)))
    assert.instanceOf(error, Negative)
    assert.strictEqual(error.n, -2)
  })

  it("the core's own errors travel typed (asyncio.ValueError back as asyncio.ValueError)", async () => {
    const error = await run(Effect.flip(cluster.remote(Validate, -3)))
    assert.instanceOf(error, asyncio.ValueError)
    assert.strictEqual(error.message, "negative: -3")
  })

  it("a payload that does not match its Schema is a PayloadError, and the handler never runs", async () => {
    // a string where the Schema says number: what untyped input (JSON from outside) can carry
    const error = await run(Effect.flip(cluster.remote(Sqrt, "nine" as unknown as number)))
    assert.strictEqual(error._tag, "PayloadError")
    assert.include(error.message, "test/sqrt")
  })

  it("a defect of the handler comes back as a defect", async () => {
    const exit = await run(Effect.exit(cluster.remote(Boom, undefined)))
    assert.isTrue(Exit.isFailure(exit) && Cause.hasDies(exit.cause))
  })

  it("a name the runner does not serve is a TaskNotRegistered", async () => {
    const error = await run(Effect.flip(cluster.remote(Unserved, undefined)))
    assert.strictEqual(error._tag, "TaskNotRegistered")
    assert.strictEqual(error._tag === "TaskNotRegistered" && error.task, "test/unserved")
  })

  it("task.cancel() interrupts the run on the runner (its finalizer runs there)", async () => {
    const cancelled = await run(
      Effect.gen(function* () {
        const task = yield* asyncio.createTask(cluster.remote(Park, "cancel-1"))
        yield* untilStarted("cancel-1")
        yield* task.cancel()
        const exit = yield* Effect.exit(task)
        yield* untilFinalized("cancel-1")
        return Exit.isFailure(exit) && task.cancelled()
      })
    )
    assert.isTrue(cancelled)
  })

  it("TaskGroup: a failing child cancels its remote siblings; the ExceptionGroup holds the typed error", async () => {
    const error = await run(
      Effect.flip(
        asyncio.TaskGroup.run((tg) =>
          Effect.gen(function* () {
            yield* tg.createTask(cluster.remote(Park, "group-1"))
            yield* tg.createTask(cluster.remote(Park, "group-2"))
            yield* untilStarted("group-1")
            yield* untilStarted("group-2")
            yield* tg.createTask(cluster.remote(Sqrt, -1))
          })
        )
      ).pipe(Effect.tap(() => Effect.all([untilFinalized("group-1"), untilFinalized("group-2")])))
    )
    assert.strictEqual(error._tag, "ExceptionGroup")
    if (error._tag !== "ExceptionGroup") return
    assert.strictEqual(error.exceptions.length, 1)
    assert.instanceOf(error.exceptions[0], Negative)
  })

  it("waitFor: the deadline cancels the remote run and raises TimeoutError", async () => {
    const error = await run(Effect.flip(asyncio.waitFor(cluster.remote(Park, "deadline-1"), 0.2)))
    assert.strictEqual(error._tag, "TimeoutError")
    await Effect.runPromise(untilFinalized("deadline-1"))
  })

  it("shield: cancelling the outer task leaves the remote run going", async () => {
    const stillRunning = await run(
      Effect.gen(function* () {
        const inner = yield* asyncio.createTask(cluster.remote(Park, "shield-1"))
        const outer = yield* asyncio.createTask(asyncio.shield(inner))
        yield* untilStarted("shield-1")
        yield* outer.cancel()
        yield* Effect.exit(outer)
        yield* asyncio.sleep(0.1)
        const running = !seen.finalized.has("shield-1") && !inner.done()
        yield* inner.cancel()
        yield* Effect.exit(inner)
        return running
      })
    )
    assert.isTrue(stillRunning)
  })

  it("wait and asCompleted take remote tasks", async () => {
    const [firstDone, order] = await run(
      Effect.gen(function* () {
        const slow = yield* asyncio.createTask(cluster.remote(Park, "wait-1"))
        const fast = yield* asyncio.createTask(cluster.remote(Sqrt, 25))
        const { done, pending } = yield* asyncio.wait([slow, fast], { returnWhen: asyncio.FIRST_COMPLETED })
        for (const task of pending) yield* task.cancel()
        const results: Array<number> = []
        for (const next of yield* asyncio.asCompleted([cluster.remote(Sqrt, 4), cluster.remote(Sqrt, 9)])) {
          results.push(yield* next)
        }
        return [[...done].includes(fast), results.sort()] as const
      })
    )
    assert.isTrue(firstDone)
    assert.deepStrictEqual(order, [2, 3])
  })

  it("durable: one execution per key, the handler runs once; a fresh key runs again", async () => {
    const [a, b, c] = await run(
      Effect.all([
        cluster.remote(Counted, "d-1", { key: "k-1" }),
        cluster.remote(Counted, "d-1", { key: "k-1" }),
        cluster.remote(Counted, "d-1", { key: "k-2" })
      ])
    )
    assert.deepStrictEqual([a, b, c], [1, 1, 2])
    assert.strictEqual(seen.runs.get("d-1"), 2)
  })

  it("durable: cancelling the caller does not interrupt a running activity; the same key gets its result", async () => {
    // Effect's workflow engine runs an activity uninterruptibly: the interrupt is recorded for the
    // execution, and the activity's result is stored when it ends
    const [cancelled, again] = await run(
      Effect.gen(function* () {
        const task = yield* asyncio.createTask(cluster.remote(DurableSlow, "dc-1", { key: "dc-1" }))
        yield* untilStarted("dc-1")
        yield* task.cancel()
        yield* Effect.exit(task)
        const cancelled = task.cancelled() && !seen.finalized.has("dc-1")
        return [cancelled, yield* cluster.remote(DurableSlow, "dc-1", { key: "dc-1" })] as const
      })
    )
    assert.isTrue(cancelled)
    assert.strictEqual(again, "dc-1 done")
  })

  it("bad arguments die with the core's classes", async () => {
    const notADefinition = await run(Effect.exit(cluster.remote({ name: "x" } as never, undefined)))
    assert.isTrue(Exit.isFailure(notADefinition) && Cause.hasDies(notADefinition.cause))
    const keyOnVolatile = await run(Effect.exit(cluster.remote(Sqrt, 1, { key: "k" })))
    assert.isTrue(Exit.isFailure(keyOnVolatile) && Cause.hasDies(keyOnVolatile.cause))
    assert.throws(
      () => cluster.defineTask({ name: "test/sqrt", handler: () => Effect.void }),
      /already defined/
    )
    assert.throws(() => cluster.defineTask({ name: "", handler: () => Effect.void }), /must not be empty/)
  })
})
