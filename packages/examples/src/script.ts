/**
 * `if __name__ == "__main__": asyncio.run(main())` for the examples: each example module exports
 * its program as an Effect (so tests run it on TestClock and read its output from `TestConsole`)
 * and runs it with real time only when it is the file Node was started on.
 */
import { realpathSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { isMainThread } from "node:worker_threads"
import * as asyncio from "@effect-asyncio/core"
import type { Effect } from "effect"

/**
 * True when `moduleUrl` (a module's `import.meta.url`) is the script Node was started on. Never
 * in a worker thread, whose `process.argv` is its parent's: a worker that imports an example's
 * module (for its worker functions) does not run the example.
 */
export const isMain = (moduleUrl: string): boolean => {
  if (!isMainThread) return false
  const script = process.argv[1]
  if (script === undefined) return false
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(moduleUrl))
  } catch {
    return false
  }
}

/** `asyncio.run(main())` when the module is run as a script; nothing when it is imported. */
export const runIfMain = <A, E>(
  moduleUrl: string,
  main: Effect.Effect<A, E, asyncio.EventLoop>,
  options?: asyncio.RunOptions
): void => {
  if (isMain(moduleUrl)) void asyncio.runMain(main, options)
}
