import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const lock = new asyncio.Lock()

    const waiter = (name: string) =>
      Effect.gen(function* () {
        yield* lock.acquire()
        log(name, "acquired")
        yield* lock.release()
      })

    yield* lock.acquire()
    const w = yield* asyncio.createTask(waiter("woken"))
    yield* asyncio.sleep(0)
    yield* lock.release()
    log("released, locked", lock.locked())
    const n = yield* asyncio.createTask(waiter("newcomer"))
    yield* asyncio.gather(w, n)
  })
