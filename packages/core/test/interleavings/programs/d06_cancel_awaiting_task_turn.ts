import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const inner = yield* asyncio.createTask(asyncio.sleep(5))

    const aBody = () =>
      Effect.gen(function* () {
        yield* inner
      })

    const bBody = () =>
      Effect.gen(function* () {
        yield* inner.pipe(
          Effect.catchTag("CancelledError", () => Effect.sync(() => log("b: inner was cancelled")))
        )
      })

    const a = yield* asyncio.createTask(aBody())
    const b = yield* asyncio.createTask(bBody())
    a.addDoneCallback(() => log("a done"))
    b.addDoneCallback(() => log("b done"))
    yield* asyncio.sleep(0)
    yield* a.cancel()
    for (let i = 0; i < 4; i++) {
      yield* asyncio.sleep(0)
      log("main turn", i)
    }
  })
