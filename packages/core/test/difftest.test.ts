/**
 * The differential fuzzer's corpus, without Python: every program of
 * `packages/core/difftest/corpus/` is run on effect-asyncio (the fuzzer's TypeScript interpreter,
 * under TestClock) and its log must be the CPython 3.13 log recorded beside it. The corpus holds
 * programs that agree today (`pnpm difftest --record-corpus --seed=5000` re-records it where
 * python3.13 exists); the test keeps them agreeing. See packages/core/difftest/README.md.
 */
import { readdirSync, readFileSync } from "node:fs"
import { describe, expect, it } from "@effect/vitest"
import type { Program } from "../difftest/ast.js"
import { runTs } from "../difftest/interp.js"

interface CorpusEntry {
  readonly program: Program
  readonly cpython: ReadonlyArray<string>
}

const corpus = new URL("../difftest/corpus/", import.meta.url)
const files = readdirSync(corpus)
  .filter((file) => file.endsWith(".json"))
  .sort((a, b) => a.localeCompare(b, "en", { numeric: true }))

describe("difftest corpus: effect-asyncio logs what CPython 3.13 logged", () => {
  it("has programs of every level", () => {
    const levels = new Set(files.map((file) => file.split("-")[0]))
    expect([...levels].sort()).toEqual(["1", "2", "3", "4", "5", "6", "7"])
  })

  it.each(files)("%s", async (file) => {
    const entry = JSON.parse(readFileSync(new URL(file, corpus), "utf8")) as CorpusEntry
    expect(await runTs(entry.program)).toEqual(entry.cpython)
  })
})
