/**
 * The TypeScript side of the interleavings suite: runs a program's `main(log)` as harness.py runs
 * the Python one (asyncio.run on virtual time, exception handler reports logged as `! <message>`)
 * and appends how main ended in the same format: `-> ok`, `-> ok: <repr>`, `-> <Class>: <message>`,
 * `-> ExceptionGroup: [ValueError: x, ...]`.
 *
 * `log(...parts)` joins its parts as Python's `print` does (`str` of each, separated by spaces):
 * booleans print as `True` / `False`, `undefined` / `null` as `None`, arrays as Python lists.
 */
import type * as asyncio from "@effect-asyncio/core"
import { runVirtual } from "@effect-asyncio/core/testing"
import { Cause, Effect, Exit } from "effect"

/** `log(...)` of a program: appends one line, synchronously (usable from done callbacks). */
export type Log = (...parts: ReadonlyArray<unknown>) => void

/** What a program module exports. */
export interface Program {
  readonly main: (log: Log) => Effect.Effect<unknown, unknown, asyncio.EventLoop>
  readonly options?: asyncio.EventLoopOptions
}

const isTagged = (value: unknown): value is { readonly _tag: string; readonly message?: unknown } =>
  typeof value === "object" && value !== null && typeof (value as { _tag?: unknown })._tag === "string"

/** Python's `repr` of a string: single quotes unless the string holds one and no double quote. */
const reprString = (s: string): string => {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'"
  let out = ""
  for (const ch of s) {
    if (ch === "\\") out += "\\\\"
    else if (ch === quote) out += `\\${ch}`
    else if (ch === "\n") out += "\\n"
    else if (ch === "\t") out += "\\t"
    else out += ch
  }
  return `${quote}${out}${quote}`
}

/** Python's `str(value)` for the values programs log. */
export const str = (value: unknown): string => {
  if (typeof value === "string") return value
  if (isTagged(value) && typeof value.message === "string") return value.message
  return repr(value)
}

/** Python's `repr(value)` for the values programs log or return. */
export const repr = (value: unknown): string => {
  if (value === undefined || value === null) return "None"
  if (typeof value === "boolean") return value ? "True" : "False"
  if (typeof value === "string") return reprString(value)
  if (typeof value === "number" || typeof value === "bigint") return String(value)
  if (Array.isArray(value)) return `[${value.map(repr).join(", ")}]`
  if (isTagged(value) && typeof value.message === "string")
    return `${value._tag}(${reprString(value.message)})`
  return String(value)
}

/** harness.py's `describe`: how an exception (or a result) is printed in the outcome line. */
export const describe = (value: unknown): string => {
  if (isTagged(value) && value._tag === "ExceptionGroup") {
    const group = value as unknown as asyncio.ExceptionGroup<unknown>
    const inner = group.reasons.map((reason) =>
      describe(Cause.isFailReason(reason) ? reason.error : reason.defect)
    )
    return `ExceptionGroup: [${inner.join(", ")}]`
  }
  if (isTagged(value) && typeof value.message === "string") return `${value._tag}: ${value.message}`
  if (value instanceof Error) return `${value.name}: ${value.message}`
  return repr(value)
}

/** The outcome line for main's exit. */
const outcome = (exit: Exit.Exit<unknown, unknown>): string => {
  if (Exit.isSuccess(exit))
    return exit.value === undefined || exit.value === null ? "-> ok" : `-> ok: ${describe(exit.value)}`
  const reasons = exit.cause.reasons
  const failure = reasons.find(Cause.isFailReason)
  if (failure !== undefined) return `-> ${describe(failure.error)}`
  const defect = reasons.find(Cause.isDieReason)
  if (defect !== undefined) return `-> ${describe(defect.defect)}`
  // interrupted without a typed CancelledError: asyncio.run raises a bare CancelledError
  return "-> CancelledError: "
}

/** Runs a program on virtual time (inside `it.effect`, under TestClock) and returns its log. */
export const runProgram = (
  main: Program["main"],
  options: asyncio.EventLoopOptions = {}
): Effect.Effect<ReadonlyArray<string>> =>
  Effect.gen(function* () {
    const lines: Array<string> = []
    const log: Log = (...parts) => {
      lines.push(parts.map(str).join(" "))
    }
    const { exit } = yield* runVirtual(
      Effect.suspend(() => main(log)),
      {
        ...options,
        exceptionHandler: (_loop, context) => {
          lines.push(`! ${context.message}`)
        }
      }
    )
    lines.push(outcome(exit))
    return lines
  })
