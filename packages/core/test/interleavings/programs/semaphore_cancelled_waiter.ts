import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const sem = new asyncio.Semaphore(0)

    const waiter = (name: string) =>
      sem.use(
        Effect.sync(() => {
          log(name, "in")
        })
      )

    const a = yield* asyncio.createTask(waiter("a"))
    const b = yield* asyncio.createTask(waiter("b"))
    yield* asyncio.sleep(0)
    yield* sem.release()
    yield* a.cancel()
    yield* a.pipe(Effect.catchTag("CancelledError", () => Effect.sync(() => log("a cancelled"))))
    yield* b
    log("locked", sem.locked())
  })
