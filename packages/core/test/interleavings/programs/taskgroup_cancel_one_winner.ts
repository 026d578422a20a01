import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const event = new asyncio.Event()

    const race = (...fns: ReadonlyArray<() => Effect.Effect<number, never, asyncio.EventLoop>>) =>
      Effect.gen(function* () {
        let outcome: number | undefined
        const run = (tg: asyncio.TaskGroup, fn: () => Effect.Effect<number, never, asyncio.EventLoop>) =>
          Effect.gen(function* () {
            outcome = yield* fn()
            yield* tg.cancel()
          })
        yield* asyncio.TaskGroup.run((tg) => Effect.forEach(fns, (fn) => tg.createTask(run(tg, fn))))
        return outcome
      })

    const racer = (n: number) => () =>
      Effect.gen(function* () {
        log(n, "started")
        yield* event.wait().pipe(Effect.onInterrupt(() => Effect.sync(() => log(n, "cancelled"))))
        log(n, "finished")
        return n
      })

    const triggerEvent = Effect.gen(function* () {
      log("trigger event")
      yield* event.set()
    })

    let task: asyncio.Task<number | undefined, unknown> | undefined
    yield* asyncio.TaskGroup.run((tg) =>
      Effect.gen(function* () {
        task = yield* tg.createTask(race(racer(1), racer(2)))
        yield* tg.createTask(triggerEvent)
      })
    )
    const me = yield* asyncio.currentTask
    log("result", yield* Effect.fromNullishOr(task).pipe(Effect.flatMap((t) => t.result())), me?.cancelling())
  })
