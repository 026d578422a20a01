/**
 * The program a worker of a `ThreadPoolExecutor` (a `worker_threads` Worker) or of a
 * `ProcessPoolExecutor` (a child process) runs: concurrent.futures' `_worker` /
 * `_process_worker` loop, on Effect's `WorkerRunner` (`@effect/platform-node`'s
 * `NodeWorkerRunner`).
 *
 * For each call it imports the module that defines the function (once: modules are cached, so
 * the module's top-level code runs once per worker, as a child process imports `__main__`),
 * finds the function by name in the registry that `defineWorkerFunctions` filled, decodes the
 * arguments, runs the function to its end (a plain value, a Promise, or an Effect), and sends
 * back its result, its typed error or its defect.
 */
import * as NodeWorkerRunner from "@effect/platform-node/NodeWorkerRunner"
import { Cause, Effect, Exit, Schema } from "effect"
import * as WorkerRunner from "effect/workers/WorkerRunner"
import * as errors from "../exceptions.js"
import {
  type CallRequest,
  type CallResponse,
  carry,
  lookup,
  messageOf,
  type WorkerFunctionSpec
} from "./workerProtocol.js"

/**
 * `import(url)`, once per module: a module is evaluated once anyway, but each `import()` still
 * resolves its URL again (through the loader's hooks, if any: tsx's cost milliseconds a call).
 */
const imports = new Map<string, Promise<unknown>>()
const importOnce = (url: string): Promise<unknown> => {
  let imported = imports.get(url)
  if (imported === undefined) {
    imported = import(url)
    imports.set(url, imported)
  }
  return imported
}

/** The outcome of one call, before it is carried back. */
const callFunction = (request: CallRequest): Effect.Effect<Exit.Exit<unknown, unknown>> =>
  Effect.gen(function* () {
    const imported = yield* Effect.exit(Effect.tryPromise(() => importOnce(request.module)))
    if (Exit.isFailure(imported)) return Exit.die(Cause.squash(imported.cause))
    const spec = lookup(request.module, request.name)
    if (spec === undefined) {
      return Exit.die(
        new errors.TypeError({
          message: `the worker imported ${request.module} but found no worker function named ${JSON.stringify(request.name)} there: defineWorkerFunctions(import.meta.url, { ${request.name} }) must run at the top level of that module`
        })
      )
    }
    let args: ReadonlyArray<unknown>
    try {
      args = decodeArguments(spec, request.args)
    } catch (error) {
      return Exit.die(error)
    }
    return yield* Effect.exit(runHandler(spec, args))
  })

/** The arguments as the function takes them: decoded by its `args` Schemas, if it has them. */
const decodeArguments = (spec: WorkerFunctionSpec, args: ReadonlyArray<unknown>): ReadonlyArray<unknown> => {
  const schemas = spec.args
  if (schemas === undefined) return args
  return args.map((arg, index) => {
    const schema = schemas[index]
    if (schema === undefined) return arg
    try {
      return Schema.decodeUnknownSync(schema)(arg)
    } catch (issue) {
      throw new errors.ValueError({
        message: `${spec.name}(): argument ${index + 1} does not match its Schema: ${messageOf(issue)}`
      })
    }
  })
}

/** Runs the function to its end: its value, its Promise's value, or its Effect's exit. */
const runHandler = (
  spec: WorkerFunctionSpec,
  args: ReadonlyArray<unknown>
): Effect.Effect<unknown, unknown> =>
  Effect.suspend(() => {
    const result = spec.handler(...args)
    if (Effect.isEffect(result)) return result as Effect.Effect<unknown, unknown>
    if (isThenable(result)) return Effect.promise(() => Promise.resolve(result))
    return Effect.succeed(result)
  })

const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  typeof value === "object" && value !== null && typeof (value as { then?: unknown }).then === "function"

/** The response for an exit: each part carried by its Schema; one that cannot be is a defect. */
const respond = (request: CallRequest, exit: Exit.Exit<unknown, unknown>): CallResponse => {
  const spec = lookup(request.module, request.name)
  const what = `the ${Exit.isSuccess(exit) ? "result" : "error"} of ${request.name}()`
  try {
    if (Exit.isSuccess(exit)) {
      return { id: request.id, _tag: "Success", value: carry(exit.value, spec?.success, what) }
    }
    const failure = exit.cause.reasons.find(Cause.isFailReason)
    if (failure !== undefined) {
      return { id: request.id, _tag: "Failure", error: carry(failure.error, spec?.error, what) }
    }
    return { id: request.id, _tag: "Die", defect: carry(Cause.squash(exit.cause), undefined, what) }
  } catch (error) {
    return { id: request.id, _tag: "Die", defect: carry(error, undefined, what) }
  }
}

const program = Effect.gen(function* () {
  const platform = yield* WorkerRunner.WorkerRunnerPlatform
  const runner = yield* platform.start<CallResponse, CallRequest>()
  yield* runner.run((portId, request) =>
    Effect.map(callFunction(request), (exit) => {
      const response = respond(request, exit)
      try {
        runner.sendUnsafe(portId, response)
      } catch (error) {
        // a result that structured clone cannot copy (a function, a class with private state...)
        runner.sendUnsafe(portId, {
          id: request.id,
          _tag: "Die",
          defect: carry(
            new errors.TypeError({
              message: `the result of ${request.name}() cannot be sent back from the worker: ${messageOf(error)}`
            }),
            undefined,
            "a defect"
          )
        })
      }
    })
  )
}).pipe(Effect.provide(NodeWorkerRunner.layer))

Effect.runFork(program)
