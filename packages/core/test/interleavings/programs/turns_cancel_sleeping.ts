import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const ticker = (n: number) =>
      Effect.gen(function* () {
        for (let i = 0; i < n; i++) {
          log("tick", i)
          yield* asyncio.sleep(0)
        }
      })

    const child = () => asyncio.sleep(10).pipe(Effect.ensuring(Effect.sync(() => log("child cleanup"))))

    const t = yield* asyncio.createTask(child())
    yield* asyncio.sleep(0)
    const tk = yield* asyncio.createTask(ticker(6))
    yield* t.cancel()
    t.addDoneCallback(() => log("done callback"))
    log("cancel requested")
    yield* t.pipe(Effect.catchTag("CancelledError", () => Effect.sync(() => log("main saw CancelledError"))))
    yield* tk
  })
