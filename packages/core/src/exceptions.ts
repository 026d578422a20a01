/**
 * The errors of `asyncio.exceptions`, plus the built-in exceptions asyncio raises for bad
 * arguments and misuse (`ValueError`, `TypeError`, `RuntimeError`, `KeyboardInterrupt`,
 * `SystemExit`).
 *
 * Each is a `Schema.TaggedError`: yield it to fail, handle it with `Effect.catchTag`.
 *
 * Which channel an error travels in follows one rule (see the README):
 * - errors a correct program can meet (`CancelledError` from a cancelled task,
 *   `InvalidStateError` from `result()` on a pending task, `TimeoutError`, `RuntimeError` from
 *   using a closed runner or group) are typed failures in the `E` channel;
 * - a bad argument that TypeScript could not rule out (a NaN delay, a non-effect value passed
 *   from untyped code) is a bug: the effect dies with asyncio's error class as its defect, so it
 *   does not widen every `E` of every program that sleeps.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"

/** What every error of this module holds. */
interface ErrorFields {
  readonly message: string
}

/**
 * `String(value)` that never throws (an object without a prototype, a throwing `toString`, a
 * revoked `Proxy`): how a message or any value is named in an error.
 *
 * @internal
 */
export const safeString = (value: unknown): string => {
  try {
    return String(value)
  } catch {
    try {
      return Object.prototype.toString.call(value)
    } catch {
      return "<unprintable>"
    }
  }
}

/**
 * The fields of an error made from untyped code, as Python's `Exception(arg)` takes any `arg`: a
 * message that is not a string is its text (`str(arg)`), none is '' (`str(Exception())`), and a
 * bare value in place of the fields is the message (`new ValueError("boom")`). A string message,
 * what TypeScript asks for, passes as it is.
 */
const fieldsOf = (props: unknown): ErrorFields => {
  if (typeof props === "object" && props !== null) {
    let message: unknown
    try {
      message = (props as { readonly message?: unknown }).message
    } catch {
      return { message: "<unprintable>" }
    }
    if (typeof message === "string") return props as ErrorFields
    const text = message === undefined || message === null ? "" : safeString(message)
    try {
      return { ...(props as object), message: text }
    } catch {
      // fields that cannot be copied (a getter that throws): the message alone
      return { message: text }
    }
  }
  return { message: props === undefined || props === null ? "" : safeString(props) }
}

/**
 * Seen by whoever awaits a cancelled task; `message` is the message given to `cancel(msg)`
 * ("" when none was given, as `str(CancelledError())` in Python).
 *
 * Inside the task itself cancellation is interruption: cleanup goes in `Effect.onInterrupt`,
 * `Effect.ensuring` or `Effect.acquireRelease`, and always runs.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import * as asyncio from "@effect-asyncio/core"
 *
 * const program = Effect.gen(function* () {
 *   const task = yield* asyncio.createTask(asyncio.sleep(10))
 *   yield* task.cancel("stop")
 *   return yield* Effect.flip(task) // CancelledError { message: "stop" }
 * })
 * asyncio.run(program).then((e) => console.log(e._tag, e.message)) // CancelledError stop
 * ```
 * @category Exceptions
 * @since 0.1.0
 */
export class CancelledError extends Schema.TaggedError<CancelledError>()("CancelledError", {
  message: Schema.String
}) {
  constructor(props: { readonly message: string }, options?: Schema.MakeOptions) {
    super(fieldsOf(props), options)
  }
}

/**
 * The deadline of `timeout`, `waitFor` or `asCompleted` passed.
 *
 * @example
 * ```ts
 * import * as asyncio from "@effect-asyncio/core"
 * const error = new asyncio.TimeoutError({ message: "" })
 * console.log(error._tag) // TimeoutError
 * ```
 * @category Exceptions
 * @since 0.1.0
 */
export class TimeoutError extends Schema.TaggedError<TimeoutError>()("TimeoutError", {
  message: Schema.String
}) {
  constructor(props: { readonly message: string }, options?: Schema.MakeOptions) {
    super(fieldsOf(props), options)
  }
}

/**
 * An operation was asked of a task or future in the wrong state, e.g. `result()` while pending.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import * as asyncio from "@effect-asyncio/core"
 *
 * const program = Effect.gen(function* () {
 *   const task = yield* asyncio.createTask(asyncio.sleep(1))
 *   return yield* Effect.flip(task.result()) // InvalidStateError
 * })
 * asyncio.run(program).then((e) => console.log(e.message)) // Result is not set.
 * ```
 * @category Exceptions
 * @since 0.1.0
 */
export class InvalidStateError extends Schema.TaggedError<InvalidStateError>()("InvalidStateError", {
  message: Schema.String
}) {
  constructor(props: { readonly message: string }, options?: Schema.MakeOptions) {
    super(fieldsOf(props), options)
  }
}

