import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const loop = yield* asyncio.getRunningLoop
    const fs = [0, 1, 2, 3].map(() => loop.createFuture<unknown, asyncio.ValueError>())
    const [f0, f1, f2, f3] = fs as [
      asyncio.Future<unknown, asyncio.ValueError>,
      asyncio.Future<unknown, asyncio.ValueError>,
      asyncio.Future<unknown, asyncio.ValueError>,
      asyncio.Future<unknown, asyncio.ValueError>
    ]
    log(String(f0))
    yield* f1.setResult([1, "x"])
    yield* f2.setException(new asyncio.ValueError({ message: "bad" }))
    yield* f3.cancel("why")
    for (const f of fs.slice(1)) {
      log(String(f))
    }
    yield* f2.exception()
  })
