/**
 * effect-asyncio: Python asyncio's task model on Effect 4.
 *
 * ```ts
 * import * as asyncio from "@effect-asyncio/core"
 *
 * asyncio.run(asyncio.sleep(0.1, "hello")).then(console.log) // hello
 * ```
 *
 * @module @effect-asyncio/core
 * @since 0.1.0
 */

export {
  type AsCompleted,
  type AsCompletedOptions,
  asCompleted,
  type TaskOf
} from "./asCompleted.js"
export { Barrier } from "./barrier.js"
export {
  EventLoop,
  type EventLoopOptions,
  type EventLoopService,
  type ExceptionContext,
  type ExceptionHandler,
  formatExceptionContext,
  getRunningLoop
} from "./events.js"
export {
  type Condition as ExceptionGroupCondition,
  ExceptionGroup,
  exceptStar,
  type LeafErrors,
  type LeafTags,
  type Matched,
  type Rest
} from "./exceptionGroup.js"
export {
  BrokenBarrierError,
  BrokenProcessPool,
  BrokenThreadPool,
  CancelledError,
  InvalidStateError,
  KeyboardInterrupt,
  QueueEmpty,
  QueueFull,
  QueueShutDown,
  RuntimeError,
  SystemExit,
  TimeoutError,
  TypeError,
  ValueError
} from "./exceptions.js"
export {
  type Executor,
  type ExecutorOptions,
  ProcessPoolExecutor,
  type ShutdownOptions,
  ThreadPoolExecutor
} from "./executors.js"
export { createFuture, type Future, type Handle, isFuture, isHandle, type TimerHandle } from "./futures.js"
export {
  type GatherOptions,
  type GatherOutcomes,
  type GatherResults,
  gather
} from "./gather.js"
export {
  type CallGraphOptions,
  captureCallGraph,
  type FrameCallGraphEntry,
  type FutureCallGraph,
  formatCallGraph,
  futureId,
  type PrintCallGraphOptions,
  printCallGraph
} from "./graph.js"
export type { Seconds } from "./internal/time.js"
export { Condition, Event, Lock } from "./locks.js"
export { type FromPromiseOptions, fromPromise, type Submission, type SubmitOptions } from "./promises.js"
export {
  LifoQueue,
  type NaturallyOrdered,
  PriorityQueue,
  type PriorityQueueOptions,
  Queue,
  type QueueOptions
} from "./queues.js"
export { Runner, type RunOptions, run, runEffect, runMain } from "./runners.js"
export { BoundedSemaphore, Semaphore } from "./semaphores.js"
export { shield } from "./shield.js"
export {
  type ChildErrors,
  type GroupErrors,
  TaskGroup,
  type TaskGroupError,
  type TaskGroupScope
} from "./taskgroups.js"
export {
  allTasks,
  allTasksUnsafe,
  type CreateTaskOptions,
  createTask,
  currentTask,
  currentTaskUnsafe,
  ensureFuture,
  isTask,
  sleep,
  type Task
} from "./tasks.js"
export { toThread } from "./threads.js"
export { Timeout, type TimeoutBody, timeout, timeoutAt, waitFor } from "./timeouts.js"
export {
  ALL_COMPLETED,
  FIRST_COMPLETED,
  FIRST_EXCEPTION,
  type ReturnWhen,
  type WaitOptions,
  type WaitResult,
  wait
} from "./wait.js"
export {
  defineWorkerFunctions,
  type WorkerArguments,
  type WorkerFailure,
  type WorkerFunction,
  type WorkerFunctionDefinition,
  type WorkerSuccess
} from "./workerFunctions.js"
