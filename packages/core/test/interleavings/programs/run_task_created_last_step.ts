import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const child = () =>
      Effect.gen(function* () {
        log("child first step")
        yield* Effect.gen(function* () {
          yield* asyncio.sleep(1)
          log("never")
        }).pipe(Effect.ensuring(Effect.sync(() => log("child cleanup"))))
      })

    yield* asyncio.sleep(0)
    yield* asyncio.createTask(child())
    log("main returns")
  })
