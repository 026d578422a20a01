import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const loop = yield* asyncio.getRunningLoop
    const fut = loop.createFuture<string>()

    const waiter = (name: string) =>
      Effect.gen(function* () {
        yield* fut
        log(name, "woke")
      })

    fut.addDoneCallback((f) => log("cb1", Effect.runSync(f.result())))
    const a = yield* asyncio.createTask(waiter("a"))
    yield* asyncio.sleep(0)
    fut.addDoneCallback((_f) => log("cb2"))
    const b = yield* asyncio.createTask(waiter("b"))
    yield* asyncio.sleep(0)
    yield* fut.setResult("r")
    log("set")
    yield* asyncio.gather(a, b)
    fut.addDoneCallback((_f) => log("cb3 on a done future"))
    log("added cb3")
    yield* asyncio.sleep(0)
  })
