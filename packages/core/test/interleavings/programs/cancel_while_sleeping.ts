import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const child = () =>
      Effect.gen(function* () {
        log("child sleeping")
        yield* asyncio.sleep(10)
      }).pipe(Effect.ensuring(Effect.sync(() => log("child cleanup"))))

    const t = yield* asyncio.createTask(child())
    yield* asyncio.sleep(0)
    log("cancel", yield* t.cancel())
    log("after cancel", t.done())
    yield* asyncio.sleep(0)
    log("after one turn", t.done(), t.cancelled())
  })
