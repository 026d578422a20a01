/** The bench's one task: as little work as a task can do, so the figures are the cluster's cost. */
import * as cluster from "@effect-asyncio/cluster"
import { Effect, Schema } from "effect"

export const Echo = cluster.defineTask({
  name: "bench/echo",
  payload: Schema.Int,
  success: Schema.Int,
  handler: (n) => Effect.succeed(n)
})

/** The handler alone, for the local baseline. */
export const echo = (n: number) => Effect.succeed(n)
