import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const child = (name: string) =>
      Effect.gen(function* () {
        log(name, "starts in", (yield* asyncio.currentTask)?.getName())
        yield* asyncio.sleep(0)
        log(name, "resumes")
      })

    const lazy = yield* asyncio.createTask(child("lazy"))
    const eager = yield* asyncio.createTask(child("eager"), { eagerStart: true })
    log("created", lazy.getName(), eager.getName())
    yield* asyncio.gather(lazy, eager)
  })
