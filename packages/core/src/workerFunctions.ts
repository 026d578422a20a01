/**
 * Functions a worker can run: how `toThread` and `loop.runInExecutor` name a function.
 *
 * A closure cannot cross a thread or a process, so a worker runs a function by its name, as
 * `ProcessPoolExecutor` pickles a function as its module and qualified name: the functions are
 * defined once, at the top level of a module, by `defineWorkerFunctions(import.meta.url, {...})`.
 * A worker imports that module (by the URL given) and finds the function by its name in what the
 * module defined; the caller sends the URL, the name and the arguments.
 *
 * Arguments, results and errors cross by structured clone (what `postMessage` copies: plain
 * data, arrays, Maps, Dates, typed arrays... but not functions, and class instances lose their
 * class), or by the Schemas given with the function. This library's errors (`ValueError`,
 * `TimeoutError`...) always come back as themselves.
 *
 * @since 0.2.0
 */
import { type Effect, Schema } from "effect"
import * as errors from "./exceptions.js"
import { installExecutors } from "./internal/executor.js"
import { describe, isPlainObject, isThenable } from "./internal/validate.js"
import { register, SpecKey, type WorkerCodec, type WorkerFunctionSpec } from "./internal/workerProtocol.js"

/** Any function (its arguments are checked where it is called, not here). */
type AnyFunction = (...args: never) => unknown

/**
 * A function defined with `defineWorkerFunctions`: the function itself (callable here as
 * before), marked with the module and the name a worker finds it by, as Python's `__module__`
 * and `__qualname__`.
 *
 * @example
 * ```ts
 * import * as asyncio from "@effect-asyncio/core"
 *
 * export const work = asyncio.defineWorkerFunctions(import.meta.url, { double: (n: number) => n * 2 })
 * const double: asyncio.WorkerFunction<(n: number) => number> = work.double
 * console.log(double(21), double.workerName) // 42 double
 * ```
 * @category Threads
 * @since 0.2.0
 */
export type WorkerFunction<F extends AnyFunction> = F & {
  /** The module that defines it (the `import.meta.url` given), which a worker imports. */
  readonly workerModule: string
  /** Its name in that module's definitions. */
  readonly workerName: string
}

/**
 * The arguments a worker function takes.
 *
 * @example
 * ```ts
 * import type * as asyncio from "@effect-asyncio/core"
 *
 * type Args = asyncio.WorkerArguments<(n: number, label: string) => string>
 * const args: Args = [1, "one"]
 * console.log(args.length) // 2
 * ```
 * @category Threads
 * @since 0.2.0
 */
export type WorkerArguments<F> = F extends (...args: infer Args) => unknown ? Args : never

/**
 * What a call of a worker function gives: its value, the value of the Promise it returns, or the
 * success of the Effect it returns.
 *
 * @example
 * ```ts
 * import type { Effect } from "effect"
 * import type * as asyncio from "@effect-asyncio/core"
 *
 * const a: asyncio.WorkerSuccess<() => number> = 1
 * const b: asyncio.WorkerSuccess<() => Promise<string>> = "b"
 * const c: asyncio.WorkerSuccess<() => Effect.Effect<boolean, Error>> = true
 * console.log(a, b, c) // 1 b true
 * ```
 * @category Threads
 * @since 0.2.0
 */
export type WorkerSuccess<F> = F extends (...args: never) => infer R
  ? R extends Effect.Effect<infer A, infer _E, infer _R>
    ? A
    : Awaited<R>
  : never

/**
 * The typed error of a worker function: the error of the Effect it returns (a thrown exception
 * or a rejected Promise is a defect, as everywhere in this library).
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import * as asyncio from "@effect-asyncio/core"
 *
 * const parse = (text: string) =>
 *   Effect.try({ try: (): unknown => JSON.parse(text), catch: () => new asyncio.ValueError({ message: "not JSON" }) })
 * const error: asyncio.WorkerFailure<typeof parse> = new asyncio.ValueError({ message: "not JSON" })
 * console.log(error._tag) // ValueError
 * ```
 * @category Threads
 * @since 0.2.0
 */
