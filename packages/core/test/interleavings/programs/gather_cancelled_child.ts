import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

/** Python's `type(x).__name__ if isinstance(x, BaseException) else x` */
const nameOf = (x: unknown) =>
  typeof x === "object" && x !== null && "_tag" in x ? (x as { readonly _tag: string })._tag : x

export const main = (log: Log) =>
  Effect.gen(function* () {
    const canceller = (t: asyncio.Task<void, never>) =>
      Effect.gen(function* () {
        yield* asyncio.sleep(0.5)
        yield* t.cancel()
      })

    const t1 = yield* asyncio.createTask(asyncio.sleep(10))
    yield* asyncio.createTask(canceller(t1))
    yield* asyncio
      .gather(t1, asyncio.sleep(1))
      .pipe(
        Effect.catchTag("CancelledError", () =>
          Effect.sync(() => log("gather raised CancelledError", t1.cancelled()))
        )
      )
    const t2 = yield* asyncio.createTask(asyncio.sleep(10))
    yield* asyncio.createTask(canceller(t2))
    const r = yield* asyncio.gather(t2, asyncio.sleep(1, "slept"), { returnExceptions: true })
    log("with return_exceptions", r.map(nameOf))
  })
