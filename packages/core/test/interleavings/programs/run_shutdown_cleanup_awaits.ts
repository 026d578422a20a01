import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const loop = yield* asyncio.getRunningLoop

    const child = () =>
      asyncio.sleep(10).pipe(
        Effect.ensuring(
          Effect.gen(function* () {
            log("cleanup starts at", Math.round(loop.time() * 1000))
            yield* asyncio.sleep(2)
            log("cleanup ends at", Math.round(loop.time() * 1000))
          })
        )
      )

    yield* asyncio.createTask(child())
    yield* asyncio.sleep(1)
    log("main returns at", Math.round(loop.time() * 1000))
  })
