/**
 * The live page's HTTP server: Effect's HTTP server (effect/http, on `@effect/platform-node`'s
 * `NodeHttpServer`), on 127.0.0.1 only, with a random token in its address.
 *
 * Every request must carry the token (`?token=`), compared in constant time; without it the
 * answer is 403. The token is 128 random bits, made when the server starts and printed once
 * (with the address); nothing else is needed to use the page, so it is what guards it (a page of
 * another origin cannot read it: it is in no cookie, and the server sends no CORS header).
 *
 * Routes: `/` the page, `/events` its event stream (server-sent events: a snapshot and the
 * `pstree` text, twice a second), `/snapshot` one snapshot as JSON, `POST /cancel?task=ID`.
 * The server does not keep the process alive (`unref`).
 */
import { randomBytes, timingSafeEqual } from "node:crypto"
import * as Http from "node:http"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import { Effect, type Scope, Stream } from "effect"
import { HttpServerRequest, HttpServerResponse } from "effect/http"
import { PAGE } from "./page.js"
import { parseId, type Snapshot } from "./protocol.js"
import { formatTree } from "./render.js"

/** Where the page reads from: this process's loops, or another's through its socket. */
export interface PageSource {
  readonly snapshot: Effect.Effect<Snapshot, string>
  readonly cancel: (task: number) => Effect.Effect<boolean | "queued" | undefined, string>
}

/** How often the event stream sends a snapshot. */
const INTERVAL = "500 millis"

const tokenMatches = (expected: Buffer, given: string | null): boolean => {
  if (given === null) return false
  const bytes = Buffer.from(given)
  return bytes.length === expected.length && timingSafeEqual(bytes, expected)
}

const forbidden = () =>
  HttpServerResponse.text("403 Forbidden: this page needs the token of the address the monitor printed\n", {
    status: 403
  })

const pageData = (snapshot: Snapshot) => JSON.stringify({ snapshot, tree: formatTree(snapshot).text })

/** Serves the page on 127.0.0.1:`port` (0: any free port) for the scope's lifetime; gives its address. */
export const servePage = (source: PageSource, port: number): Effect.Effect<string, unknown, Scope.Scope> =>
  Effect.gen(function* () {
    const token = randomBytes(16).toString("hex")
    const expected = Buffer.from(token)
    const node = Http.createServer()
    const server = yield* NodeHttpServer.make(() => node, {
      port,
      host: "127.0.0.1",
      gracefulShutdownTimeout: "200 millis"
    })
    node.unref()
    // event streams never end by themselves: closing the server closes them
    yield* Effect.addFinalizer(() => Effect.sync(() => node.closeAllConnections()))
    const app = Effect.gen(function* () {
      const request = yield* HttpServerRequest.HttpServerRequest
      const url = new URL(request.url, "http://127.0.0.1")
      if (!tokenMatches(expected, url.searchParams.get("token"))) return forbidden()
      if (request.method === "GET" && url.pathname === "/") {
        return HttpServerResponse.html(PAGE)
      }
      if (request.method === "GET" && url.pathname === "/snapshot") {
        const snapshot = yield* source.snapshot
        return HttpServerResponse.jsonUnsafe(snapshot)
      }
      if (request.method === "GET" && url.pathname === "/events") {
        const events = Stream.tick(INTERVAL).pipe(
          Stream.mapEffect(() => source.snapshot),
          Stream.map((snapshot) => `data: ${pageData(snapshot)}\n\n`),
          Stream.encodeText
        )
        return HttpServerResponse.stream(events, {
          contentType: "text/event-stream",
          headers: { "cache-control": "no-cache" }
        })
      }
      if (request.method === "POST" && url.pathname === "/cancel") {
        const task = parseId(url.searchParams.get("task") ?? "")
        if (task === undefined) return HttpServerResponse.text("task=ID expected\n", { status: 400 })
        const cancelled = yield* source.cancel(task)
        if (cancelled === undefined)
          return HttpServerResponse.text(`no pending task ${task}\n`, { status: 404 })
        return HttpServerResponse.jsonUnsafe({ cancelled })
      }
      return HttpServerResponse.text("404 Not Found\n", { status: 404 })
    }).pipe(
      Effect.catch((error: string) => Effect.succeed(HttpServerResponse.text(`${error}\n`, { status: 502 })))
    )
    yield* server.serve(app)
    const address = node.address()
    const bound = typeof address === "object" && address !== null ? address.port : port
    return `http://127.0.0.1:${bound}/?token=${token}`
  })
