import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const loop = yield* asyncio.getRunningLoop
    const handles = new Map<string, asyncio.Handle>()

    const first = () => {
      log("first cancels second")
      handles.get("second")?.cancel()
    }

    const second = () => {
      log("second runs")
    }

    loop.callSoon(first)
    handles.set("second", loop.callSoon(second))
    handles.set("third", loop.callSoon(log, "third runs"))
    yield* asyncio.sleep(0)
    log(
      "second cancelled",
      handles.get("second")?.cancelled(),
      "third cancelled",
      handles.get("third")?.cancelled()
    )
    handles.get("third")?.cancel()
    log("third cancelled after it ran", handles.get("third")?.cancelled())
  })
