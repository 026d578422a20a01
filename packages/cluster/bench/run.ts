/**
 * `pnpm --filter @effect-asyncio/cluster run bench` (or `pnpm bench:cluster` at the root): what a
 * remote task costs, against a local one.
 *
 * Rows: local tasks (`createTask` of the handler, one process), the in-memory cluster
 * (`layerTest`: the cluster's entity, Schemas and mailbox, no network, no storage), then a real
 * fleet of 1, 2 and 3 runner processes with PostgreSQL and this process as the client.
 * Columns: throughput (a `gather` of N calls), latency (M calls one after another: median and
 * p95), and the cost per remote task: CPU time of the client, the runners and PostgreSQL
 * (from /proc) during the gather, divided by N.
 *
 * On this 2-core machine the client, every runner and PostgreSQL share the same two cores, so more
 * runners cannot add capacity: the 2- and 3-runner rows show what coordination costs (more
 * processes, more PostgreSQL sessions, more shards moving), not how a fleet of machines scales.
 *
 * Flags: --smoke (CI: N = 200, 1 runner, M = 20; fails only if a run crashes, prints timings).
 * Needs PostgreSQL: started through scripts/postgres.sh unless it runs already.
 */
import { readdirSync, readFileSync } from "node:fs"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import * as cluster from "@effect-asyncio/cluster"
import * as asyncio from "@effect-asyncio/core"
import { Effect, ManagedRuntime } from "effect"
import {
  postgres,
  postgresRunning,
  query,
  type Runner,
  startRunner,
  stopRunner,
  temporaryDirectory,
  untilSettled
} from "../test/utils/fleet.js"
import { benchSharding } from "./sharding.js"
import { Echo, echo } from "./tasks.js"

const here = dirname(fileURLToPath(import.meta.url))
const smoke = process.argv.includes("--smoke")
const N = smoke ? 200 : 2000
const M = smoke ? 20 : 200
const FLEETS = smoke ? [1] : [1, 2, 3]
const PORTS = [34811, 34812, 34813]

interface Row {
  readonly name: string
  readonly throughput: number
  readonly median: number
  readonly p95: number
  readonly cpuPerTask: number | undefined
}

const percentile = (values: ReadonlyArray<number>, p: number): number => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length - 1) * p))] ?? Number.NaN
}

/** CPU seconds (user + system) a process has used, from /proc (Linux), 0 if it is gone. */
const cpuSeconds = (pid: number): number => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8")
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ")
    return (Number(fields[11]) + Number(fields[12])) / 100
  } catch {
    return 0
  }
}

const measure = async (
  name: string,
  call: (n: number) => Effect.Effect<number, unknown, asyncio.EventLoop | cluster.Cluster>,
  runPromise: <A>(effect: Effect.Effect<A, unknown, asyncio.EventLoop | cluster.Cluster>) => Promise<A>,
  pids: () => ReadonlyArray<number>
): Promise<Row> => {
  const asTask = (n: number) => call(n)
  // warm-up: JIT, connections, entity activation
  await runPromise(asyncio.runEffect(asyncio.gather(...Array.from({ length: 100 }, (_, n) => asTask(n)))))
  const cpuBefore = pids().reduce((sum, pid) => sum + cpuSeconds(pid), 0)
  const clientBefore = process.cpuUsage()
  const started = performance.now()
  const results = await runPromise(
    asyncio.runEffect(asyncio.gather(...Array.from({ length: N }, (_, n) => asTask(n))))
  )
  const seconds = (performance.now() - started) / 1000
  const client = process.cpuUsage(clientBefore)
  const cpuAfter = pids().reduce((sum, pid) => sum + cpuSeconds(pid), 0)
  if (results.length !== N || results.some((value, index) => value !== index))
    throw new Error(`${name}: wrong results`)
  const latencies = await runPromise(
    asyncio.runEffect(
      Effect.forEach(
        Array.from({ length: M }, (_, n) => n),
        (n) =>
          Effect.suspend(() => {
            const t0 = performance.now()
            return Effect.map(asTask(n), () => performance.now() - t0)
          })
      )
    )
  )
  const clientCpu = (client.user + client.system) / 1e6
  return {
    name,
    throughput: N / seconds,
    median: percentile(latencies, 0.5),
    p95: percentile(latencies, 0.95),
    cpuPerTask: pids().length === 0 ? clientCpu / N : (clientCpu + cpuAfter - cpuBefore) / N
  }
}

