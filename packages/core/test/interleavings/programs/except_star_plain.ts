import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const fail = () =>
      Effect.gen(function* () {
        yield* asyncio.sleep(0)
        return yield* new asyncio.ValueError({ message: "plain" })
      })

    yield* fail().pipe(
      asyncio.exceptStar("ValueError", (eg) =>
        Effect.sync(() => log("group of", eg.exceptions.length, eg.exceptions[0]?.message))
      )
    )
  })
