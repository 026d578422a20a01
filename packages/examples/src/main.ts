/**
 * The demo (`pnpm start`): a small program whose tasks are printed as a tree while they run.
 * The tutorial's programs land here with the examples issue.
 */

import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"

const fetch = (what: string, seconds: number) =>
  Effect.gen(function* () {
    yield* asyncio.sleep(seconds)
    return `${what} after ${seconds}s`
  })

const main = Effect.gen(function* () {
  const loop = yield* asyncio.EventLoop
  const start = loop.time()
  const tasks = [
    yield* asyncio.createTask(fetch("users", 1.0), { name: "fetch-users" }),
    yield* asyncio.createTask(fetch("orders", 1.5), { name: "fetch-orders" }),
    yield* asyncio.createTask(fetch("stock", 0.5), { name: "fetch-stock" })
  ]
  const running = yield* asyncio.allTasks
  console.log("Tasks running:")
  for (const task of running) console.log(`  ${task.toString()}`)
  for (const task of tasks) console.log(yield* task)
  console.log(`Three fetches of 1.0, 1.5 and 0.5 s took ${(loop.time() - start).toFixed(1)} s`)
})

asyncio.runMain(main)
