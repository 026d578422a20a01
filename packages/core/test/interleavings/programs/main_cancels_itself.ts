import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const me = (yield* asyncio.currentTask) as asyncio.Task<unknown, unknown>
    yield* me.cancel("bye")
    log("cancelled myself")
    yield* asyncio.sleep(1).pipe(Effect.ensuring(Effect.sync(() => log("main cleanup"))))
  })
