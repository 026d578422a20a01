import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const child = () =>
      Effect.gen(function* () {
        yield* asyncio.sleep(0)
        yield* asyncio.sleep(0)
      })

    const waiter = (name: string, t: asyncio.Task<void, never>) =>
      Effect.gen(function* () {
        yield* t
        log(name, "woke")
      })

    const t = yield* asyncio.createTask(child())
    const w1 = yield* asyncio.createTask(waiter("w1", t))
    yield* asyncio.sleep(0)
    t.addDoneCallback(() => log("cb"))
    const w2 = yield* asyncio.createTask(waiter("w2", t))
    yield* asyncio.sleep(0)
    t.addDoneCallback(() => log("cb late"))
    yield* asyncio.gather(w1, w2)
    log("gathered")
  })
