import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const loop = yield* asyncio.getRunningLoop

    const child = () =>
      asyncio
        .sleep(10)
        .pipe(Effect.ensuring(Effect.sync(() => log("child cleanup at", Math.round(loop.time() * 1000)))))

    yield* asyncio.createTask(child())
    yield* asyncio.sleep(1)
    log("main returns")
    return "done"
  })
