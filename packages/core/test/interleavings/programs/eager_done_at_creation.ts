import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const options = { eagerTaskFactory: true }

export const main = (log: Log) =>
  Effect.gen(function* () {
    const child = () =>
      Effect.sync(() => {
        log("child runs")
        return 5
      })

    const t = yield* asyncio.createTask(child())
    log("done", t.done(), "result", yield* t.result())
    t.addDoneCallback(() => log("callback"))
    log("callback added")
    yield* asyncio.sleep(0)
    log("after one turn")
  })
