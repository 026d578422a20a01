/**
 * Input checks: every public entry checks its arguments here, so that one rule holds everywhere
 * (the README's Errors section): a bad argument that TypeScript could not rule out is asyncio's
 * `TypeError` (a value of the wrong kind) or `ValueError` (the right kind, a wrong value), with a
 * message that names the argument. The checks throw; an effect that checks its arguments does it
 * where it runs (a throw inside `Effect.suspend` or `Effect.withFiber` is the effect dying with
 * that defect), and a constructor throws synchronously.
 *
 * What is checked, and against which rule:
 * - seconds (`sleep`, `timeout`, `waitFor`, `wait`, `asCompleted`, `callLater`): a number or a
 *   `Duration`; NaN is a `ValueError` everywhere (CPython raises it in `sleep` only);
 * - deadlines in loop time (`timeoutAt`, `reschedule`, `callAt`, `Timeout`): a number, or
 *   `null` for none where asyncio takes `None`;
 * - effects, and functions (callbacks, bodies, handlers, predicates), and what a body function
 *   returns (an effect, else the body dies with `TypeError` where it runs, as a body that raises);
 * - awaitables: an effect or a thenable (a Promise), where one is awaited (`gather`, `shield`,
 *   `waitFor`, `asCompleted`) or made a task (`createTask`, `TaskGroup.createTask`,
 *   `ensureFuture`); `run` takes an effect only;
 * - options objects: an object, with no key the function does not know (Python's "unexpected
 *   keyword argument");
 * - counts (`maxsize`, `parties`, a semaphore's value, `notify(n)`): a number, compared as
 *   CPython compares it (so NaN passes where CPython lets it pass);
 * - tags and conditions of `split` / `exceptStar`; any value is a cancel message, as in CPython.
 *
 * It also holds what messages need to name any value safely: `describe` and `safeString` (whose
 * home is exceptions.ts: an error takes any message) never throw, whatever the value (an object
 * without a prototype, a throwing `toString`, a revoked `Proxy`), and `isInstance` is an
 * `instanceof` that never throws.
 */
import { Cause, Duration, Effect } from "effect"
import * as errors from "../exceptions.js"

// ---------------------------------------------------------------------------------------------
// Naming values in messages
// ---------------------------------------------------------------------------------------------

/** `repr()`-like description of a value for error messages; never throws. */
export const describe = (value: unknown): string => {
  try {
    if (value === null) return "null"
    if (typeof value === "string") return JSON.stringify(value)
    if (typeof value === "function") return `<function ${value.name || "anonymous"}>`
    if (typeof value === "object") return `<${value.constructor?.name ?? "object"} object>`
    return String(value)
  } catch {
    return `<unprintable ${typeof value}>`
  }
}

/** `String(value)` that never throws; its home is exceptions.ts, whose errors take any message. */
export const safeString = errors.safeString

/** `value instanceof constructor`, false where `instanceof` itself would throw (a revoked `Proxy`). */
export const isInstance = <C>(
  value: unknown,
  constructor: abstract new (...args: ReadonlyArray<never>) => C
): value is C => {
  if (value === null || (typeof value !== "object" && typeof value !== "function")) return false
  try {
    return value instanceof constructor
  } catch {
    return false
  }
}

/** `Effect.isEffect`, false where the test itself would throw. */
export const isEffect = (value: unknown): value is Effect.Effect<unknown, unknown, unknown> => {
  try {
    return Effect.isEffect(value)
  } catch {
    return false
  }
}

/**
 * What `await` unwraps: an object or function with a `then` method (an Effect is not one). A
 * thenable is an awaitable everywhere one is awaited (its home is here, so that promise.ts and
 * every check share it without an import cycle); it is never an options object.
 */
export const isThenable = (value: unknown): value is PromiseLike<unknown> => {
  if ((typeof value !== "object" || value === null) && typeof value !== "function") return false
  if (isEffect(value)) return false
  try {
    return typeof (value as { readonly then?: unknown }).then === "function"
  } catch {
    return false
  }
}

/** An effect (a task or future is one) or a thenable: what a combinator can await. */
export const isAwaitable = (value: unknown): boolean => isEffect(value) || isThenable(value)

/** A plain object (`{...}`, or one made by `Object.create(null)`): what an options argument is. */
export const isPlainObject = (value: unknown): value is Record<string, unknown> => {
  if (value === null || typeof value !== "object") return false
  try {
    const proto = Object.getPrototypeOf(value)
    return proto === Object.prototype || proto === null
  } catch {
    return false
  }
}

/**
 * The text of a CancelledError made from a cancel message of any type (CPython: `str(msg)`);
 * `null` and `undefined` are no message, as `cancel(None)` (`CancelledError()`, text '').
 */
