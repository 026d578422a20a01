import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const child = () =>
      Effect.gen(function* () {
        yield* asyncio.sleep(1)
        return "c"
      })

    const cb1 = (t: asyncio.Task<string>) => {
      log("cb1", Effect.runSync(t.result()))
    }

    const cb2 = (_t: asyncio.Task<string>) => {
      log("cb2")
    }

    const t = yield* asyncio.createTask(child())
    t.addDoneCallback(cb1)
    t.addDoneCallback(cb2)
    t.addDoneCallback(cb1)

    const awaiter = () =>
      Effect.gen(function* () {
        log("awaiter got", yield* t)
      })

    const a = yield* asyncio.createTask(awaiter())
    yield* asyncio.sleep(0)
    log("removed cb1", t.removeDoneCallback(cb1), "removed again", t.removeDoneCallback(cb1))
    t.addDoneCallback(cb1)
    yield* a
    yield* asyncio.sleep(0)
    log("end")
  })
