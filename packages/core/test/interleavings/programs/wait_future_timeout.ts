import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const loop = yield* asyncio.getRunningLoop
    const [f1, f2] = [loop.createFuture<string>(), loop.createFuture<string>()]
    loop.callLater(0.5, (result: string) => f1.setResultUnsafe(result), "a")
    loop.callLater(2, (result: string) => f2.setResultUnsafe(result), "b")
    let { done, pending } = yield* asyncio.wait([f1, f2], { timeout: 1 })
    log(
      "done",
      done.size,
      done.has(f1),
      "pending",
      pending.size,
      pending.has(f2),
      "at",
      Math.round(loop.time() * 1000)
    )
    log("f2 cancelled", f2.cancelled())
    ;({ done, pending } = yield* asyncio.wait([f1, f2], { returnWhen: asyncio.FIRST_EXCEPTION }))
    log("done", done.size, "pending", pending.size, "at", Math.round(loop.time() * 1000))
  })
