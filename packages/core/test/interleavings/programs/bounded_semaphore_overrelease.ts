import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const sem = new asyncio.BoundedSemaphore(1)
    yield* sem.use(
      Effect.sync(() => {
        log("inside, locked", sem.locked())
      })
    )
    // the over-release is a bug, so a defect: Python's `except ValueError`
    yield* sem
      .release()
      .pipe(
        Effect.catchDefect((e) =>
          e instanceof asyncio.ValueError ? Effect.sync(() => log("ValueError:", e)) : Effect.die(e)
        )
      )
  })
