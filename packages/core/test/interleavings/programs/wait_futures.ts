import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const loop = yield* asyncio.getRunningLoop
    const [f1, f2] = [loop.createFuture<number>(), loop.createFuture<number>()]
    loop.callLater(1, (result: number) => f1.setResultUnsafe(result), 1)
    loop.callLater(2, (result: number) => f2.setResultUnsafe(result), 2)
    const { done, pending } = yield* asyncio.wait([f1, f2], { returnWhen: asyncio.FIRST_COMPLETED })
    const results: Array<number> = []
    for (const f of done) results.push(yield* f.result())
    log("done", results, "pending", pending.size, "at", Math.round(loop.time() * 1000))
    yield* f2
  })
