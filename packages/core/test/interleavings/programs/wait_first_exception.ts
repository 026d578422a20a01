import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const work = (delay: number) =>
      Effect.gen(function* () {
        yield* asyncio.sleep(delay)
        log("finished", delay)
      })

    const bad = () =>
      Effect.gen(function* () {
        yield* asyncio.sleep(1.5)
        return yield* new asyncio.ValueError({ message: "bad" })
      })

    const b = yield* asyncio.createTask(bad(), { name: "bad" })
    const tasks: Array<asyncio.Task<void, asyncio.ValueError>> = [
      yield* asyncio.createTask(work(1), { name: "w1" }),
      b
    ]
    tasks.push(yield* asyncio.createTask(work(3), { name: "w3" }))
    const first = yield* asyncio.wait(tasks, { returnWhen: asyncio.FIRST_EXCEPTION })
    log(
      "done",
      [...first.done].map((t) => t.getName()).sort(),
      "pending",
      [...first.pending].map((t) => t.getName()).sort()
    )
    for (const t of first.pending) {
      yield* t.cancel()
    }
    const { done } = yield* asyncio.wait(first.pending)
    log(
      "cancelled",
      [...done].map((t) => t.cancelled())
    )
    log("bad exception", yield* b.exception())
  })