/**
 * Python's `ValueError`: an argument has the right type but a wrong value (a NaN delay, a
 * negative semaphore value, an empty `wait()`...).
 *
 * @example
 * ```ts
 * import { Cause, Effect, Exit } from "effect"
 * import * as asyncio from "@effect-asyncio/core"
 *
 * Effect.runPromiseExit(asyncio.sleep(Number.NaN)).then((exit) => {
 *   if (Exit.isFailure(exit)) console.log(String(Cause.squash(exit.cause))) // ValueError: Invalid delay: NaN (not a number)
 * })
 * ```
 * @category Exceptions
 * @since 0.1.0
 */
export class ValueError extends Schema.TaggedError<ValueError>()("ValueError", {
  message: Schema.String
}) {
  constructor(props: { readonly message: string }, options?: Schema.MakeOptions) {
    super(fieldsOf(props), options)
  }
}

/**
 * Python's `TypeError`: an argument of the wrong kind (a plain value where an effect or a task
 * is expected).
 *
 * @example
 * ```ts
 * import * as asyncio from "@effect-asyncio/core"
 * console.log(new asyncio.TypeError({ message: "a coroutine was expected" })._tag) // TypeError
 * ```
 * @category Exceptions
 * @since 0.1.0
 */
export class TypeError extends Schema.TaggedError<TypeError>()("TypeError", {
  message: Schema.String
}) {
  constructor(props: { readonly message: string }, options?: Schema.MakeOptions) {
    super(fieldsOf(props), options)
  }
}

/**
 * Python's `RuntimeError`: misuse of a loop, runner or group (running a closed `Runner`,
 * creating a task in a finished `TaskGroup`...).
 *
 * @example
 * ```ts
 * import * as asyncio from "@effect-asyncio/core"
 * console.log(new asyncio.RuntimeError({ message: "Runner is closed" })._tag) // RuntimeError
 * ```
 * @category Exceptions
 * @since 0.1.0
 */
export class RuntimeError extends Schema.TaggedError<RuntimeError>()("RuntimeError", {
  message: Schema.String
}) {
  constructor(props: { readonly message: string }, options?: Schema.MakeOptions) {
    super(fieldsOf(props), options)
  }
}

/**
 * The main task was cancelled because the process received SIGINT (Ctrl-C), as
 * `asyncio.run` raises `KeyboardInterrupt`. A command-line program exits with code 130.
 *
 * @example
 * ```ts
 * import * as asyncio from "@effect-asyncio/core"
 *
 * setTimeout(() => process.kill(process.pid, "SIGINT"), 100) // as if Ctrl-C were pressed
 * asyncio.run(asyncio.sleep(3600)).catch((error) => {
 *   console.log(error instanceof asyncio.KeyboardInterrupt) // true
 * })
 * ```
 * @category Exceptions
 * @since 0.1.0
 */
export class KeyboardInterrupt extends Schema.TaggedError<KeyboardInterrupt>()("KeyboardInterrupt", {
  message: Schema.String
}) {
  constructor(props: { readonly message: string }, options?: Schema.MakeOptions) {
    super(fieldsOf(props), options)
  }
}

/**
 * Python's `SystemExit(code)`: the process is to exit with `code`. `run` rejects with it when a
 * signal of `gracefulSignals` (SIGTERM...) cancelled the main task, with `128 +` the signal's
 * number (143 for SIGTERM), the code a process killed by that signal reports; `runMain` then exits
 * with it, printing nothing (as Python does for `sys.exit(143)`). Like `KeyboardInterrupt` (the
 * two are asyncio's `(SystemExit, KeyboardInterrupt)`), raised in a task it stops the loop and
 * escapes a `TaskGroup` as it is.
 *
 * @example
 * ```ts
 * import * as asyncio from "@effect-asyncio/core"
 *
 * const exit = new asyncio.SystemExit({ code: 143, message: "143" })
 * console.log(exit._tag, exit.code) // SystemExit 143
 * ```
 * @category Exceptions
 * @since 0.2.0
 */
export class SystemExit extends Schema.TaggedError<SystemExit>()("SystemExit", {
  code: Schema.Number,
  message: Schema.String
}) {
  constructor(props: { readonly code: number; readonly message: string }, options?: Schema.MakeOptions) {
    super(systemExitFields(props), options)
  }
}

/**
 * The fields of a `SystemExit` from any value, as Python's `SystemExit(arg)` takes any argument:
 * the message as any error's; the code a number as given, 0 for none (`SystemExit()` exits 0), 1
 * for any other value (Python's exit status for `sys.exit("text")`). A bare number is the code.
 */
const systemExitFields = (props: unknown): { readonly code: number; readonly message: string } => {
  const { message } = fieldsOf(props)
  let code: unknown = props
  if (typeof props === "object" && props !== null) {
    try {
      code = (props as { readonly code?: unknown }).code
    } catch {
      code = 1
    }
  }
  return { code: typeof code === "number" ? code : code === undefined || code === null ? 0 : 1, message }
}

