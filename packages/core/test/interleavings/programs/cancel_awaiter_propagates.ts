import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const inner = () => asyncio.sleep(10).pipe(Effect.ensuring(Effect.sync(() => log("inner cleanup"))))

    const outer = (t: asyncio.Task<void, never>) =>
      Effect.gen(function* () {
        yield* t
      }).pipe(Effect.ensuring(Effect.sync(() => log("outer cleanup"))))

    const t = yield* asyncio.createTask(inner())
    const o = yield* asyncio.createTask(outer(t))
    yield* asyncio.sleep(0)
    yield* o.cancel("m")
    log("after cancel")
    for (const [name, x] of [
      ["outer", o],
      ["inner", t]
    ] as const) {
      yield* x.pipe(
        Effect.catchTag("CancelledError", (e) =>
          Effect.sync(() => log(name, "cancelled", `[${e.message}]`, x.cancelled()))
        )
      )
    }
  })
