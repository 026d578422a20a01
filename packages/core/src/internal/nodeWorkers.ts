/**
 * The Node side of the pools, loaded by `import()` when an executor starts its first worker, so
 * that the library imports neither `node:worker_threads` nor `@effect/platform-node` (an
 * optional peer dependency) until a program uses threads or processes.
 *
 * A worker is a `worker_threads` Worker or a child process (`fork`, with the "advanced"
 * serialization: structured clone, as `postMessage`), both running internal/workerHost, and both
 * reached through `@effect/platform-node`'s `NodeWorker` platform.
 */

import { type ChildProcess, fork } from "node:child_process"
import { fileURLToPath } from "node:url"
import { Worker } from "node:worker_threads"
import * as NodeWorker from "@effect/platform-node/NodeWorker"

/** The Node object behind a worker, as the pool needs it: to stop it or to let it keep Node alive. */
export interface NodeWorkerHandle {
  /** Ends the worker at once (`worker.terminate()`, `SIGKILL` for a process). */
  readonly kill: () => void
  /** Lets Node exit while the worker lives (once its listeners are on: adding one refs it again). */
  readonly unref: () => void
}

export interface SpawnOptions {
  readonly kind: "thread" | "process"
  readonly host: URL
  readonly execArgv: ReadonlyArray<string> | undefined
}

/**
 * A worker, unreferenced: an idle pool never keeps Node running (the executor keeps it alive
 * while it has work, see internal/executor.ts).
 */
export const spawn = (
  options: SpawnOptions
): { readonly node: Worker | ChildProcess; readonly handle: NodeWorkerHandle } => {
  const execArgv = options.execArgv === undefined ? undefined : [...options.execArgv]
  if (options.kind === "thread") {
    const worker = new Worker(options.host, execArgv === undefined ? {} : { execArgv })
    const unref = () => worker.unref()
    unref()
    return { node: worker, handle: { kill: () => void worker.terminate(), unref } }
  }
  const child = fork(fileURLToPath(options.host), [], {
    serialization: "advanced",
    stdio: ["ignore", "inherit", "inherit", "ipc"],
    ...(execArgv === undefined ? {} : { execArgv })
  })
  const unref = () => {
    child.unref()
    child.channel?.unref()
  }
  unref()
  return { node: child, handle: { kill: () => void child.kill("SIGKILL"), unref } }
}

export const layer = NodeWorker.layer
