/** A bench runner process: `runner.ts <port>` with `POSTGRES_URL`; prints `ready`. */

import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as cluster from "@effect-asyncio/cluster"
import { Effect, Layer } from "effect"
import { benchSharding } from "./sharding.js"
import { Echo } from "./tasks.js"

const runner = cluster.layerRunner({
  tasks: [Echo],
  postgres: process.env.POSTGRES_URL ?? "",
  host: "127.0.0.1",
  port: Number(process.argv[2]),
  sharding: benchSharding
})
Layer.launch(Layer.merge(runner, Layer.effectDiscard(Effect.sync(() => console.log("ready"))))).pipe(
  NodeRuntime.runMain
)
