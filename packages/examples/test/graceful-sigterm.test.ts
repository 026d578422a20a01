import { spawn } from "node:child_process"
import { fileURLToPath } from "node:url"
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { main } from "../src/graceful-sigterm.js"
import { runExample } from "./utils.js"

const examples = fileURLToPath(new URL("..", import.meta.url))

/** Runs the example as a script (real time), sending SIGTERM 100 ms after `trigger` is printed. */
const runWithSigterm = (trigger: string) =>
  new Promise<{
    readonly lines: ReadonlyArray<string>
    readonly stderr: string
    readonly code: number | null
  }>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", "--conditions=@effect-asyncio/source", "src/graceful-sigterm.ts"],
      { cwd: examples, stdio: ["ignore", "pipe", "pipe"] }
    )
    let stdout = ""
    let stderr = ""
    const timer = setTimeout(() => {
      child.kill("SIGKILL")
      reject(new Error(`no exit in time\n${stdout}\n${stderr}`))
    }, 20_000)
    child.stdout.on("data", (chunk: Buffer) => {
      const before = stdout
      stdout += chunk.toString()
      if (!before.includes(`${trigger}\n`) && stdout.includes(`${trigger}\n`)) {
        // at once: the line is printed when the jobs have started, and they take 1 s of real time
        child.kill("SIGTERM")
      }
    })
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString()
    })
    child.on("close", (code) => {
      clearTimeout(timer)
      resolve({ lines: stdout.split("\n").filter((line) => line !== ""), stderr, code })
    })
  })

// CPython 3.13 runs the Python program of the example's header (with main's TaskGroup.cancel()
// added by test/interleavings/taskgroup315.py of the core package), without a signal: the 14 lines
// of the first test, exit 0; with SIGTERM 0.3 s after "worker-2: job 4 started": the 9 lines of
// the second test, nothing on stderr, exit 143.
describe("graceful-sigterm", () => {
  it.effect("without a signal: six 1 s jobs on two workers in 3 s, then tg.cancel() ends the group", () =>
    Effect.gen(function* () {
      const { lines, elapsed } = yield* runExample(main)
      assert.deepStrictEqual(lines, [
        "worker-1: job 1 started",
        "worker-2: job 2 started",
        "worker-1: job 1 done",
        "worker-1: job 3 started",
        "worker-2: job 2 done",
        "worker-2: job 4 started",
        "worker-1: job 3 done",
        "worker-1: job 5 started",
        "worker-2: job 4 done",
        "worker-2: job 6 started",
        "worker-1: job 5 done",
        "worker-2: job 6 done",
        "all jobs done",
        "workers stopped"
      ])
      assert.strictEqual(elapsed, 3)
    })
  )

  it("SIGTERM (a real one, to a real process): the jobs in flight clean up, exit 143, no traceback", async () => {
    const { lines, stderr, code } = await runWithSigterm("worker-2: job 4 started")
    assert.deepStrictEqual(lines, [
      "worker-1: job 1 started",
      "worker-2: job 2 started",
      "worker-1: job 1 done",
      "worker-1: job 3 started",
      "worker-2: job 2 done",
      "worker-2: job 4 started",
      "worker-1: job 3 interrupted, left for the next run",
      "worker-2: job 4 interrupted, left for the next run",
      "stopped by SIGTERM"
    ])
    assert.strictEqual(stderr, "")
    assert.strictEqual(code, 143)
  }, 30_000)
})