/**
 * `queue.getNowait()` on an empty queue.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import * as asyncio from "@effect-asyncio/core"
 *
 * const queue = new asyncio.Queue<number>()
 * Effect.runPromise(Effect.flip(queue.getNowait())).then((e) => console.log(e._tag)) // QueueEmpty
 * ```
 * @category Exceptions
 * @since 0.1.0
 */
export class QueueEmpty extends Schema.TaggedError<QueueEmpty>()("QueueEmpty", {
  message: Schema.String
}) {
  constructor(props: { readonly message: string }, options?: Schema.MakeOptions) {
    super(fieldsOf(props), options)
  }
}

/**
 * `queue.putNowait(item)` on a full queue.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import * as asyncio from "@effect-asyncio/core"
 *
 * const queue = new asyncio.Queue<number>({ maxsize: 1 })
 * const program = Effect.andThen(queue.putNowait(1), Effect.flip(queue.putNowait(2)))
 * Effect.runPromise(program).then((e) => console.log(e._tag)) // QueueFull
 * ```
 * @category Exceptions
 * @since 0.1.0
 */
export class QueueFull extends Schema.TaggedError<QueueFull>()("QueueFull", {
  message: Schema.String
}) {
  constructor(props: { readonly message: string }, options?: Schema.MakeOptions) {
    super(fieldsOf(props), options)
  }
}

/**
 * Putting into a queue that was shut down, or getting from one that was shut down and is empty
 * (at once with `shutdown(true)`), as 3.13's `asyncio.QueueShutDown`.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import * as asyncio from "@effect-asyncio/core"
 *
 * const queue = new asyncio.Queue<number>()
 * const program = Effect.andThen(queue.shutdown(), Effect.flip(queue.put(1)))
 * asyncio.run(program).then((e) => console.log(e._tag)) // QueueShutDown
 * ```
 * @category Exceptions
 * @since 0.1.0
 */
export class QueueShutDown extends Schema.TaggedError<QueueShutDown>()("QueueShutDown", {
  message: Schema.String
}) {
  constructor(props: { readonly message: string }, options?: Schema.MakeOptions) {
    super(fieldsOf(props), options)
  }
}

/**
 * A `Barrier` was aborted, or reset while tasks were waiting at it.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import * as asyncio from "@effect-asyncio/core"
 *
 * const barrier = new asyncio.Barrier(2)
 * const program = Effect.andThen(barrier.abort(), Effect.flip(barrier.wait()))
 * asyncio.run(program).then((e) => console.log(e.message)) // Barrier aborted
 * ```
 * @category Exceptions
 * @since 0.1.0
 */
export class BrokenBarrierError extends Schema.TaggedError<BrokenBarrierError>()("BrokenBarrierError", {
  message: Schema.String
}) {
  constructor(props: { readonly message: string }, options?: Schema.MakeOptions) {
    super(fieldsOf(props), options)
  }
}

/**
 * A worker of a `ThreadPoolExecutor` ended while it ran a call (it crashed, ran out of memory,
 * called `process.exit()`, or could not start), as `concurrent.futures.thread.BrokenThreadPool`.
 * The call fails with it; the pool replaces the worker for the next calls.
 *
 * @example
 * ```ts
 * import * as asyncio from "@effect-asyncio/core"
 * const error = new asyncio.BrokenThreadPool({ message: "A thread in the thread pool was terminated abruptly" })
 * console.log(error._tag) // BrokenThreadPool
 * ```
 * @category Exceptions
 * @since 0.2.0
 */
export class BrokenThreadPool extends Schema.TaggedError<BrokenThreadPool>()("BrokenThreadPool", {
  message: Schema.String
}) {
  constructor(props: { readonly message: string }, options?: Schema.MakeOptions) {
    super(fieldsOf(props), options)
  }
}

/**
 * A worker process of a `ProcessPoolExecutor` ended while it ran a call (killed, crashed,
 * `process.exit()`, or it could not start), as `concurrent.futures.process.BrokenProcessPool`:
 * "A process in the process pool was terminated abruptly while the future was running or pending."
 * The call fails with it; the pool replaces the process for the next calls.
 *
 * @example
 * ```ts
 * import * as asyncio from "@effect-asyncio/core"
 * const error = new asyncio.BrokenProcessPool({ message: "A process in the process pool was terminated abruptly" })
 * console.log(error._tag) // BrokenProcessPool
 * ```
 * @category Exceptions
 * @since 0.2.0
 */
export class BrokenProcessPool extends Schema.TaggedError<BrokenProcessPool>()("BrokenProcessPool", {
  message: Schema.String
}) {
  constructor(props: { readonly message: string }, options?: Schema.MakeOptions) {
    super(fieldsOf(props), options)
  }
}