export const messageOf = (message: unknown): string =>
  typeof message === "string" ? message : message === null || message === undefined ? "" : safeString(message)

const typeError = (message: string): errors.TypeError => new errors.TypeError({ message })
const valueError = (message: string): errors.ValueError => new errors.ValueError({ message })

// ---------------------------------------------------------------------------------------------
// Time
// ---------------------------------------------------------------------------------------------

const notANumber = (what: string): errors.ValueError => valueError(`Invalid ${what}: NaN (not a number)`)

/**
 * A delay or timeout: a number of seconds or a `Duration`, as seconds (it may be negative or
 * `Infinity`). NaN is a `ValueError`, anything else a `TypeError`.
 */
export const seconds = (value: unknown, what: string): number => {
  if (typeof value === "number") {
    if (Number.isNaN(value)) throw notANumber(what)
    return value
  }
  let duration = false
  try {
    duration = Duration.isDuration(value)
  } catch {}
  if (duration) return Duration.toSeconds(value as Duration.Duration)
  throw typeError(`${what} must be a number of seconds or a Duration, got ${describe(value)}`)
}

/** `seconds`, or `undefined` for `null` / `undefined` (no limit, asyncio's `None`). */
export const optionalSeconds = (value: unknown, what: string): number | undefined =>
  value === null || value === undefined ? undefined : seconds(value, what)

/** A point in loop time (`loop.time()`, seconds), as `call_at(when)` takes it. */
export const loopTime = (value: unknown, what: string): number => {
  if (typeof value !== "number") {
    throw typeError(`${what} must be a number of seconds (loop time), got ${describe(value)}`)
  }
  if (Number.isNaN(value)) throw notANumber(what)
  return value
}

/** A deadline in loop time, or `null` for none (`null` and `undefined`: asyncio's `None`). */
export const deadline = (value: unknown, what: string): number | null => {
  if (value === null || value === undefined) return null
  if (typeof value !== "number") {
    throw typeError(`${what} must be a number of seconds (loop time) or None, got ${describe(value)}`)
  }
  if (Number.isNaN(value)) throw notANumber(what)
  return value
}

// ---------------------------------------------------------------------------------------------
// Effects and functions
// ---------------------------------------------------------------------------------------------

/**
 * An effect where a coroutine is expected (`createTask`, `run`): asyncio's message. `run` raises
 * `ValueError` for it, as `asyncio.run` does; the others `TypeError`.
 */
export const coroutine = (
  value: unknown,
  error: typeof errors.TypeError | typeof errors.ValueError = errors.TypeError
): Effect.Effect<unknown, unknown, unknown> => {
  if (isEffect(value)) return value
  throw new error({ message: `a coroutine was expected, got ${describe(value)}` })
}

/**
 * An effect, or a thenable, where a coroutine is expected by a function that also takes a Promise
 * (`createTask`, `TaskGroup.createTask`, `ensureFuture`): the thenable is awaited by the task.
 */
export const coroutineOrThenable = (
  value: unknown
): Effect.Effect<unknown, unknown, unknown> | PromiseLike<unknown> => {
  if (isEffect(value) || isThenable(value)) return value
  throw typeError(`a coroutine was expected, got ${describe(value)}`)
}

/** The defect for a non-awaitable where a future, an effect or a Promise is awaited (`ensure_future`'s). */
export const notAwaitable = (value: unknown): errors.TypeError =>
  typeError(`An asyncio.Future, a coroutine or an awaitable is required, got ${describe(value)}`)

/**
 * An awaitable where one is awaited (`gather`, `shield`, `waitFor`...): an effect (a task or
 * future is one) or a thenable (a Promise).
 */
export const awaitable = (
  value: unknown
): Effect.Effect<unknown, unknown, unknown> | PromiseLike<unknown> => {
  if (isEffect(value) || isThenable(value)) return value
  throw notAwaitable(value)
}

/**
 * `awaitable` of each value (gather's arguments): one guarded loop, not a guarded call per value,
 * so that checking 100k effects costs what `Effect.isEffect` costs (a non-effect is then asked
 * whether it is a thenable, which never throws).
 */
export const awaitables = (values: ReadonlyArray<unknown>): void => {
  let i = 0
  for (;;) {
    try {
      for (; i < values.length; i++) if (!Effect.isEffect(values[i])) break
    } catch {
      // `isEffect` threw on values[i] (a revoked Proxy): not an effect
    }
    if (i >= values.length) return
    if (!isThenable(values[i])) throw notAwaitable(values[i])
    i++
  }
}

/** The body of a block (`lock.use(body)`): an effect. */
export const body = (value: unknown, what: string): Effect.Effect<unknown, unknown, unknown> => {
  if (isEffect(value)) return value
  throw typeError(`${what} body must be an effect, got ${describe(value)}`)
}

