import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const lock = new asyncio.Lock()

    const waiter = (name: string) =>
      lock.use(
        Effect.sync(() => {
          log(name, "acquired")
        })
      )

    yield* lock.acquire()
    const a = yield* asyncio.createTask(waiter("a"))
    const b = yield* asyncio.createTask(waiter("b"))
    yield* asyncio.sleep(0)
    yield* lock.release()
    yield* a.cancel()
    yield* a.pipe(Effect.catchTag("CancelledError", () => Effect.sync(() => log("a cancelled"))))
    yield* b
    log("locked", lock.locked())
  })
