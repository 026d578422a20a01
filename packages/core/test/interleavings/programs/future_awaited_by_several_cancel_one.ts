import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const loop = yield* asyncio.getRunningLoop
    const fut = loop.createFuture<unknown>()

    const waiter = (name: string) =>
      Effect.gen(function* () {
        log(name, "awaits")
        yield* fut
        log(name, "never")
      })

    const ts = new Map<string, asyncio.Task<void, asyncio.CancelledError>>()
    for (const n of ["a", "b", "c"]) ts.set(n, yield* asyncio.createTask(waiter(n)))
    for (const [n, t] of ts) {
      t.addDoneCallback((t) => log(n, "done callback, cancelled", t.cancelled()))
    }
    yield* asyncio.sleep(0)
    yield* (ts.get("b") as asyncio.Task<void, asyncio.CancelledError>).cancel("only b")
    log("future cancelled", fut.cancelled())
    for (const [n, t] of ts) {
      yield* t.pipe(
        Effect.catchTag("CancelledError", (e) =>
          Effect.sync(() => log(n, "CancelledError", `[${e.message}]`, t.cancelled()))
        )
      )
    }
  })
