import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const cbA = () => {
      log("cb_a")
    }

    const cbB = () => {
      log("cb_b")
    }

    const t = yield* asyncio.createTask(asyncio.sleep(0))
    t.addDoneCallback(cbA)
    t.addDoneCallback(cbB)
    t.addDoneCallback(cbA)
    log("removed", t.removeDoneCallback(cbA))
    log("removed again", t.removeDoneCallback(cbA))
    yield* t
    log("awaited")
    yield* asyncio.sleep(0)
    log("end")
  })
