/**
 * The interleavings suite: each `programs/<name>.py` was run by CPython 3.13 on virtual time
 * (harness.py, recorded by record.py into `programs/<name>.log`); its TypeScript port
 * `programs/<name>.ts` runs here on virtual time and must print exactly the same log.
 *
 * Re-record the logs with `pnpm interleavings:record` (needs python3.13). Adding a program
 * needs no edit of this file: the directory is listed.
 */
import { readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { type Program, runProgram } from "./harness.js"

const dir = join(fileURLToPath(new URL(".", import.meta.url)), "programs")

/** The first line of the Python program's module docstring. */
const summary = (name: string): string => {
  const source = readFileSync(join(dir, `${name}.py`), "utf8")
  const match = /^\s*(?:"""|''')\s*([^\n]*)/.exec(source)
  return (match?.[1] ?? "").replace(/(?:"""|''')\s*$/, "").trim()
}

const names = readdirSync(dir)
  .filter((file) => file.endsWith(".py"))
  .map((file) => file.slice(0, -3))
  .sort()

describe("interleavings: logs of CPython 3.13 (programs/*.py) vs the TypeScript ports", () => {
  for (const name of names) {
    it.effect(`${name}: ${summary(name)}`, () =>
      Effect.gen(function* () {
        const program = (yield* Effect.promise(
          () => import(join(dir, `${name}.ts`)) as Promise<Program>
        )) as Program
        const expected = readFileSync(join(dir, `${name}.log`), "utf8").split("\n")
        if (expected[expected.length - 1] === "") expected.pop()
        const lines = yield* runProgram(program.main, program.options)
        expect(lines).toEqual(expected)
      })
    )
  }
})
