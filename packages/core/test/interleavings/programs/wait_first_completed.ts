import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const loop = yield* asyncio.getRunningLoop

    const work = (delay: number) =>
      Effect.gen(function* () {
        yield* asyncio.sleep(delay)
        log("finished", delay, "at", Math.round(loop.time() * 1000))
      })

    const tasks = []
    for (const d of [2, 1, 3]) tasks.push(yield* asyncio.createTask(work(d), { name: `w${d}` }))
    const { done, pending } = yield* asyncio.wait(tasks, { returnWhen: asyncio.FIRST_COMPLETED })
    log(
      "done",
      [...done].map((t) => t.getName()).sort(),
      "pending",
      [...pending].map((t) => t.getName()).sort()
    )
    yield* asyncio.wait(pending)
    log("rest done at", Math.round(loop.time() * 1000))
  })
