import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const options: asyncio.EventLoopOptions = { eagerTaskFactory: true }

export const main = (log: Log) =>
  Effect.gen(function* () {
    const loop = yield* asyncio.getRunningLoop
    const doneFut = loop.createFuture<string>()
    yield* doneFut.setResult("ready")
    const pendingFut = loop.createFuture<string>()

    const waiter = (name: string, fut: asyncio.Future<string>) =>
      Effect.gen(function* () {
        log(name, "starts")
        const r = yield* fut
        log(name, "got", r)
        return r
      })

    const a = yield* asyncio.createTask(waiter("a", doneFut))
    log("a done after create_task", a.done())
    const b = yield* asyncio.createTask(waiter("b", pendingFut))
    log("b done after create_task", b.done())
    yield* pendingFut.setResult("later")
    log("set pending_fut")
    log("results", yield* a, yield* b)
  })
