import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const options = { eagerTaskFactory: true }

export const main = (log: Log) =>
  Effect.gen(function* () {
    const leaf = () =>
      Effect.gen(function* () {
        log("leaf starts")
        yield* asyncio.sleep(0)
        log("leaf ends")
      })

    const parent = () =>
      Effect.gen(function* () {
        log("parent starts")
        const t = yield* asyncio.createTask(leaf())
        log("parent created leaf")
        yield* t
        log("parent ends")
      })

    const p = yield* asyncio.createTask(parent())
    log("main created parent")
    yield* p
  })
