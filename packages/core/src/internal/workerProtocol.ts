/**
 * What crosses between a pool and its workers: the registry of worker functions (by module URL
 * and name, as pickle names a function by `__module__` and `__qualname__`), the messages, and
 * how a value, an error or a defect is carried (encoded by its Schema, or structured-cloned).
 *
 * Both sides import this module: the caller (internal/executor.ts) and the worker
 * (internal/workerHost.ts).
 */
import { Schema } from "effect"
import * as errors from "../exceptions.js"

/** A Schema a worker function's arguments, result or error travel with (no services needed). */
export type WorkerCodec = Schema.Codec<unknown, unknown, never, never>

/** A worker function as every process that imported its module knows it. */
export interface WorkerFunctionSpec {
  /** The module URL given to `defineWorkerFunctions` (`import.meta.url`): what a worker imports. */
  readonly module: string
  readonly name: string
  readonly handler: (...args: ReadonlyArray<unknown>) => unknown
  readonly args: ReadonlyArray<WorkerCodec> | undefined
  readonly success: WorkerCodec | undefined
  readonly error: WorkerCodec | undefined
}

/** The spec behind a worker function (a symbol of ours, so that nothing else passes for one). */
export const SpecKey: unique symbol = Symbol.for("@effect-asyncio/core/WorkerFunction")

/** The spec of `fn`, if `defineWorkerFunctions` made it. */
export const specOf = (fn: unknown): WorkerFunctionSpec | undefined =>
  typeof fn === "function" && SpecKey in fn
    ? (fn as { readonly [SpecKey]: WorkerFunctionSpec })[SpecKey]
    : undefined

/**
 * Module URL → name → spec, for the whole process. It lives on `globalThis` so that a worker
 * finds the functions however the module reached this library (its source or its build).
 */
const registry: Map<string, Map<string, WorkerFunctionSpec>> = (() => {
  const key = Symbol.for("@effect-asyncio/core/workerFunctions")
  const global = globalThis as { [key]?: Map<string, Map<string, WorkerFunctionSpec>> }
  global[key] ??= new Map()
  return global[key]
})()

/** Registers `spec`; false (and nothing changes) if its module already defines that name. */
export const register = (spec: WorkerFunctionSpec): boolean => {
  let names = registry.get(spec.module)
  if (names === undefined) {
    names = new Map()
    registry.set(spec.module, names)
  }
  if (names.has(spec.name)) return false
  names.set(spec.name, spec)
  return true
}

export const lookup = (module: string, name: string): WorkerFunctionSpec | undefined =>
  registry.get(module)?.get(name)

/** A call, caller → worker. */
export interface CallRequest {
  readonly id: number
  readonly module: string
  readonly name: string
  /** Encoded by the function's `args` Schemas when it has them; structured-cloned otherwise. */
  readonly args: ReadonlyArray<unknown>
}

/** How a value travels: encoded by a Schema, as one of this library's errors, or as it is. */
export type Carried =
  | { readonly _tag: "Encoded"; readonly value: unknown }
  | { readonly _tag: "Asyncio"; readonly value: unknown; readonly stack: string | undefined }
  | { readonly _tag: "Clone"; readonly value: unknown }

/** How a call ended, worker → caller: its result, its typed error, or its defect. */
export type CallResponse =
  | { readonly id: number; readonly _tag: "Success"; readonly value: Carried }
  | { readonly id: number; readonly _tag: "Failure"; readonly error: Carried }
  | { readonly id: number; readonly _tag: "Die"; readonly defect: Carried }

/** This library's errors: Schema classes, so they travel without a Schema of the user's. */
const libraryErrors = Schema.Union([
  errors.CancelledError,
  errors.TimeoutError,
  errors.InvalidStateError,
  errors.ValueError,
  errors.TypeError,
  errors.RuntimeError,
  errors.KeyboardInterrupt,
  errors.QueueEmpty,
  errors.QueueFull,
  errors.QueueShutDown,
  errors.BrokenBarrierError,
  errors.BrokenThreadPool,
  errors.BrokenProcessPool
])
const isLibraryError = Schema.is(libraryErrors)
const encodeLibraryError = Schema.encodeSync(libraryErrors)
const decodeLibraryError = Schema.decodeUnknownSync(libraryErrors)

/**
 * `value` as it travels: by `schema` when there is one (throws `errors.TypeError` when the
 * Schema cannot encode it), one of this library's errors by its own class (with its stack),
 * anything else as it is, for the structured clone of `postMessage`.
 */
export const carry = (value: unknown, schema: WorkerCodec | undefined, what: string): Carried => {
  if (schema !== undefined) {
    try {
      return { _tag: "Encoded", value: Schema.encodeUnknownSync(schema)(value) }
    } catch (issue) {
      throw new errors.TypeError({ message: `${what} does not match its Schema: ${messageOf(issue)}` })
    }
  }
  if (isLibraryError(value)) {
    return { _tag: "Asyncio", value: encodeLibraryError(value), stack: value.stack }
  }
  return { _tag: "Clone", value }
}

/** The value `carry` sent: decoded by `schema`, or one of this library's errors made again. */
export const uncarry = (carried: Carried, schema: WorkerCodec | undefined, what: string): unknown => {
  switch (carried._tag) {
    case "Clone":
      return carried.value
    case "Asyncio": {
      const error = decodeLibraryError(carried.value)
      // the stack of the worker, where the error was made
      if (carried.stack !== undefined) error.stack = carried.stack
      return error
    }
    case "Encoded": {
      if (schema === undefined) return carried.value
      try {
        return Schema.decodeUnknownSync(schema)(carried.value)
      } catch (issue) {
        throw new errors.TypeError({ message: `${what} does not match its Schema: ${messageOf(issue)}` })
      }
    }
  }
}

/** The message of an error, or the value's text. */
export const messageOf = (error: unknown): string =>
  error instanceof Error ? error.message : typeof error === "string" ? error : String(error)
