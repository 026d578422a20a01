/**
 * A fleet on localhost for the tests: PostgreSQL through `scripts/postgres.sh`, runner
 * processes (`test/fixtures/runner.ts`), their event logs, and a client in the test process.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process"
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { dirname, join, resolve } from "node:path"
import { fileURLToPath } from "node:url"
import * as PgClient from "@effect/sql-pg/PgClient"
import { Effect, Redacted } from "effect"
import { SqlClient } from "effect/sql"

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), "../..")
const postgresScript = join(packageDir, "scripts/postgres.sh")

export const postgres = (...args: Array<string>): string =>
  execFileSync("bash", [postgresScript, ...args], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"]
  }).trim()

export const postgresRunning = (): boolean => {
  try {
    execFileSync("bash", [postgresScript, "status"], { stdio: "ignore" })
    return true
  } catch {
    return false
  }
}

/**
 * Starts PostgreSQL unless it runs already (.ci/run starts it once for every test file), and
 * gives a fresh database; `release` stops the server only if this call started it.
 */
export const acquirePostgres = (database: string): { readonly url: string; readonly release: () => void } => {
  const startedHere = !postgresRunning()
  if (startedHere) postgres("start")
  const url = postgres("createdb", database)
  return {
    url,
    release: () => {
      if (startedHere) postgres("stop")
    }
  }
}

export interface Event {
  readonly event: "start" | "end" | "interrupted"
  readonly id: number
  readonly pid: number
}

export interface Runner {
  readonly port: number
  readonly process: ChildProcess
  readonly log: string
  readonly exited: Promise<number | null>
}

/** One runner process; resolves once it printed `ready` (its layer is built). */
export const startRunner = (options: {
  readonly port: number
  readonly postgres: string
  readonly dir: string
  /** The runner program (default: the tests' `test/fixtures/runner.ts`). */
  readonly script?: string
}) =>
  new Promise<Runner>((resolvePromise, reject) => {
    const log = join(options.dir, `runner-${options.port}.log`)
    // node itself, with tsx as a loader: one process, so a SIGKILL kills the runner, not a wrapper
    const child = spawn(
      process.execPath,
      [
        "--conditions=@effect-asyncio/source",
        "--import",
        "tsx",
        options.script ?? join(packageDir, "test/fixtures/runner.ts"),
        String(options.port)
      ],
      {
        cwd: packageDir,
        env: { ...process.env, POSTGRES_URL: options.postgres, RUNNER_LOG: log, NODE_NO_WARNINGS: "1" },
        stdio: ["ignore", "pipe", "pipe"]
      }
    )
    let output = ""
    const exited = new Promise<number | null>((done) => child.on("exit", (code) => done(code)))
    const timer = setTimeout(
      () => reject(new Error(`runner ${options.port} not ready after 60 s:\n${output}`)),
      60_000
    )
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString()
      if (output.includes("ready")) {
        clearTimeout(timer)
        resolvePromise({ port: options.port, process: child, log, exited })
      }
    })
    child.stderr.on("data", (chunk: Buffer) => {
      output += chunk.toString()
    })
    child.on("exit", (code) => {
      clearTimeout(timer)
      reject(new Error(`runner ${options.port} exited with ${code} before it was ready:\n${output}`))
    })
  })

/** Stops a runner (SIGTERM: its layer closes and hands its shards off) and waits for it. */
export const stopRunner = async (runner: Runner): Promise<void> => {
  if (runner.process.exitCode !== null || runner.process.signalCode !== null) return
  runner.process.kill("SIGTERM")
  const timeout = new Promise<"timeout">((done) => setTimeout(() => done("timeout"), 20_000))
  if ((await Promise.race([runner.exited, timeout])) === "timeout") runner.process.kill("SIGKILL")
}

export const readEvents = (runners: ReadonlyArray<Runner>): Array<Event> =>
  runners.flatMap((runner) =>
    existsSync(runner.log)
      ? readFileSync(runner.log, "utf8")
          .split("\n")
          .filter((line) => line !== "")
          .map((line) => {
            const [event, id, pid] = line.split(" ")
            return { event: event as Event["event"], id: Number(id), pid: Number(pid) }
          })
      : []
  )

export const temporaryDirectory = (): { readonly path: string; readonly remove: () => void } => {
  const path = mkdtempSync(join(tmpdir(), "effect-asyncio-fleet-"))
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) }
}

/** Polls `check` every 50 ms until it holds, for at most `ms`. */
export const eventually = async (check: () => boolean, ms: number, what: string): Promise<void> => {
  const deadline = Date.now() + ms
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms: ${what}`)
    await new Promise((done) => setTimeout(done, 50))
  }
}

/** Runs one SQL query on the fleet's database (the tests read the cluster's own tables). */
export const query = <Row extends object>(url: string, text: string): Promise<ReadonlyArray<Row>> =>
  Effect.runPromise(
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      return yield* sql.unsafe<Row>(text)
    }).pipe(Effect.provide(PgClient.layer({ url: Redacted.make(url) })))
  )

/**
 * Waits until the shards have settled: every one of `shards` locked (PostgreSQL advisory locks,
 * as the cluster's runner storage takes them) by `runners` distinct sessions, unchanged for a
 * second. Runners that start together first take all the shards and then hand some over as the
 * others join; a call sent meanwhile can run twice (at-least-once), which the tests of
 * fault-free runs would count as a duplicate.
 */
export const untilSettled = async (url: string, runners: number, shards: number): Promise<void> => {
  let stableSince = Number.POSITIVE_INFINITY
  const deadline = Date.now() + 60_000
  while (Date.now() < deadline) {
    const [row] = await query<{ readonly locks: string; readonly holders: string }>(
      url,
      "SELECT count(*) AS locks, count(DISTINCT pid) AS holders FROM pg_locks WHERE locktype = 'advisory' AND granted"
    )
    const settled = Number(row?.locks) === shards && Number(row?.holders) === runners
    if (!settled) stableSince = Number.POSITIVE_INFINITY
    else if (stableSince === Number.POSITIVE_INFINITY) stableSince = Date.now()
    else if (Date.now() - stableSince >= 1_000) return
    await new Promise((done) => setTimeout(done, 200))
  }
  throw new Error(`the shards did not settle on ${runners} runners within 60 s`)
}
