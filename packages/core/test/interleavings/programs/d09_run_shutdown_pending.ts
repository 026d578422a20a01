import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const child = () =>
      Effect.gen(function* () {
        log("step 1")
        yield* asyncio.sleep(0)
        log("step 2")
      })

    yield* asyncio.createTask(child())
  })
