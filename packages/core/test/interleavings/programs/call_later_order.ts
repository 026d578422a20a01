import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const loop = yield* asyncio.getRunningLoop

    const fire = (name: string) => {
      log(name, "at", Math.round(loop.time() * 1000))
    }

    const h1 = loop.callLater(1, fire, "later 1")
    const h2 = loop.callLater(0.5, fire, "later 0.5")
    const h3 = loop.callAt(loop.time() + 2, fire, "at 2")
    const h4 = loop.callLater(1.5, fire, "cancelled")
    h4.cancel()
    log("when", Math.round(h1.when() * 1000), Math.round(h2.when() * 1000), Math.round(h3.when() * 1000))
    yield* asyncio.sleep(3)
  })
