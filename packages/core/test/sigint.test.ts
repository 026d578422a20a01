/**
 * Ctrl-C with a real child process and a real signal (test_runners.py's test_interrupt_* tests
 * use `signal.raise_signal`; a process test is closer to what a user sees). The child runs
 * test/fixtures/sigint.ts under tsx; this is the one test that waits on real time, bounded.
 */
import { spawn } from "node:child_process"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { assert, describe, it } from "@effect/vitest"

const here = path.dirname(fileURLToPath(import.meta.url))
const coreRoot = path.resolve(here, "..")
const binDir = path.resolve(coreRoot, "../../node_modules/.bin")

interface ChildRun {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  readonly stdout: string
  readonly stderr: string
}

/** Runs the fixture, sends SIGINT once it printed "ready", resolves when it exits. */
const interruptFixture = (timeoutMs: number): Promise<ChildRun> =>
  new Promise((resolve, reject) => {
    const child = spawn(
      path.join(binDir, "tsx"),
      ["--conditions=@effect-asyncio/source", "test/fixtures/sigint.ts"],
      {
        cwd: coreRoot,
        // the tsx launcher runs under `node` from PATH: Node 24 from the node package
        env: { ...process.env, PATH: `${binDir}${path.delimiter}${process.env.PATH ?? ""}` },
        stdio: ["ignore", "pipe", "pipe"]
      }
    )
    let stdout = ""
    let stderr = ""
    let signalled = false
    const timer = setTimeout(() => {
      child.kill("SIGKILL")
      reject(
        new Error(`the fixture did not finish in ${timeoutMs} ms\nstdout:\n${stdout}\nstderr:\n${stderr}`)
      )
    }, timeoutMs)
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString()
      if (!signalled && stdout.split("\n").includes("ready")) {
        signalled = true
        child.kill("SIGINT")
      }
    })
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString()
    })
    child.on("error", (error) => {
      clearTimeout(timer)
      reject(error)
    })
    child.on("close", (code, signal) => {
      clearTimeout(timer)
      resolve({ code, signal, stdout, stderr })
    })
  })

describe("SIGINT (asyncio.run's KeyboardInterrupt)", () => {
  it("test_interrupt_wait with a real signal: main cancelled, finalizers run, KeyboardInterrupt, exit 130", async () => {
    const run = await interruptFixture(30_000)
    const lines = run.stdout.split("\n").filter((line) => line !== "")
    assert.deepStrictEqual(lines, ["ready", "main finalizer ran", "background finalizer ran"], run.stderr)
    assert.include(run.stderr, "KeyboardInterrupt")
    assert.strictEqual(run.code, 130)
  }, 40_000)
})
