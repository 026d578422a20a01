import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const cond = new asyncio.Condition()
    yield* cond
      .notify()
      .pipe(Effect.catchTag("RuntimeError", (e) => Effect.sync(() => log("RuntimeError:", e))))
    yield* cond
      .wait()
      .pipe(Effect.catchTag("RuntimeError", (e) => Effect.sync(() => log("RuntimeError:", e))))
  })
