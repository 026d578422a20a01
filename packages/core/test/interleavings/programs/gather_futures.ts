import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

/** Python's `type(x).__name__ if isinstance(x, BaseException) else x` */
const nameOf = (x: unknown) =>
  typeof x === "object" && x !== null && "_tag" in x ? (x as { readonly _tag: string })._tag : x

export const main = (log: Log) =>
  Effect.gen(function* () {
    const loop = yield* asyncio.getRunningLoop
    const [f1, f2, f3] = [
      loop.createFuture<string>(),
      loop.createFuture<string>(),
      loop.createFuture<string>()
    ]
    loop.callSoon((result: string) => f2.setResultUnsafe(result), "two")
    loop.callLater(1, (result: string) => f1.setResultUnsafe(result), "one")
    loop.callLater(0.5, () => f3.cancelUnsafe())
    const r = yield* asyncio.gather(f1, f2, f3, { returnExceptions: true })
    log("results", r.map(nameOf))
    log("at", Math.round(loop.time() * 1000))
  })
