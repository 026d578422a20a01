import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const ev = new asyncio.Event()

    const waiter = (name: string) =>
      Effect.gen(function* () {
        yield* ev.wait()
        log(name, "woke, is_set", ev.isSet())
      })

    const tasks = []
    for (const n of ["a", "b"]) tasks.push(yield* asyncio.createTask(waiter(n)))
    yield* asyncio.sleep(0)
    yield* ev.set()
    yield* ev.clear()
    yield* asyncio.gather(...tasks)
    const late = yield* asyncio.createTask(waiter("late"))
    yield* asyncio.sleep(0)
    log("late done", late.done())
    yield* ev.set()
    yield* late
  })
