// The commonest mistake, which tsc accepts: `createTask` used as a statement, without `yield*`,
// creates no task. @effect/language-service (its floatingEffect diagnostic) must flag that line.
import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"

const job = asyncio.sleep(1, "done")

export const main = Effect.gen(function* () {
  asyncio.createTask(job) // flagged: floatingEffect
  const task = yield* asyncio.createTask(job)
  return yield* task
})
