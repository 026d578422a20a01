import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const ev = new asyncio.Event()

    const waiter = (name: string) =>
      Effect.gen(function* () {
        log(name, "waits")
        yield* ev.wait()
        log(name, "woke")
      })

    const tasks = []
    for (const n of ["a", "b", "c"]) tasks.push(yield* asyncio.createTask(waiter(n)))
    yield* asyncio.sleep(0)
    log("set")
    yield* ev.set()
    log("is_set", ev.isSet())
    yield* asyncio.gather(...tasks)
  })
