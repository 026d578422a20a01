/**
 * The monitor: what a running program's tasks are doing, seen from outside it.
 *
 * `run(main, { monitor: true })` (or `EFFECT_ASYNCIO_MONITOR=1` in the environment) watches the
 * loop and listens on a Unix domain socket named after the process id, in the temp directory,
 * mode 0600; the `effect-asyncio` CLI reads it (`ps PID`, `pstree PID`, `monitor PID`).
 * `{ monitor: { http: 0 } }` also serves a live page on 127.0.0.1 (a random token in its
 * address, printed once). This module is that machinery; `run` loads it only when asked, so a
 * program that does not monitor never loads it, nor `@effect/platform-node`, which it needs (an
 * optional peer dependency of this package: install it to monitor).
 *
 * ```ts
 * import { Effect } from "effect"
 * import * as asyncio from "@effect-asyncio/core"
 * import { monitor } from "@effect-asyncio/core/monitor"
 *
 * const main = Effect.scoped(
 *   Effect.gen(function* () {
 *     const { socket } = yield* monitor()
 *     console.log(socket?.endsWith(`effect-asyncio-${process.pid}.sock`)) // true
 *   })
 * )
 * asyncio.run(main)
 * ```
 *
 * @since 0.2.0
 */
import { Effect, Exit, Scope } from "effect"
import { EventLoop, loopImpl } from "./events.js"
import { RuntimeError } from "./exceptions.js"
import * as validate from "./internal/validate.js"
import type { Request } from "./monitor/protocol.js"
import { cancelTask, graphOfTask, noSuchTask, snapshot, watchLoop, whereTask } from "./monitor/registry.js"
import { serveSocket } from "./monitor/socketServer.js"
import { type PageSource, servePage } from "./monitor/web.js"

/**
 * What to serve (`run(main, { monitor: options })`).
 *
 * @example
 * ```ts
 * import type { MonitorOptions } from "@effect-asyncio/core/monitor"
 *
 * const options: MonitorOptions = { http: 0 } // the socket, and the page on a free port
 * console.log(options.http) // 0
 * ```
 * @since 0.2.0
 * @category Monitor
 */
export interface MonitorOptions {
  /** Also serve the live page on 127.0.0.1, on this port (0: any free port). Default: no page. */
  readonly http?: number | undefined
  /** Listen on the Unix domain socket (what the CLI reads). Default true. */
  readonly socket?: boolean | undefined
}

/**
 * Where the monitor listens: the socket's path, and the page's address with its token.
 *
 * @example
 * ```ts
 * import type { MonitorInfo } from "@effect-asyncio/core/monitor"
 *
 * const info: MonitorInfo = { socket: "/tmp/effect-asyncio-1234.sock", url: undefined }
 * console.log(info.socket?.endsWith(".sock")) // true
 * ```
 * @since 0.2.0
 * @category Monitor
 */
export interface MonitorInfo {
  readonly socket?: string | undefined
  readonly url?: string | undefined
}

/** The page of this process, read in place. */
const localSource: PageSource = {
  snapshot: Effect.sync(snapshot),
  cancel: (task) => cancelTask(task, undefined)
}

/** The process's socket, shared by every monitored loop: opened by the first, closed with the last. */
interface SharedSocket {
  readonly scope: Scope.Closeable
  path: string
  users: number
}
let shared: SharedSocket | undefined

const handle = (request: Request) => {
  switch (request.method) {
    case "ps":
      return Effect.sync(snapshot)
    case "graph": {
      return Effect.suspend(() => {
        const graph = graphOfTask(request.task)
        return typeof graph === "string" ? Effect.fail(graph) : Effect.succeed(graph)
      })
    }
    case "where":
      return Effect.suspend(() => {
        const text = whereTask(request.task)
        return text === undefined ? Effect.fail(noSuchTask(request.task)) : Effect.succeed({ text })
      })
    case "cancel":
      return Effect.flatMap(cancelTask(request.task, request.message), (cancelled) =>
        cancelled === undefined ? Effect.fail(noSuchTask(request.task)) : Effect.succeed({ cancelled })
      )
  }
}

const acquireSocket: Effect.Effect<string, RuntimeError, Scope.Scope> = Effect.acquireRelease(
  Effect.gen(function* () {
    if (shared !== undefined) {
      shared.users += 1
      return shared
    }
    const scope = yield* Scope.make()
    const socket: SharedSocket = { scope, path: "", users: 1 }
    const path = yield* Scope.provide(serveSocket(handle), scope).pipe(
      Effect.onError(() => Scope.close(scope, Exit.void)),
      Effect.mapError(
        (error) => new RuntimeError({ message: `the monitor cannot listen on its socket: ${error.message}` })
      )
    )
    socket.path = path
    shared = socket
    return socket
  }),
  (socket) =>
    Effect.suspend(() => {
      socket.users -= 1
      if (socket.users > 0) return Effect.void
      if (shared === socket) shared = undefined
      return Scope.close(socket.scope, Exit.void)
    })
).pipe(Effect.map((socket) => socket.path))

/**
 * Monitors the running loop for the lifetime of the scope: its tasks are recorded (creation,
 * end, outcome) and served on this process's socket (what `effect-asyncio ps PID` reads) and,
 * with `http`, on a live page (its address, with its token, is in the result). What `run(main,
 * { monitor })` does; for a loop of `runEffect` or `EventLoop.layer`, call it from the program.
 * Fails with `RuntimeError` when the socket or the port cannot be opened.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import * as asyncio from "@effect-asyncio/core"
 * import { monitor } from "@effect-asyncio/core/monitor"
 *
 * const main = Effect.scoped(
 *   Effect.gen(function* () {
 *     const { url } = yield* monitor({ http: 0 })
 *     console.log(url?.startsWith("http://127.0.0.1:")) // true
 *   })
 * )
 * asyncio.run(main)
 * ```
 * @since 0.2.0
 * @category Monitor
 */
export const monitor = (
  options: MonitorOptions = {}
): Effect.Effect<MonitorInfo, RuntimeError, EventLoop | Scope.Scope> =>
  Effect.gen(function* () {
    validate.monitorOptions(options, "monitor() options")
    const loop = loopImpl(yield* EventLoop)
    yield* Effect.acquireRelease(
      Effect.sync(() => watchLoop(loop)),
      (stop) => Effect.sync(stop)
    )
    const socket = options.socket === false ? undefined : yield* acquireSocket
    const url =
      options.http === undefined
        ? undefined
        : yield* servePage(localSource, options.http).pipe(
            Effect.mapError(
              (error) =>
                new RuntimeError({
                  message: `the monitor cannot serve its page on port ${options.http}: ${String(error)}`
                })
            )
          )
    return { socket, url }
  })
