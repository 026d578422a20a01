import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const loop = yield* asyncio.getRunningLoop

    const child = () =>
      Effect.gen(function* () {
        yield* asyncio.sleep(4)
        log("child woke")
      })

    yield* asyncio
      .timeout(
        4,
        asyncio.TaskGroup.run((tg) => tg.createTask(child()))
      )
      .pipe(
        Effect.catchTag("TimeoutError", () =>
          Effect.sync(() => log("TimeoutError at", Math.round(loop.time() * 1000)))
        )
      )
  })
