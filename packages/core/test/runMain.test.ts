/**
 * What `runMain` prints for an uncaught failure, and what the default exception handler prints
 * for "Task exception was never retrieved": Python's layout (`Traceback (most recent call
 * last):`, the user's frames with their source lines, `Class: message`, causes first), with the
 * frames of Effect, of this library and of Node left out. Real processes:
 * test/fixtures/uncaught.ts.
 */
import { assert, describe, it } from "@effect/vitest"
import { runFixture } from "./utils/child.js"

const runScenario = (scenario: string) => runFixture("uncaught.ts", { args: [scenario], timeoutMs: 30_000 })

/** Frames that must never show: Effect's, this library's, Node's own, the TypeScript loader's. */
const assertOnlyUserFrames = (text: string) => {
  for (const line of text.split("\n").filter((line) => line.startsWith("  File "))) {
    assert.include(line, "/test/fixtures/uncaught.ts", line)
  }
  assert.notInclude(text, "node_modules")
  assert.notInclude(text, "node:internal")
  assert.notInclude(text, "/src/internal/")
}

describe("runMain prints an uncaught failure as Python does", () => {
  it("an error: traceback of the user's frames with their lines, then Class: message; exit 1", async () => {
    const run = await runScenario("error")
    assert.strictEqual(run.code, 1)
    assert.strictEqual(run.stdout, "")
    const lines = run.stderr.trimEnd().split("\n")
    assert.strictEqual(lines[0], "Traceback (most recent call last):")
    assert.match(lines[1] ?? "", /^ {2}File ".*\/test\/fixtures\/uncaught\.ts", line 11, in /)
    // the source line under the frame, as Python prints it
    assert.strictEqual(
      lines[2]?.trim(),
      "return yield* Effect.fail(new asyncio.ValueError({ message: `no user $" + "{id}` }))"
    )
    assert.strictEqual(lines.at(-1), "ValueError: no user 42")
    assertOnlyUserFrames(run.stderr)
  }, 40_000)

  it("a cause chain: the cause first, then 'The above exception was the direct cause...'", async () => {
    const run = await runScenario("cause")
    assert.strictEqual(run.code, 1)
    const text = run.stderr.trimEnd()
    const [cause, error] = text.split(
      "\n\nThe above exception was the direct cause of the following exception:\n\n"
    )
    assert.match(cause ?? "", /^Traceback \(most recent call last\):\n[\s\S]*\nError: connection refused$/)
    assert.match(error ?? "", /^Traceback \(most recent call last\):\n[\s\S]*\nError: request failed$/)
    assertOnlyUserFrames(text)
  }, 40_000)

  it("a TaskGroup's ExceptionGroup: the boxes of String(eg)", async () => {
    const run = await runScenario("group")
    assert.strictEqual(run.code, 1)
    assert.strictEqual(
      run.stderr.trimEnd(),
      [
        "ExceptionGroup: unhandled errors in a TaskGroup (2 sub-exceptions)",
        "+-+---------------- 1 ----------------",
        "  | ValueError: a",
        "  +---------------- 2 ----------------",
        "  | TypeError: b",
        "  +------------------------------------"
      ].join("\n")
    )
  }, 40_000)

  it("a failure that is not an Error", async () => {
    const run = await runScenario("string")
    assert.strictEqual(run.code, 1)
    assert.strictEqual(run.stderr.trimEnd(), 'Uncaught "plain"')
  }, 40_000)

  it("'Task exception was never retrieved': future: <Task finished ...>, then the traceback; exit 0", async () => {
    const run = await runScenario("unretrieved")
    assert.strictEqual(run.code, 0, run.stderr)
    const lines = run.stderr.trimEnd().split("\n")
    assert.deepStrictEqual(lines.slice(0, 3), [
      "Task exception was never retrieved",
      "future: <Task finished name='lost' exception=ValueError('no user 7')>",
      "Traceback (most recent call last):"
    ])
    assert.strictEqual(lines.at(-1), "ValueError: no user 7")
    assertOnlyUserFrames(run.stderr)
  }, 40_000)
})
