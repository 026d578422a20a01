import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const child = (name: string) =>
      Effect.gen(function* () {
        log(name, "start")
        yield* asyncio.sleep(0)
        log(name, "end")
      })

    const a = yield* asyncio.createTask(child("a"))
    log("created a", a.done())
    const b = yield* asyncio.createTask(child("b"))
    log("created b")
    yield* asyncio.sleep(0)
    log("main resumed")
    yield* asyncio.sleep(0)
    log("main again", a.done(), b.done())
    yield* a
    yield* b
  })
