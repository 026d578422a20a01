/**
 * Comparing the two sides. CPython iterates a few sets of tasks in address order (the leftovers
 * `asyncio.run` cancels, the children of a failing TaskGroup, the awaitables of `as_completed`),
 * so some programs have several CPython logs: `interp.py` runs each program under several heap
 * layouts and returns the distinct logs. effect-asyncio agrees when its log is one of them.
 */
import type { Program } from "./ast.js"
import { FIRST_RUNS, type Logs, MORE_RUNS, type PythonPool } from "./python.js"

/** The index of the first line where the logs differ, or -1. */
export const firstDifference = (a: ReadonlyArray<string>, b: ReadonlyArray<string>): number => {
  const n = Math.max(a.length, b.length)
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i
  return -1
}

/** A log whose interpreter failed: the program is invalid, not a divergence. */
export const broken = (log: ReadonlyArray<string>): boolean => log.some((line) => line.startsWith("!! "))

export interface Verdict {
  readonly agree: boolean
  /** CPython gave several logs (several orders of a set of tasks) */
  readonly unstable: boolean
  /** the CPython log closest to ours (the longest common prefix) */
  readonly python: ReadonlyArray<string>
  readonly logs: Logs
  readonly invalid: boolean
}

const closest = (logs: Logs, ours: ReadonlyArray<string>): ReadonlyArray<string> => {
  let best: ReadonlyArray<string> = logs[0] ?? []
  let bestPrefix = -1
  for (const log of logs) {
    const d = firstDifference(log, ours)
    const prefix = d < 0 ? Number.POSITIVE_INFINITY : d
    if (prefix > bestPrefix) {
      best = log
      bestPrefix = prefix
    }
  }
  return best
}

/** Compares our log with CPython's, asking for more CPython runs when CPython has several orders. */
export const judge = async (
  pool: PythonPool,
  program: Program,
  ours: ReadonlyArray<string>,
  first?: Promise<Logs>
): Promise<Verdict> => {
  let logs = await (first ?? pool.run(program, FIRST_RUNS))
  const matches = (list: Logs) => list.some((log) => firstDifference(log, ours) < 0)
  if (!matches(logs) && logs.length > 1) {
    const more = await pool.run(program, MORE_RUNS)
    const key = (log: ReadonlyArray<string>) => JSON.stringify(log)
    const seen = new Set(logs.map(key))
    logs = [...logs, ...more.filter((log) => !seen.has(key(log)))]
  }
  return {
    agree: matches(logs),
    unstable: logs.length > 1,
    python: closest(logs, ours),
    logs,
    invalid: logs.some(broken)
  }
}