/** A function argument (a body, a handler, a predicate, an order). */
export const func = (value: unknown, what: string): ((...args: ReadonlyArray<never>) => unknown) => {
  if (typeof value === "function") return value as (...args: ReadonlyArray<never>) => unknown
  throw typeError(`${what} must be a function, got ${describe(value)}`)
}

/** A callback of the loop (`call_soon`...), with asyncio's `_check_callback` message. */
export const callback = (value: unknown, method: string): ((...args: ReadonlyArray<never>) => unknown) => {
  if (typeof value === "function") return value as (...args: ReadonlyArray<never>) => unknown
  throw typeError(`a callable object was expected by ${method}(), got ${describe(value)}`)
}

/** The loop's exception handler: a function, or `null` / `undefined` for the default one. */
export const exceptionHandler = (value: unknown): void => {
  if (value !== undefined && value !== null && typeof value !== "function") {
    throw typeError(`A callable object or None is expected, got ${describe(value)}`)
  }
}

/**
 * What a body function returned: an effect, or an effect that dies with `TypeError` (as a body
 * that raises; a non-effect must never reach Effect's run loop, which would end the fiber
 * without running its finalizers).
 */
export const returned = <A, E, R>(value: Effect.Effect<A, E, R>, what: string): Effect.Effect<A, E, R> =>
  isEffect(value) ? value : Effect.die(typeError(`${what} must return an effect, got ${describe(value)}`))

// ---------------------------------------------------------------------------------------------
// Options, counts, tags
// ---------------------------------------------------------------------------------------------

/**
 * An options argument (asyncio's keyword arguments): `undefined`, or an object whose keys are
 * all known to `fn` (a misspelt option is Python's "unexpected keyword argument").
 */
export const options = <T extends object>(
  value: T | undefined,
  fn: string,
  keys: ReadonlyArray<string>
): T | undefined => {
  if (value === undefined) return undefined
  // a Promise, an array, an effect or any other class's instance in its place is a bug
  // a thenable is never an options object, even a plain `{ then }`
  if (!isPlainObject(value) || isThenable(value)) {
    throw typeError(`${fn}() options must be an object, got ${describe(value)}`)
  }
  let names: ReadonlyArray<string>
  try {
    names = Object.keys(value)
  } catch {
    throw typeError(`${fn}() options must be an object, got ${describe(value)}`)
  }
  for (const name of names) {
    if (!keys.includes(name)) {
      throw typeError(
        `${fn}() got an unexpected option ${JSON.stringify(name)} (it takes ${keys.map((key) => JSON.stringify(key)).join(", ")})`
      )
    }
  }
  return value
}

/**
 * A count (`maxsize`, `parties`, a semaphore's value, `notify(n)`): a number, compared with
 * `minimum` as CPython compares it (`if value < minimum: raise ValueError(tooSmall)`), so NaN and
 * `Infinity` pass where they pass in CPython.
 */
export const count = (value: unknown, what: string, minimum?: number, tooSmall?: string): number => {
  if (typeof value !== "number") throw typeError(`${what} must be a number, got ${describe(value)}`)
  if (minimum !== undefined && value < minimum) throw valueError(tooSmall ?? `${what} must be >= ${minimum}`)
  return value
}

/** The condition of `split` / `subgroup` / `exceptStar`: a tag, an array of tags, or a predicate. */
export const condition = (value: unknown, what: string): void => {
  if (typeof value === "string" || typeof value === "function") return
  if (Array.isArray(value) && value.every((tag) => typeof tag === "string")) return
  throw typeError(`${what} expects a tag, an array of tags or a predicate, got ${describe(value)}`)
}

/** A context for the loop's exception handler: an object (asyncio's dict). */
export const exceptionContext = (value: unknown, method: string): void => {
  if (value === null || typeof value !== "object") {
    throw typeError(`${method}() context must be an object, got ${describe(value)}`)
  }
}

/** A string argument (a group's message). */
export const string = (value: unknown, what: string): string => {
  if (typeof value === "string") return value
  throw typeError(`${what} must be a string, got ${describe(value)}`)
}

/** An array argument (a group's exceptions or defects). */
export const array = <A>(value: ReadonlyArray<A>, what: string): ReadonlyArray<A> => {
  if (Array.isArray(value)) return value
  throw typeError(`${what} must be an array, got ${describe(value)}`)
}

/** An Effect `Cause`. */
export const cause = <E>(value: Cause.Cause<E>, what: string): Cause.Cause<E> => {
  let ok = false
  try {
    ok = Cause.isCause(value)
  } catch {}
  if (ok) return value
  throw typeError(`${what} must be a Cause, got ${describe(value)}`)
}
