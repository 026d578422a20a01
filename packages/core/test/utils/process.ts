/**
 * A long-running fixture (test/fixtures) as a real child process, and the `effect-asyncio` CLI
 * run against it, each under tsx with the package's source condition (the CLI through its own
 * bin/effect-asyncio.js). Both get the same TMPDIR, a directory of the test's own, so that the
 * monitor's socket of one test is never another's. Every wait is bounded.
 */
import { type ChildProcess, spawn } from "node:child_process"
import * as path from "node:path"
import { fileURLToPath } from "node:url"

const here = path.dirname(fileURLToPath(import.meta.url))
export const coreRoot = path.resolve(here, "../..")
const binDir = path.resolve(coreRoot, "../../node_modules/.bin")

const childEnv = (env: Readonly<Record<string, string>>): NodeJS.ProcessEnv => ({
  ...process.env,
  PATH: `${binDir}${path.delimiter}${process.env.PATH ?? ""}`,
  NODE_OPTIONS: "",
  EFFECT_ASYNCIO_MONITOR: "",
  ...env
})

export interface Fixture {
  readonly child: ChildProcess
  /** stdout so far */
  stdout(): string
  stderr(): string
  /** resolves once stdout has a line matching `pattern` */
  waitFor(pattern: string | RegExp, timeoutMs?: number): Promise<string>
  /** resolves with the exit code once the child exited */
  readonly exited: Promise<number | null>
  kill(): void
}

/** Starts `test/fixtures/<name>`. */
export const startFixture = (
  name: string,
  args: ReadonlyArray<string>,
  env: Readonly<Record<string, string>>
): Fixture => startScript(path.join("test/fixtures", name), args, env)

/** Starts `effect-asyncio ...args` (bin/effect-asyncio.js) and leaves it running. */
export const spawnCli = (args: ReadonlyArray<string>, env: Readonly<Record<string, string>>): Fixture =>
  startScript("bin/effect-asyncio.js", args, env)

const startScript = (
  script: string,
  args: ReadonlyArray<string>,
  env: Readonly<Record<string, string>>
): Fixture => {
  const child = spawn(path.join(binDir, "tsx"), ["--conditions=@effect-asyncio/source", script, ...args], {
    cwd: coreRoot,
    env: childEnv(env),
    stdio: ["ignore", "pipe", "pipe"]
  })
  let out = ""
  let err = ""
  const listeners = new Set<() => void>()
  child.stdout?.on("data", (chunk: Buffer) => {
    out += chunk.toString()
    for (const listener of listeners) listener()
  })
  child.stderr?.on("data", (chunk: Buffer) => {
    err += chunk.toString()
    for (const listener of listeners) listener()
  })
  const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)))
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    // the program itself (tsx's child, which would outlive tsx and keep its pipes open), then tsx
    kill: () => {
      const pid = /^pid (\d+)$/m.exec(out)?.[1]
      try {
        if (pid !== undefined) process.kill(Number(pid), "SIGKILL")
      } catch {
        // already gone
      }
      // tsx passes SIGTERM on to the program it runs
      child.kill("SIGTERM")
      setTimeout(() => child.kill("SIGKILL"), 2000).unref()
    },
    waitFor: (pattern, timeoutMs = 20_000) =>
      new Promise((resolve, reject) => {
        const test = () => {
          const lines = `${out}\n${err}`.split("\n")
          const found = lines.find((line) =>
            typeof pattern === "string" ? line === pattern : pattern.test(line)
          )
          if (found === undefined) return false
          listeners.delete(check)
          clearTimeout(timer)
          resolve(found)
          return true
        }
        const check = () => {
          test()
        }
        const timer = setTimeout(() => {
          listeners.delete(check)
          reject(new Error(`no line ${String(pattern)} in ${timeoutMs} ms\nstdout:\n${out}\nstderr:\n${err}`))
        }, timeoutMs)
        if (!test()) listeners.add(check)
        exited.then(() => {
          if (listeners.has(check) && !test()) {
            listeners.delete(check)
            clearTimeout(timer)
            reject(
              new Error(`the fixture exited before ${String(pattern)}\nstdout:\n${out}\nstderr:\n${err}`)
            )
          }
        })
      })
  }
}

export interface CliRun {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

/** Runs `effect-asyncio ...args` (bin/effect-asyncio.js) to its end, with `input` on stdin. */
export const runCli = (
  args: ReadonlyArray<string>,
  env: Readonly<Record<string, string>>,
  input = "",
  timeoutMs = 30_000
): Promise<CliRun> =>
  new Promise((resolve, reject) => {
    const child = spawn(
      path.join(binDir, "tsx"),
      ["--conditions=@effect-asyncio/source", "bin/effect-asyncio.js", ...args],
      { cwd: coreRoot, env: childEnv(env), stdio: ["pipe", "pipe", "pipe"] }
    )
    let stdout = ""
    let stderr = ""
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString()
    })
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString()
    })
    const timer = setTimeout(() => {
      child.kill("SIGKILL")
      reject(
        new Error(`effect-asyncio ${args.join(" ")} did not finish in ${timeoutMs} ms\n${stdout}\n${stderr}`)
      )
    }, timeoutMs)
    child.on("close", (code) => {
      clearTimeout(timer)
      resolve({ code, stdout, stderr })
    })
    child.stdin.end(input)
  })

/**
 * The program's own pid, which names its socket: tsx runs it in a process of its own (not
 * `child.pid`), so the fixture prints it first (`pid N`).
 */
export const programPid = async (fixture: Fixture): Promise<number> =>
  Number((await fixture.waitFor(/^pid \d+$/)).slice(4))
