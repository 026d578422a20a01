import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const loop = yield* asyncio.getRunningLoop
    const job = Effect.andThen(
      asyncio.sleep(1),
      Effect.fail(new asyncio.ValueError({ message: "job failed" }))
    )

    const fut = loop.submit(job)
    while (!fut.done()) {
      yield* asyncio.sleep(0.5)
      log("at", Math.round(loop.time() * 1000), fut.done())
    }
    // the Promise rejects with the task's error: a rejection is Effect's UnknownError, its cause the error
    const error = yield* Effect.flip(asyncio.fromPromise(() => fut.promise))
    const cause = error._tag === "UnknownError" ? (error.cause as asyncio.ValueError) : undefined
    log("exception", `${cause?._tag}('${cause?.message}')`, "cancel", fut.cancel(), fut.cancelled())
  })