export type WorkerFailure<F> = F extends (...args: never) => infer R
  ? R extends Effect.Effect<infer _A, infer E, infer _R>
    ? E
    : never
  : never

/**
 * A worker function with the Schemas its values travel with. `handler` is the function; `args`
 * (one Schema per argument), `success` and `error` are optional: what has no Schema is
 * structured-cloned. A typed error other than this library's needs `error` (a
 * `Schema.TaggedError` class comes back as that class).
 *
 * @example
 * ```ts
 * import { Effect, Schema } from "effect"
 * import * as asyncio from "@effect-asyncio/core"
 *
 * class Negative extends Schema.TaggedError<Negative>()("Negative", { n: Schema.Number }) {}
 * const sqrt = (n: number) => (n < 0 ? Effect.fail(new Negative({ n })) : Effect.succeed(Math.sqrt(n)))
 * const definition: asyncio.WorkerFunctionDefinition<typeof sqrt> = { handler: sqrt, error: Negative }
 * export const work = asyncio.defineWorkerFunctions(import.meta.url, { sqrt: definition })
 * console.log(work.sqrt.workerName) // sqrt
 * ```
 * @category Threads
 * @since 0.2.0
 */
export interface WorkerFunctionDefinition<F extends AnyFunction> {
  readonly handler: F
  readonly args?: ArgumentSchemas<WorkerArguments<F>> | undefined
  readonly success?: Schema.Codec<WorkerSuccess<F>, unknown, never, never> | undefined
  readonly error?: Schema.Codec<WorkerFailure<F>, unknown, never, never> | undefined
}

/** One Schema per argument (a mapped tuple type). */
type ArgumentSchemas<Args extends ReadonlyArray<unknown>> = {
  readonly [K in keyof Args]: Schema.Codec<Args[K], unknown, never, never>
}

/** This library's errors: they travel without a Schema. */
type LibraryError =
  | errors.CancelledError
  | errors.TimeoutError
  | errors.InvalidStateError
  | errors.ValueError
  | errors.TypeError
  | errors.RuntimeError
  | errors.KeyboardInterrupt
  | errors.QueueEmpty
  | errors.QueueFull
  | errors.QueueShutDown
  | errors.BrokenBarrierError
  | errors.BrokenThreadPool
  | errors.BrokenProcessPool

/** An entry as given: a bare function may fail only with this library's errors. */
type CheckedEntry<X> = X extends AnyFunction
  ? [WorkerFailure<X>] extends [LibraryError]
    ? X
    : "a worker function with typed errors of its own needs their Schema: { handler, error: TheError }"
  : X extends { readonly handler: infer F extends AnyFunction }
    ? WorkerFunctionDefinition<F>
    : WorkerFunctionDefinition<AnyFunction>

/** The worker function an entry defines. */
type FunctionOf<X> = X extends AnyFunction
  ? WorkerFunction<X>
  : X extends { readonly handler: infer F extends AnyFunction }
    ? WorkerFunction<F>
    : never

/**
 * Defines the functions a worker can run, once, at the top level of a module: pass the
 * module's `import.meta.url` and the functions by name. Returns the same functions, marked
 * (`toThread` and `runInExecutor` take only these): call them here as before.
 *
 * A worker imports the module by that URL, so the module's top-level code runs in every
 * worker too (as a child process imports `__main__`): keep the functions in a module of their
 * own, or guard the program (`if (isMainThread) ...`). A name defined twice for one module
 * throws `ValueError`; a URL that is not one, an entry that is neither a function nor
 * `{ handler, args?, success?, error? }`, throw `TypeError`.
 *
 * @example
 * ```ts
 * import { isMainThread } from "node:worker_threads"
 * import * as asyncio from "@effect-asyncio/core"
 *
 * const fib = (n: number): number => (n < 2 ? n : fib(n - 1) + fib(n - 2))
 * export const work = asyncio.defineWorkerFunctions(import.meta.url, { fib })
 *
 * // this module runs again in the worker, which imports it: only the main thread runs the program
 * if (isMainThread) asyncio.run(asyncio.toThread(work.fib, 25)).then(console.log) // 75025
 * ```
 * @category Threads
 * @since 0.2.0
 */
