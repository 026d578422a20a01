import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const work = () =>
      Effect.gen(function* () {
        yield* asyncio.sleep(0.5)
        return yield* new asyncio.ValueError({ message: "inner" })
      })

    yield* asyncio
      .waitFor(work(), 1)
      .pipe(Effect.catchTag("ValueError", (e) => Effect.sync(() => log("ValueError", e))))
    yield* asyncio.sleep(1)
    log("no late timeout")
  })
