/**
 * How a loop reaches its executors without importing them: internal/executor.ts installs its
 * `LoopExecutors` here when a program first defines a worker function or makes an executor,
 * which every use of `runInExecutor` needs first. So a program without threads carries none of
 * their code (Effect's `Pool`, its workers, the codecs): its bundle stays as it was.
 */
import type { FutureImpl, FutureLoop } from "./future.js"

/** What a call in a worker needs of the loop whose future it completes. */
export interface ExecutorLoop extends FutureLoop {
  isClosed(): boolean
}

/** What the default executor's shutdown needs of its loop: futures and a timer. */
export interface DefaultExecutorLoop extends ExecutorLoop {
  createFuture<A, E = never>(): FutureImpl<A, E>
  callLater(delay: number, callback: () => void): { cancel(): void }
}

/** A loop's executors, as the loop sees them (internal/executor.ts's `LoopExecutors`). */
export interface LoopExecutorsLike {
  submit(
    loop: ExecutorLoop,
    executor: unknown,
    fn: unknown,
    args: ReadonlyArray<unknown>,
    caller: string
  ): FutureImpl<unknown, unknown>
  setDefault(executor: unknown): void
  shutdownDefault(loop: DefaultExecutorLoop, timeout: number | undefined): FutureImpl<void> | undefined
}

/** The maker of a loop's executors, once installed. */
export const executorHook: { make: (() => LoopExecutorsLike) | undefined } = { make: undefined }

/** What a caller is told of a function no worker can run (none is defined yet, or not this one). */
export const notAWorkerFunction = (caller: string, fn: string): string =>
  `${caller}() ${fn} cannot be sent to a worker: a worker runs only functions defined with defineWorkerFunctions(import.meta.url, { ... }) at the top level of a module, which it imports (a closure cannot cross a thread)`
