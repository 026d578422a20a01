import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    // `finally: raise ValueError` around a cancelled await: the cleanup of a cancelled effect
    const failing = asyncio.sleep(10).pipe(
      Effect.onInterrupt(() =>
        Effect.andThen(
          Effect.sync(() => log("failing cleans up")),
          Effect.die(new asyncio.ValueError({ message: "in cleanup" }))
        )
      )
    )

    yield* asyncio.TaskGroup.run((tg) =>
      Effect.gen(function* () {
        yield* tg.createTask(failing)
        yield* asyncio.sleep(1)
        yield* tg.cancel()
        log("cancelled")
      })
    )
  })
