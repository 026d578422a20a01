import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const child = () => asyncio.sleep(10).pipe(Effect.ensuring(Effect.sync(() => log("child cleanup"))))

    yield* asyncio.createTask(child())
    yield* asyncio.sleep(0)
    return yield* new asyncio.ValueError({ message: "main failed" })
  })
