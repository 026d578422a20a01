import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const options = { eagerTaskFactory: true }

export const main = (log: Log) =>
  Effect.gen(function* () {
    const child = (name: string) =>
      Effect.gen(function* () {
        log(name, "starts")
        yield* asyncio.sleep(0)
        log(name, "resumes")
      })

    log("before create")
    const a = yield* asyncio.createTask(child("a"))
    log("after create a, done", a.done())
    const b = yield* asyncio.createTask(child("b"))
    log("after create b")
    yield* asyncio.gather(a, b)
  })
