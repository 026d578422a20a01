/**
 * Prints, for every interleavings program, whether its port's log matches CPython's and, if
 * not, the first line that differs (expected vs got). A quicker read than vitest's diffs:
 *
 *   npx tsx --conditions=@effect-asyncio/source packages/core/test/interleavings/diff.ts [name ...]
 */
import { readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { Effect } from "effect"
import { TestClock } from "effect/testing"
import { type Program, runProgram } from "./harness.js"

const dir = join(fileURLToPath(new URL(".", import.meta.url)), "programs")
const only = new Set(process.argv.slice(2))
const names = readdirSync(dir)
  .filter((file) => file.endsWith(".py"))
  .map((file) => file.slice(0, -3))
  .filter((name) => only.size === 0 || only.has(name))
  .sort()

let failed = 0
for (const name of names) {
  const program = (await import(join(dir, `${name}.ts`))) as Program
  const expected = readFileSync(join(dir, `${name}.log`), "utf8").split("\n")
  if (expected[expected.length - 1] === "") expected.pop()
  const run = runProgram(program.main, program.options).pipe(Effect.provide(TestClock.layer()))
  const got = await Promise.race([
    Effect.runPromise(run),
    new Promise<ReadonlyArray<string>>((resolve) => setTimeout(() => resolve(["(hangs)"]), 2000))
  ])
  const n = Math.max(expected.length, got.length)
  let i = 0
  while (i < n && expected[i] === got[i]) i++
  if (i === n) {
    console.log(`PASS ${name}`)
    continue
  }
  failed += 1
  console.log(
    `FAIL ${name}: line ${i + 1}: expected ${JSON.stringify(expected[i])}, got ${JSON.stringify(got[i])}`
  )
}
console.log(`${names.length - failed} pass, ${failed} fail`)
process.exit(0)