const format = (rows: ReadonlyArray<Row>): string => {
  const header = "| contender | tasks/s | latency median | latency p95 | CPU per task (all processes) |"
  const lines = rows.map(
    (row) =>
      `| ${row.name} | ${Math.round(row.throughput).toLocaleString("en")} | ${row.median.toFixed(2)} ms | ` +
      `${row.p95.toFixed(2)} ms | ${row.cpuPerTask === undefined ? "-" : `${(row.cpuPerTask * 1e6).toFixed(0)} µs`} |`
  )
  return [header, "|---|---:|---:|---:|---:|", ...lines].join("\n")
}

/** Every process of the PostgreSQL server: the postmaster and the backends serving the fleet. */
const postgresPids = (): Array<number> =>
  readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry))
    .filter((entry) => {
      try {
        return readFileSync(`/proc/${entry}/comm`, "utf8").trim() === "postgres"
      } catch {
        return false // gone meanwhile
      }
    })
    .map(Number)

const main = async () => {
  const rows: Array<Row> = []
  const local =
    (runtime: ManagedRuntime.ManagedRuntime<cluster.Cluster, unknown>) =>
    <A>(effect: Effect.Effect<A, unknown, asyncio.EventLoop | cluster.Cluster>) =>
      runtime.runPromise(effect as Effect.Effect<A, unknown, cluster.Cluster>)

  const memory = ManagedRuntime.make(cluster.layerTest({ tasks: [Echo] }))
  rows.push(
    await measure(
      "local tasks (createTask of the handler)",
      (n) => Effect.flatMap(asyncio.createTask(echo(n)), (task) => task),
      local(memory),
      () => []
    )
  )
  rows.push(
    await measure(
      "in-memory cluster (layerTest)",
      (n) => cluster.remote(Echo, n),
      local(memory),
      () => []
    )
  )
  await memory.dispose()

  const startedPostgres = !postgresRunning()
  if (startedPostgres) postgres("start")
  const directory = temporaryDirectory()
  try {
    for (const size of FLEETS) {
      const url = postgres("createdb", `bench_${size}`)
      const runners: Array<Runner> = await Promise.all(
        PORTS.slice(0, size).map((port) =>
          startRunner({ port, postgres: url, dir: directory.path, script: join(here, "runner.ts") })
        )
      )
      const client = ManagedRuntime.make(cluster.layerClient({ postgres: url, sharding: benchSharding }))
      try {
        await untilSettled(url, size, benchSharding.shardsPerGroup ?? 0)
        const pids = () => [
          ...runners.flatMap((runner) => (runner.process.pid === undefined ? [] : [runner.process.pid])),
          ...postgresPids()
        ]
        rows.push(
          await measure(
            `remote, ${size} runner${size > 1 ? "s" : ""} + PostgreSQL`,
            (n) => cluster.remote(Echo, n),
            local(client),
            pids
          )
        )
        const [stored] = await query<{ readonly count: string }>(
          url,
          "SELECT count(*) AS count FROM cluster_messages"
        )
        process.stderr.write(`bench: ${size} runner(s): ${stored?.count} messages stored\n`)
      } finally {
        await client.dispose()
        await Promise.all(runners.map(stopRunner))
      }
    }
  } finally {
    directory.remove()
    if (startedPostgres) postgres("stop")
  }
  console.log(`cluster bench: N = ${N} (gather), M = ${M} (sequential), node ${process.version}, 2 cores`)
  console.log(format(rows))
}

await main()
