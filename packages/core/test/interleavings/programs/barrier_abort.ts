import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const b = new asyncio.Barrier(3)

    const party = (name: string) =>
      b
        .wait()
        .pipe(Effect.catchTag("BrokenBarrierError", () => Effect.sync(() => log(name, "BrokenBarrierError"))))

    const tasks = []
    for (const n of ["a", "b"]) tasks.push(yield* asyncio.createTask(party(n)))
    yield* asyncio.sleep(0)
    yield* b.abort()
    log("broken", b.broken)
    yield* asyncio.gather(...tasks)
    yield* party("late")
  })
