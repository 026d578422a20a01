import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const cond = new asyncio.Condition()

    const waiter = (name: string) =>
      cond.use(
        Effect.gen(function* () {
          yield* cond.wait()
          log(name, "notified")
        }).pipe(Effect.ensuring(Effect.sync(() => log(name, "holds the lock", cond.locked()))))
      )

    const a = yield* asyncio.createTask(waiter("a"))
    const b = yield* asyncio.createTask(waiter("b"))
    yield* asyncio.sleep(0)
    yield* cond.use(
      Effect.gen(function* () {
        yield* cond.notify(1)
        yield* a.cancel()
      })
    )
    yield* a.pipe(Effect.catchTag("CancelledError", () => Effect.sync(() => log("a cancelled"))))
    yield* asyncio.waitFor(b, 1)
  })
