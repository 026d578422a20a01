import { execFile } from "node:child_process"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { assert, describe, it } from "@effect/vitest"

const here = dirname(fileURLToPath(import.meta.url))

/** The example as `pnpm run cluster` runs it: its own PostgreSQL (if none runs), 3 runner processes. */
const runExample = () =>
  new Promise<string>((resolve, reject) => {
    execFile(
      process.execPath,
      ["--conditions=@effect-asyncio/source", "--import", "tsx", join(here, "../src/cluster.ts")],
      { cwd: join(here, ".."), timeout: 90_000 },
      (error, stdout, stderr) => (error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout))
    )
  })

describe("cluster", () => {
  it("a fleet of 3 runners: gather, a TaskGroup cancelled on the runners, a durable task by key", async () => {
    const output = await runExample()
    const lines = output.split("\n")
    const resized = lines.filter((line) => /^image \d+ resized by runner \d+$/.test(line))
    assert.strictEqual(resized.length, 12)
    assert.deepStrictEqual(
      resized.map((line) => Number(line.split(" ")[1])),
      Array.from({ length: 12 }, (_, i) => i)
    )
    // every slow sibling that started on a runner was cancelled there (under load one may still
    // have been queued when the group failed: cancelled before it ran)
    const started = lines.filter((line) => line.endsWith(": started")).map((line) => line.split("] ")[1])
    const cancelled = lines
      .filter((line) => line.endsWith(": cancelled, cleaned up"))
      .map((line) => line.split("] ")[1])
    assert.isAbove(started.length, 0)
    assert.deepStrictEqual(
      cancelled.map((line) => line?.split(":")[0]).sort(),
      started.map((line) => line?.split(":")[0]).sort()
    )
    assert.notInclude(output, "image 100 resized")
    assert.include(output, "Caught 1 exception: BadImage(image=-1)")
    assert.include(output, "image 7 published; asked again with the same key: image 7 published")
  }, 120_000)
})
