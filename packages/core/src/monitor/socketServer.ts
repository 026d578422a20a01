/**
 * The monitor's Unix domain socket: `<tmpdir>/effect-asyncio-<pid>.sock`, mode 0600 (only the
 * process's user can connect: the permission CPython's remote debugging needs too), never TCP.
 *
 * Each connection is an Effect `Socket` (effect/socket, from `@effect/platform-node`'s
 * `NodeSocket.fromDuplex`) that reads JSON lines and answers each (protocol.ts). Neither the
 * server nor a connection keeps the process alive (`unref`): a program ends, or reaches its
 * deadlock report, as it would unmonitored. The socket file is removed when the monitor stops
 * and, failing that, when the process exits.
 */
import * as fs from "node:fs"
import * as Net from "node:net"
import * as NodeSocket from "@effect/platform-node/NodeSocket"
import { Effect, Exit, Schema, type Scope } from "effect"
import type * as Socket from "effect/socket/Socket"
import { forEachLine, Request, type Response, socketPath } from "./protocol.js"

/** Answers one request: its result, or the text of its error. */
export type Handler = (request: Request) => Effect.Effect<unknown, string>

const decodeRequest = Schema.decodeUnknownExit(Request)

/** A stale socket of a dead process with this pid is removed; anything else at the path is refused. */
const clearPath = (path: string): void => {
  let stat: fs.Stats
  try {
    stat = fs.lstatSync(path)
  } catch {
    return
  }
  if (!stat.isSocket()) throw new Error(`${path} exists and is not a socket: not touching it`)
  fs.unlinkSync(path)
}

/** `listen(path)` with umask 0177, so the socket is never reachable by others, then chmod 0600. */
const listen = (server: Net.Server, path: string): Effect.Effect<void, Error> =>
  Effect.callback<void, Error>((resume) => {
    const onError = (error: Error) => resume(Effect.fail(error))
    server.once("error", onError)
    let previous: number | undefined
    try {
      previous = process.umask(0o177)
    } catch {
      // worker threads cannot change the umask: chmod below still applies
    }
    try {
      // Node binds a path synchronously inside listen(): the umask covers the bind
      server.listen(path, () => {
        server.off("error", onError)
        try {
          fs.chmodSync(path, 0o600)
          resume(Effect.void)
        } catch (error) {
          resume(Effect.fail(error as Error))
        }
      })
    } finally {
      if (previous !== undefined) process.umask(previous)
    }
  })

/** Reads lines from `socket` and writes one answer per request, in order. */
const serveConnection = (socket: Socket.Socket, handle: Handler): Effect.Effect<void, unknown, Scope.Scope> =>
  Effect.gen(function* () {
    const reader = yield* socket.reader
    const writer = yield* socket.writer
    return yield* forEachLine(reader, (line) =>
      Effect.flatMap(answer(line, handle), (response) => writer.write(`${JSON.stringify(response)}\n`))
    )
  })

const answer = (line: string, handle: Handler): Effect.Effect<Response> => {
  let parsed: unknown
  try {
    parsed = JSON.parse(line)
  } catch {
    return Effect.succeed({ id: 0, ok: false, error: "not a JSON line" })
  }
  const decoded = decodeRequest(parsed)
  const id =
    typeof parsed === "object" && parsed !== null && typeof (parsed as { id?: unknown }).id === "number"
      ? (parsed as { id: number }).id
      : 0
  if (Exit.isFailure(decoded)) {
    return Effect.succeed({ id, ok: false, error: `bad request: ${line.slice(0, 200)}` })
  }
  const request = decoded.value
  return handle(request).pipe(
    Effect.map((result): Response => ({ id: request.id, ok: true, result })),
    Effect.catch((error: string) => Effect.succeed<Response>({ id: request.id, ok: false, error })),
    Effect.catchDefect((defect) =>
      Effect.succeed<Response>({ id: request.id, ok: false, error: `monitor error: ${String(defect)}` })
    )
  )
}

/**
 * Listens on this process's socket for the scope's lifetime, answering with `handle`.
 * Resolves with the socket's path once it is listening.
 */
export const serveSocket = (handle: Handler): Effect.Effect<string, Error, Scope.Scope> =>
  Effect.gen(function* () {
    const path = socketPath(process.pid)
    yield* Effect.try({ try: () => clearPath(path), catch: (error) => error as Error })
    const connections = new Set<Net.Socket>()
    const server = Net.createServer((conn) => {
      conn.unref()
      connections.add(conn)
      conn.on("close", () => connections.delete(conn))
      conn.on("error", () => conn.destroy())
      const socket = NodeSocket.fromDuplex(Effect.succeed(conn))
      Effect.runFork(
        Effect.scoped(Effect.flatMap(socket, (socket) => serveConnection(socket, handle))).pipe(
          Effect.ensuring(Effect.sync(() => conn.destroy())),
          Effect.ignore
        )
      )
    })
    server.unref()
    // the socket file must not outlive the process, even one that ends with process.exit()
    const removeAtExit = () => removeSocket(path)
    yield* Effect.acquireRelease(listen(server, path), () =>
      Effect.sync(() => {
        for (const conn of connections) conn.destroy()
        server.close()
        removeSocket(path)
        process.removeListener("exit", removeAtExit)
      })
    )
    process.on("exit", removeAtExit)
    return path
  })

const removeSocket = (path: string): void => {
  try {
    fs.unlinkSync(path)
  } catch {
    // already gone
  }
}
