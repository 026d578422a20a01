/**
 * How a task's fiber exit reads as asyncio's outcome: cancelled or not, the CancelledError the
 * body raised, the cause an awaiter sees, and the result or exception a task's repr shows.
 */
import { Cause } from "effect"
import { CancelledError } from "../exceptions.js"
import { describe, isInstance, isPlainObject, isThenable } from "./validate.js"

/**
 * The task was cancelled: interrupted, or its body failed with `CancelledError` (asyncio: a
 * coroutine that raises CancelledError, e.g. from awaiting a cancelled task, cancels its task),
 * with no other failure or defect beside it.
 */
export const isCancellation = (cause: Cause.Cause<unknown>): boolean =>
  cause.reasons.length > 0 &&
  cause.reasons.every(
    (reason) =>
      Cause.isInterruptReason(reason) ||
      (Cause.isFailReason(reason) && isInstance(reason.error, CancelledError))
  )

/**
 * A `CancelledError` the library makes for whoever awaits a cancelled task (CPython's
 * `_make_cancelled_error`). It carries no stack trace: one made here would show only the
 * scheduler's frames, and capturing it was most of the cost of cancelling a task (about 4 µs of
 * 4.5 µs per error; measured with bench/ `cancel`). An error a body raises keeps its stack.
 *
 * A bare one (no message: most cancellations) is one shared instance: constructing a Schema
 * error costs about 2 µs, most of what cancelling a task costs beside Effect's own work. Only
 * its identity tells it from a new one; `CancelledError()` carries nothing else.
 */
export const cancelledErrorUnsafe = (message: string): CancelledError => {
  if (message !== "") return makeCancelledError(message)
  if (bareCancelledError === undefined) bareCancelledError = makeCancelledError("")
  return bareCancelledError
}

let bareCancelledError: CancelledError | undefined

const makeCancelledError = (message: string): CancelledError => {
  const limit = Error.stackTraceLimit
  Error.stackTraceLimit = 0
  try {
    return new CancelledError({ message })
  } finally {
    Error.stackTraceLimit = limit
  }
}

/** The CancelledError the body failed with itself (asyncio's `_cancelled_exc`), if any. */
export const ownCancelledError = (cause: Cause.Cause<unknown>): CancelledError | undefined => {
  for (const reason of cause.reasons) {
    if (Cause.isFailReason(reason) && isInstance(reason.error, CancelledError)) return reason.error
  }
  return undefined
}

/** asyncio: an exception raised while cancelling replaces the CancelledError. */
export const withoutInterrupts = <E>(cause: Cause.Cause<E>): Cause.Cause<E> =>
  Cause.fromReasons(cause.reasons.filter((reason) => !Cause.isInterruptReason(reason)))

/**
 * Python's `repr` of a string: single quotes unless the text has a single quote and no double
 * quote; backslash, the quote and control characters escaped (newline as `\n`, BEL as `\x07`).
 */
const pyStr = (text: string): string => {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'"
  let out = quote
  for (const char of text) {
    const code = char.codePointAt(0) as number
    if (char === "\\" || char === quote) out += `\\${char}`
    else if (char === "\n") out += "\\n"
    else if (char === "\r") out += "\\r"
    else if (char === "\t") out += "\\t"
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, "0")}`
    else out += char
  }
  return out + quote
}

/**
 * Python's `repr()` of a result, an argument or an exception, as asyncio's reprs show it:
 * `'abc'`, `None` (for `undefined` and `null`), `True`, `[1, 'x']`, `ValueError('x')`,
 * `RuntimeError()` (an empty message), a task or future by its own repr.
 */
export const pyRepr = (value: unknown): string => reprOf(value, [])

/** `pyRepr`, with the containers being shown (a container inside itself is `[...]` / `{...}`). */
const reprOf = (value: unknown, shown: Array<unknown>): string => {
  try {
    if (typeof value === "string") return pyStr(value)
    if (value === undefined || value === null) return "None"
    if (value === true) return "True"
    if (value === false) return "False"
    if (Array.isArray(value)) {
      if (shown.includes(value)) return "[...]"
      shown.push(value)
      const text = `[${value.map((item) => reprOf(item, shown)).join(", ")}]`
      shown.pop()
      return text
    }
    // a plain object is Python's dict
    if (isPlainObject(value) && !isThenable(value)) {
      if (shown.includes(value)) return "{...}"
      shown.push(value)
      const text = `{${Object.entries(value)
        .map(([key, item]) => `${pyStr(key)}: ${reprOf(item, shown)}`)
        .join(", ")}}`
      shown.pop()
      return text
    }
    if (isInstance(value, Error)) return `${value.name}(${value.message === "" ? "" : pyRepr(value.message)})`
    if (typeof value === "object" && value.toString !== Object.prototype.toString) return String(value)
  } catch {
    // a value that cannot be shown as itself (a throwing toString, a revoked Proxy): described
  }
  return describe(value)
}

/** The exception a finished task's repr shows: `ValueError('x')`. */
export const showCause = (cause: Cause.Cause<unknown>): string => pyRepr(Cause.squash(cause))
