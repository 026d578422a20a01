import { assert, describe, it } from "@effect/vitest"
import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import { runOk } from "./utils/virtual.js"

describe("smoke", () => {
  it.effect("create and await", () =>
    Effect.gen(function* () {
      const log: string[] = []
      const main = Effect.gen(function* () {
        const t1 = yield* asyncio.createTask(asyncio.sleep(1, "a"))
        const t2 = yield* asyncio.createTask(asyncio.sleep(2, "b"))
        log.push(`${t1.getName()} ${t2.getName()} ${t1.done()}`)
        const cur = yield* asyncio.currentTask
        log.push(`cur ${cur?.getName()}`)
        const a = yield* t1
        const b = yield* t2
        const loop = yield* asyncio.EventLoop
        log.push(`${a} ${b} ${loop.time()}`)
        const t3 = yield* asyncio.createTask(asyncio.sleep(10))
        yield* asyncio.sleep(0)
        yield* t3.cancel("bye")
        const e = yield* Effect.flip(t3)
        log.push(`${e._tag} ${e.message} ${t3.cancelled()}`)
        const t4 = yield* asyncio.createTask(Effect.sync(() => log.push("never")))
        yield* t4.cancel()
        log.push(`t4 ${t4.cancelled()}`)
        const t5 = yield* asyncio.createTask(
          Effect.sync(() => log.push("eager")),
          { eagerStart: true }
        )
        log.push(`t5 ${t5.done()}`)
        return "ok"
      })
      const { value, elapsed } = yield* runOk(main)
      assert.strictEqual(value, "ok")
      assert.strictEqual(elapsed, 2)
      assert.deepStrictEqual(log, [
        "Task-2 Task-3 false",
        "cur Task-1",
        "a b 2",
        "CancelledError bye true",
        "t4 false", // as asyncio: cancel() does not complete the task on the spot
        "eager",
        "t5 true"
      ])
    })
  )
})
