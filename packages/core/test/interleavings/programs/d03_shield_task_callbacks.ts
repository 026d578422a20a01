import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const child = () =>
      Effect.gen(function* () {
        yield* asyncio.sleep(0)
        log("child returns")
        return "v"
      })

    const t = yield* asyncio.createTask(child())
    t.addDoneCallback(() => log("t callback"))
    const r = yield* asyncio.shield(t)
    log("shield returned", r)
  })
