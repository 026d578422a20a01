/**
 * Figures and the tables printed by `pnpm bench` (Markdown, so the README can take them as is).
 */
import type { ContenderId } from "./scenarios.js"

/** What one child process reports (child.ts and asyncio_bench.py). */
export interface RunSample {
  readonly wallMs: number
  readonly rssBeforeKb: number
  readonly maxRssKb: number
  readonly heapPerPending: number | null
}

export interface ContenderResult {
  /** Median wall time of the timed runs. */
  readonly wallMs: number
  readonly runsMs: ReadonlyArray<number>
  /** Median wall time per task (or per item), microseconds. */
  readonly perUnitUs: number
  /** Peak RSS growth over the measured run, per task, bytes (median). */
  readonly peakRssPerUnit: number
  /** Heap held per pending task after a full collection, bytes (median of the memory runs). */
  readonly heapPerPending: number | null
}

export interface BenchResult {
  readonly id: string
  readonly title: string
  readonly unit: "task" | "item"
  readonly n: number
  /** Contenders stopped after `timeoutSeconds` without a result. */
  readonly timedOut: ReadonlyArray<ContenderId>
  readonly timeoutSeconds: number
  readonly contenders: Partial<Record<ContenderId, ContenderResult>>
}

export const median = (values: ReadonlyArray<number>): number => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 === 1
    ? (sorted[mid] ?? Number.NaN)
    : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2
}

/** ours / other, for time or a memory figure; undefined when either side is missing. */
/** ours / other for time, where `other` timed out: an upper bound ("< r"). */
const boundRatio = (result: BenchResult, other: ContenderId): string | undefined => {
  const ours = result.contenders.ours
  if (ours === undefined || !result.timedOut.includes(other)) return undefined
  return `< ${(ours.wallMs / (result.timeoutSeconds * 1000)).toFixed(3)}x`
}

export const ratio = (
  result: BenchResult,
  other: ContenderId,
  figure: (c: ContenderResult) => number | null = (c) => c.wallMs
): number | undefined => {
  const ours = result.contenders.ours
  const theirs = result.contenders[other]
  if (ours === undefined || theirs === undefined) return undefined
  const a = figure(ours)
  const b = figure(theirs)
  if (a === null || b === null || b === 0) return undefined
  return a / b
}

const na = "n/a"
const msOf = (c: ContenderResult | undefined) =>
  c === undefined ? na : c.wallMs < 10 ? c.wallMs.toFixed(2) : c.wallMs.toFixed(0)
const ms = (r: BenchResult, id: ContenderId) =>
  r.timedOut.includes(id) ? `> ${r.timeoutSeconds * 1000} (timeout)` : msOf(r.contenders[id])
const us = (c: ContenderResult | undefined) => (c === undefined ? na : c.perUnitUs.toFixed(2))
const bytes = (value: number | null | undefined) =>
  value === null || value === undefined ? na : value.toFixed(0)
const x = (value: number | undefined, target?: (r: number) => boolean) =>
  value === undefined ? na : `${value.toFixed(2)}x${target === undefined ? "" : target(value) ? "" : " ✗"}`
const count = (n: number) => (n >= 1_000_000 ? `${n / 1_000_000}M` : n >= 1000 ? `${n / 1000}k` : String(n))

const table = (header: ReadonlyArray<string>, rows: ReadonlyArray<ReadonlyArray<string>>): string => {
  const line = (cells: ReadonlyArray<string>) => `| ${cells.join(" | ")} |`
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n")
}

/** The time table (with the ratios against the targets) and the memory table. */
export const formatTables = (results: ReadonlyArray<BenchResult>): string => {
  const timeRows = results.map((r) => [
    `${r.id} (${r.title.replace("N", count(r.n))})`,
    ms(r, "ours"),
    ms(r, "effect"),
    ms(r, "promise"),
    ms(r, "asyncio"),
    us(r.contenders.ours),
    boundRatio(r, "asyncio") ?? x(ratio(r, "asyncio"), (v) => v <= 1 / 3),
    boundRatio(r, "effect") ?? x(ratio(r, "effect"), (v) => v <= 1.25),
    boundRatio(r, "promise") ?? x(ratio(r, "promise"))
  ])
  const memRows = results.map((r) => [
    r.id,
    bytes(r.contenders.ours?.heapPerPending),
    bytes(r.contenders.effect?.heapPerPending),
    bytes(r.contenders.promise?.heapPerPending),
    bytes(r.contenders.asyncio?.heapPerPending),
    x(
      ratio(r, "effect", (c) => c.heapPerPending),
      (v) => v <= 1.25
    ),
    bytes(r.contenders.ours?.peakRssPerUnit),
    bytes(r.contenders.effect?.peakRssPerUnit),
    bytes(r.contenders.promise?.peakRssPerUnit),
    bytes(r.contenders.asyncio?.peakRssPerUnit)
  ])
  return [
    "Wall time, median (ms); ✗ = misses its target (ours/asyncio <= 0.33x, ours/Effect <= 1.25x)",
    "",
    table(
      [
        "scenario",
        "ours ms",
        "Effect ms",
        "Promise ms",
        "asyncio ms",
        "ours µs/unit",
        "ours/asyncio",
        "ours/Effect",
        "ours/Promise"
      ],
      timeRows
    ),
    "",
    "Memory: heap held per pending task after a full GC (bytes; Python: tracemalloc), and peak RSS growth per task (bytes)",
    "",
    table(
      [
        "scenario",
        "heap ours",
        "heap Effect",
        "heap Promise",
        "heap asyncio",
        "heap ours/Effect",
        "RSS ours",
        "RSS Effect",
        "RSS Promise",
        "RSS asyncio"
      ],
      memRows
    )
  ].join("\n")
}

/** The CPU-bound row (cpu.ts): one line per contender, JavaScript's and CPython's. */
export interface CpuResult {
  /** computations per run */
  readonly n: number
  /** each is fib(fib) */
  readonly fib: number
  readonly rows: ReadonlyArray<{
    readonly label: string
    readonly program: string
    readonly runtime: "node" | "python"
    /** the program of the same runtime the speed-up is against (its loop) */
    readonly baseline: string
    readonly wallMs: number
    readonly runsMs: ReadonlyArray<number>
  }>
}

/** The CPU-bound table: median wall time and the speed-up over the same runtime's loop. */
export const formatCpuTable = (cpu: CpuResult): string => {
  const rows = cpu.rows.map((row) => {
    const base = cpu.rows.find((other) => other.runtime === row.runtime && other.program === row.baseline)
    return [
      row.label,
      row.wallMs < 10 ? row.wallMs.toFixed(2) : row.wallMs.toFixed(0),
      (row.wallMs / cpu.n).toFixed(1),
      base === undefined ? na : `${(base.wallMs / row.wallMs).toFixed(2)}x`,
      row.runsMs.map((ms) => ms.toFixed(0)).join(" ")
    ]
  })
  return [
    `CPU-bound: ${cpu.n} × fib(${cpu.fib}), median wall time (ms) once the workers have started; speed-up over the same runtime on its loop`,
    "",
    table(["contender", "ms", "ms per call", "speed-up", "runs (ms)"], rows)
  ].join("\n")
}
