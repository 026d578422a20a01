/**
 * `console.log(x)` prints asyncio's repr of every handle a user holds, as `String(x)` does:
 * Node's `util.inspect` calls `Symbol.for("nodejs.util.inspect.custom")` (Effect's
 * `NodeInspectSymbol`). Without it a task, being an Effect, printed `{ _id: 'Effect', op: 'Effectable' }`.
 */
import { inspect } from "node:util"
import { assert, describe, it } from "@effect/vitest"
import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import { runOk } from "./utils/virtual.js"

/** what `console.log(value)` writes, against `String(value)` */
const shown = (value: unknown) => [inspect(value), String(value)]

describe("inspect: console.log shows asyncio's repr", () => {
  it.effect("Task, Future, Handle, TimerHandle", () =>
    runOk(
      Effect.gen(function* () {
        const loop = yield* asyncio.getRunningLoop
        const task = yield* asyncio.createTask(asyncio.sleep(1), { name: "worker" })
        assert.deepStrictEqual(shown(task), ["<Task pending name='worker'>", "<Task pending name='worker'>"])
        assert.strictEqual(inspect({ task }), "{ task: <Task pending name='worker'> }")
        const future = loop.createFuture<number>()
        assert.deepStrictEqual(shown(future), ["<Future pending>", "<Future pending>"])
        const handle = loop.callSoon(function f() {})
        assert.deepStrictEqual(shown(handle), ["<Handle f()>", "<Handle f()>"])
        const timer = loop.callAt(3, function g() {})
        assert.deepStrictEqual(shown(timer), ["<TimerHandle when=3 g()>", "<TimerHandle when=3 g()>"])
        timer.cancel()
        task.cancelUnsafe()
      })
    )
  )

  it.effect("TaskGroup, Timeout and the primitives", () =>
    runOk(
      Effect.gen(function* () {
        const values = [
          new asyncio.Lock(),
          new asyncio.Event(),
          new asyncio.Condition(),
          new asyncio.Semaphore(2),
          new asyncio.BoundedSemaphore(1),
          new asyncio.Queue<number>(),
          new asyncio.Barrier(2),
          new asyncio.Timeout(null)
        ]
        for (const value of values) assert.strictEqual(inspect(value), String(value))
        assert.strictEqual(inspect(values[0]), "<Lock [unlocked]>")
        yield* asyncio.TaskGroup.run((tg) =>
          Effect.sync(() => assert.strictEqual(inspect(tg), "<TaskGroup entered>"))
        )
      })
    )
  )
})
