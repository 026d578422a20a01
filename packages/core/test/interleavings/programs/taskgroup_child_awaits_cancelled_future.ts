import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const loop = yield* asyncio.getRunningLoop
    const fut = loop.createFuture<unknown>()

    const child = () => fut.pipe(Effect.ensuring(Effect.sync(() => log("child finally"))))

    const other = () =>
      Effect.gen(function* () {
        yield* asyncio.sleep(1)
        log("other done")
        return "o"
      })

    const [c, o] = yield* asyncio.TaskGroup.run((tg) =>
      Effect.gen(function* () {
        const c = yield* tg.createTask(child())
        const o = yield* tg.createTask(other())
        loop.callLater(0.5, (msg: string) => fut.cancelUnsafe(msg), "no value")
        return [c, o] as const
      })
    ).pipe(Effect.flatMap(Effect.fromNullishOr))
    log(
      "group exited, child cancelled",
      c.cancelled(),
      "other",
      yield* o.result(),
      "at",
      Math.round(loop.time() * 1000)
    )
  })
