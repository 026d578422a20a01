/**
 * What a pending task is made of: takes a V8 heap snapshot before a scenario and one at its probe
 * (every task pending), and prints the difference per task by object type, largest first. This is
 * how the figures in the bench README section were explained.
 *
 * Usage (from packages/core): node --expose-gc --conditions=@effect-asyncio/source --import tsx bench/heap.ts ours cancel 20000
 */
import { readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { writeHeapSnapshot } from "node:v8"
import { type ContenderId, PROGRAMS } from "./scenarios.js"

interface HeapSnapshot {
  readonly snapshot: {
    readonly meta: {
      readonly node_fields: ReadonlyArray<string>
      readonly node_types: [ReadonlyArray<string>]
    }
  }
  readonly nodes: ReadonlyArray<number>
  readonly strings: ReadonlyArray<string>
}

/** Count and total self size by "type:name" (closures and strings lumped together). */
const byType = (path: string): Map<string, { count: number; size: number }> => {
  const heap = JSON.parse(readFileSync(path, "utf8")) as HeapSnapshot
  const width = heap.snapshot.meta.node_fields.length
  const types = heap.snapshot.meta.node_types[0]
  const result = new Map<string, { count: number; size: number }>()
  for (let i = 0; i < heap.nodes.length; i += width) {
    const type = types[heap.nodes[i] ?? 0] ?? "?"
    const name = type === "object" ? (heap.strings[heap.nodes[i + 1] ?? 0] ?? "?") : ""
    const key = `${type}${name === "" ? "" : `:${name.slice(0, 50)}`}`
    const entry = result.get(key) ?? { count: 0, size: 0 }
    entry.count += 1
    entry.size += heap.nodes[i + 3] ?? 0
    result.set(key, entry)
  }
  return result
}

const main = async (): Promise<void> => {
  const [contender = "ours", program = "cancel", nArg = "20000"] = process.argv.slice(2)
  const run = PROGRAMS[program]?.[contender as Exclude<ContenderId, "asyncio">]
  const gc = (globalThis as { gc?: () => void }).gc
  if (run === undefined || gc === undefined)
    throw new Error("usage: node --expose-gc ... heap.ts <contender> <program> <n>")
  const n = Number(nArg)
  const before = join(tmpdir(), `bench-${process.pid}-before.heapsnapshot`)
  const during = join(tmpdir(), `bench-${process.pid}-during.heapsnapshot`)
  await run(Math.min(n, 2000), () => {})
  gc()
  writeHeapSnapshot(before)
  let taken = false
  await run(n, () => {
    if (taken) return
    taken = true
    gc()
    writeHeapSnapshot(during)
  })
  const base = byType(before)
  const rows = [...byType(during)]
    .map(([key, { count, size }]) => {
      const old = base.get(key) ?? { count: 0, size: 0 }
      return { key, perTask: (count - old.count) / n, bytes: (size - old.size) / n }
    })
    .filter((row) => row.bytes >= 2)
    .sort((a, b) => b.bytes - a.bytes)
  rmSync(before)
  rmSync(during)
  console.log(`${contender} ${program} n=${n}: heap held per pending task, by object type`)
  for (const row of rows) {
    console.log(
      `${row.bytes.toFixed(0).padStart(7)} B  ${row.perTask.toFixed(2).padStart(6)} objects  ${row.key}`
    )
  }
  console.log(
    `${rows
      .reduce((sum, row) => sum + row.bytes, 0)
      .toFixed(0)
      .padStart(7)} B  total`
  )
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error)
    process.exit(1)
  }
)
