import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const child = () =>
      Effect.gen(function* () {
        yield* asyncio.sleep(0)
        log("child returns")
      })

    yield* asyncio.TaskGroup.run((tg) =>
      Effect.gen(function* () {
        const t = yield* tg.createTask(child())
        t.addDoneCallback(() => log("cb"))
      })
    )
    log("after")
  })
