import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const loop = yield* asyncio.getRunningLoop
    const fut = loop.createFuture<never, asyncio.ValueError>()

    const waiter = (name: string) =>
      fut.pipe(Effect.catchTag("ValueError", (e) => Effect.sync(() => log(name, "raised", e))))

    const failer = () =>
      Effect.gen(function* () {
        yield* asyncio.sleep(1)
        yield* fut.setException(new asyncio.ValueError({ message: "broken" }))
        log("failer set, done", fut.done())
      })

    const ws = []
    for (const n of ["a", "b"]) ws.push(yield* asyncio.createTask(waiter(n)))
    const f = yield* asyncio.createTask(failer())
    yield* asyncio.gather(...ws, f)
    log("exception()", yield* fut.exception(), "at", Math.round(loop.time() * 1000))
  })
