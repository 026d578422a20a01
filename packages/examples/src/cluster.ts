/**
 * Beyond one machine: a small fleet on this machine. `pnpm --filter @effect-asyncio/examples
 * run cluster` starts PostgreSQL (packages/cluster/scripts/postgres.sh, if it is not running),
 * three runner processes (this file with `runner <port>`), and runs a client that
 *
 * 1. gathers 12 remote tasks (each says which runner ran it),
 * 2. runs a TaskGroup whose failing child cancels its siblings on their runners (they print it),
 * 3. calls a durable task twice with the same key: one execution, one result.
 *
 * The asyncio program it stands for, with a Celery-like `remote`:
 *
 * ```python
 * async def main():
 *     print(await asyncio.gather(*(remote(resize, n) for n in range(12))))
 *     try:
 *         async with asyncio.TaskGroup() as tg:
 *             for n in range(3):
 *                 tg.create_task(remote(resize, n, seconds=30))
 *             tg.create_task(remote(check, -1))
 *     except* BadImage as eg:
 *         print(f"Caught {eg.exceptions}")
 * ```
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process"
import { dirname, join, resolve } from "node:path"
import { fileURLToPath } from "node:url"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as cluster from "@effect-asyncio/cluster"
import * as asyncio from "@effect-asyncio/core"
import { Console, Effect, Layer, Schema } from "effect"

// --- the definitions: a module every process imports --------------------------------------

export class BadImage extends Schema.TaggedError<BadImage>()("BadImage", { image: Schema.Int }) {}

/** "Resizes" image n in `ms` milliseconds, on whichever runner the cluster picks. */
export const Resize = cluster.defineTask({
  name: "examples/resize",
  payload: Schema.Struct({ image: Schema.Int, ms: Schema.Int }),
  success: Schema.String,
  handler: ({ image, ms }) =>
    (ms > 1_000 ? Console.log(`[runner ${process.pid}] image ${image}: started`) : Effect.void).pipe(
      Effect.andThen(Effect.sleep(ms)),
      Effect.as(`image ${image} resized by runner ${process.pid}`),
      Effect.onInterrupt(() => Console.log(`[runner ${process.pid}] image ${image}: cancelled, cleaned up`))
    )
})

export const Check = cluster.defineTask({
  name: "examples/check",
  payload: Schema.Int,
  error: BadImage,
  handler: (image) => (image < 0 ? Effect.fail(new BadImage({ image })) : Effect.void)
})

/** Durable: an execution per key, its result stored; at-least-once, so idempotent. */
export const Publish = cluster.defineTask({
  name: "examples/publish",
  payload: Schema.Int,
  success: Schema.String,
  durable: true,
  handler: (image) =>
    Console.log(`[runner ${process.pid}] publishing image ${image}`).pipe(
      Effect.as(`image ${image} published`)
    )
})

const tasks = [Resize, Check, Publish]

// --- a small fleet's settings: shards move within seconds when a runner goes ------------------

const sharding: cluster.ShardingOptions = {
  shardsPerGroup: 60,
  runnerHealthCheckInterval: "1 second",
  refreshAssignmentsInterval: "500 millis",
  entityMessagePollInterval: "1 second"
}

// --- the client's program ------------------------------------------------------------------

export const main = Effect.gen(function* () {
  const resized = yield* asyncio.gather(
    ...Array.from({ length: 12 }, (_, image) => cluster.remote(Resize, { image, ms: 50 }))
  )
  for (const line of resized) yield* Console.log(line)

  yield* asyncio.TaskGroup.run((tg) =>
    Effect.gen(function* () {
      for (let image = 100; image < 103; image++)
        yield* tg.createTask(cluster.remote(Resize, { image, ms: 30_000 }))
      // the slow ones start on their runners meanwhile (a sibling not started yet is cancelled
      // before it runs: nothing to clean up there)
      yield* asyncio.sleep(2)
      yield* tg.createTask(cluster.remote(Check, -1))
    })
  ).pipe(
    asyncio.exceptStar("BadImage", (group) =>
      Console.log(
        `Caught ${group.exceptions.length} exception: BadImage(image=${group.exceptions[0]?.image})`
      )
    )
  )
  // the runners print their cancellations: let their output arrive before the next step
  yield* asyncio.sleep(0.5)

  const first = yield* cluster.remote(Publish, 7, { key: "publish-7" })
  const again = yield* cluster.remote(Publish, 7, { key: "publish-7" })
  yield* Console.log(`${first}; asked again with the same key: ${again}`)
})

// --- the processes ---------------------------------------------------------------------------

const here = dirname(fileURLToPath(import.meta.url))
const postgresScript = resolve(here, "../../cluster/scripts/postgres.sh")
const postgres = (...args: Array<string>) =>
  execFileSync("bash", [postgresScript, ...args], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"]
  }).trim()

const isRunning = () => {
  try {
    execFileSync("bash", [postgresScript, "status"], { stdio: "ignore" })
    return true
  } catch {
    return false
  }
}

const startRunner = (port: number, url: string) =>
  new Promise<ChildProcess>((ready, failed) => {
    const child = spawn(
      process.execPath,
      [
        "--conditions=@effect-asyncio/source",
        "--import",
        "tsx",
        join(here, "cluster.ts"),
        "runner",
        String(port)
      ],
      { env: { ...process.env, POSTGRES_URL: url }, stdio: ["ignore", "pipe", "inherit"] }
    )
    child.stdout.on("data", (chunk: Buffer) => {
      const text = chunk.toString()
      if (text.includes("ready")) ready(child)
      for (const line of text.split("\n")) if (line.startsWith("[runner")) process.stdout.write(`${line}\n`)
    })
    child.on("exit", (code) => failed(new Error(`runner ${port} exited with ${code}`)))
  })

const stop = (child: ChildProcess) =>
  new Promise<void>((done) => {
    child.on("exit", () => done())
    child.kill("SIGTERM")
  })

if (process.argv[2] === "runner") {
  const runner = cluster.layerRunner({
    tasks,
    postgres: process.env.POSTGRES_URL ?? "",
    host: "127.0.0.1",
    port: Number(process.argv[3]),
    sharding
  })
  Layer.launch(Layer.merge(runner, Layer.effectDiscard(Console.log("ready")))).pipe(NodeRuntime.runMain)
} else if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const startedPostgres = !isRunning()
  if (startedPostgres) postgres("start")
  const url = postgres("createdb", "examples_cluster")
  console.log(`PostgreSQL at ${url}; starting 3 runners`)
  const runners = await Promise.all([34711, 34712, 34713].map((port) => startRunner(port, url)))
  try {
    const client = cluster.layerClient({ postgres: url, sharding })
    await Effect.runPromise(asyncio.runEffect(main).pipe(Effect.provide(client)))
  } finally {
    await Promise.all(runners.map(stop))
    if (startedPostgres) postgres("stop")
  }
}
