/**
 * What the thread and process tests share: the Node options of their workers, and helpers to
 * read what a worker left behind.
 *
 * vitest runs the tests through its own module runner, which a worker does not have: a worker
 * inherits vitest's options (the package's source condition among them) and gets tsx's loader
 * on top, so that it imports test/fixtures/workers.ts and the library's TypeScript sources.
 */
import { existsSync, mkdtempSync, readFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"

export const execArgv: ReadonlyArray<string> = [...process.execArgv, "--import", "tsx"]

/** A fresh directory for the side effects of one test file's workers. */
export const scratch = (): string => mkdtempSync(join(tmpdir(), "effect-asyncio-threads-"))

/** The lines a worker appended to `file` (none if it never wrote). */
export const linesIn = (file: string): Array<string> =>
  existsSync(file)
    ? readFileSync(file, "utf8")
        .split("\n")
        .filter((line) => line !== "")
    : []

/** The calls of `busy` that finished (their "started" lines left out). */
export const finished = (file: string): Array<string> =>
  linesIn(file).filter((line) => !line.startsWith("started "))

/**
 * Waits (on the loop, at most 20 s) until a worker started `busy(..., file, line)`. It yields a
 * turn first, always: a task created just before then awaits its call's future. (A worker can
 * start the call before that task's first step; a task cancelled before its first step never
 * awaits the future, so it would not cancel the call, as in CPython.)
 */
export const untilStarted = (file: string, line: string): Effect.Effect<void, never, asyncio.EventLoop> =>
  Effect.gen(function* () {
    yield* asyncio.sleep(0)
    const deadline = Date.now() + 20_000
    while (!linesIn(file).includes(`started ${line}`)) {
      if (Date.now() > deadline) return yield* Effect.die(`${line} never started`)
      yield* asyncio.sleep(0.01)
    }
  })

/** Resolves once `done()` holds (checked every 10 ms), or rejects after 20 s. */
export const eventually = async (what: string, done: () => boolean): Promise<void> => {
  const deadline = Date.now() + 20_000
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`${what}: not within 20 s`)
    await waitMs(10)
  }
}

/** Real time passes (a worker's work is real): resolves after `ms` milliseconds. */
export const waitMs = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/** The largest number of the `spans` that overlap at one instant. */
export const maxOverlap = (
  spans: ReadonlyArray<{ readonly start: number; readonly end: number }>
): number => {
  const events = spans.flatMap((span) => [
    [span.start, 1],
    [span.end, -1]
  ])
  // an end and a start at the same millisecond do not overlap
  events.sort((a, b) => (a[0] ?? 0) - (b[0] ?? 0) || (a[1] ?? 0) - (b[1] ?? 0))
  let running = 0
  let most = 0
  for (const [, delta] of events) {
    running += delta ?? 0
    most = Math.max(most, running)
  }
  return most
}
