import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const child = () =>
      Effect.gen(function* () {
        yield* asyncio.sleep(0)
        return yield* new asyncio.ValueError({ message: "boom" })
      })

    const t = yield* asyncio.createTask(child())
    yield* t
      .result()
      .pipe(Effect.catchTag("InvalidStateError", (e) => Effect.sync(() => log("result:", e._tag, e))))
    yield* t
      .exception()
      .pipe(Effect.catchTag("InvalidStateError", (e) => Effect.sync(() => log("exception:", e._tag, e))))
    yield* asyncio.sleep(0)
    yield* asyncio.sleep(0)
    log("done", t.done(), "cancelled", t.cancelled())
    const exc = yield* t.exception()
    log("exception()", exc?._tag, exc)
    yield* t.result().pipe(Effect.catchTag("ValueError", (e) => Effect.sync(() => log("result() raised", e))))
  })
