import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const t = yield* asyncio.createTask(asyncio.sleep(1))
    t.addDoneCallback((f) => log("t done callback, cancelled", f.cancelled()))
    yield* asyncio
      .waitFor(t, 0)
      .pipe(Effect.catchTag("TimeoutError", () => Effect.sync(() => log("TimeoutError"))))
    log("t cancelled", t.cancelled())
  })
