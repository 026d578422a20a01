import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const loop = yield* asyncio.getRunningLoop
    const fut = loop.createFuture<string>()
    log("same object", (yield* asyncio.ensureFuture(fut)) === fut, asyncio.isFuture(fut))
    loop.callSoon((result: string) => fut.setResultUnsafe(result), "x")
    log("got", yield* fut)
  })