export const defineWorkerFunctions = <const D extends Readonly<Record<string, unknown>>>(
  moduleUrl: string,
  definitions: D & { readonly [K in keyof D]: CheckedEntry<D[K]> }
): { readonly [K in keyof D]: FunctionOf<D[K]> } => {
  if (typeof moduleUrl !== "string") {
    throw new errors.TypeError({
      message: `defineWorkerFunctions() moduleUrl must be the module's import.meta.url, got ${describe(moduleUrl)}`
    })
  }
  if (!URL.canParse(moduleUrl)) {
    throw new errors.ValueError({
      message: `defineWorkerFunctions() moduleUrl must be a URL (the module's import.meta.url), got ${JSON.stringify(moduleUrl)}`
    })
  }
  if (!isPlainObject(definitions) || isThenable(definitions)) {
    throw new errors.TypeError({
      message: `defineWorkerFunctions() definitions must be an object of functions, got ${describe(definitions)}`
    })
  }
  installExecutors()
  const defined: Record<string, unknown> = {}
  for (const [name, entry] of Object.entries(definitions)) {
    const spec = specFor(moduleUrl, name, entry)
    if (!register(spec)) {
      throw new errors.ValueError({
        message: `defineWorkerFunctions() ${moduleUrl} already defines a worker function named ${JSON.stringify(name)}`
      })
    }
    defined[name] = mark(spec)
  }
  return defined as { readonly [K in keyof D]: FunctionOf<D[K]> }
}

/** The spec of one entry, its parts checked. */
const specFor = (module: string, name: string, entry: unknown): WorkerFunctionSpec => {
  const where = `defineWorkerFunctions() ${JSON.stringify(name)}`
  if (typeof entry === "function") {
    return {
      module,
      name,
      handler: entry as WorkerFunctionSpec["handler"],
      args: undefined,
      success: undefined,
      error: undefined
    }
  }
  if (
    typeof entry !== "object" ||
    entry === null ||
    typeof (entry as { handler?: unknown }).handler !== "function"
  ) {
    throw new errors.TypeError({
      message: `${where} must be a function or { handler, args?, success?, error? }, got ${describe(entry)}`
    })
  }
  const { handler, args, success, error } = entry as {
    readonly handler: WorkerFunctionSpec["handler"]
    readonly args?: unknown
    readonly success?: unknown
    readonly error?: unknown
  }
  if (args !== undefined && (!Array.isArray(args) || !args.every(isSchema))) {
    throw new errors.TypeError({
      message: `${where}: args must be an array of Schemas, got ${describe(args)}`
    })
  }
  return {
    module,
    name,
    handler,
    args: args as ReadonlyArray<WorkerCodec> | undefined,
    success: schemaOption(where, "success", success),
    error: schemaOption(where, "error", error)
  }
}

const isSchema = (value: unknown): boolean => Schema.isSchema(value)

const schemaOption = (where: string, key: string, value: unknown): WorkerCodec | undefined => {
  if (value === undefined) return undefined
  if (!isSchema(value))
    throw new errors.TypeError({ message: `${where}: ${key} must be a Schema, got ${describe(value)}` })
  return value as WorkerCodec
}

/** The function, marked: the same behaviour here, its spec for the pools. */
const mark = (spec: WorkerFunctionSpec): unknown => {
  const { handler } = spec
  const marked = (...args: ReadonlyArray<unknown>) => handler(...args)
  Object.defineProperties(marked, {
    name: { value: spec.name },
    workerModule: { value: spec.module, enumerable: true },
    workerName: { value: spec.name, enumerable: true },
    [SpecKey]: { value: spec }
  })
  return marked
}
