/**
 * A local stand-in for httpbin.org, so the HTTP examples run offline and deterministically:
 * `GET /get`, `GET /delay/{n}` (answers after n seconds, at most 10, as httpbin) and
 * `GET /status/{code}` (answers with that status), served by Effect's HTTP server on a free
 * loopback port; and the client side: a fetch that decodes httpbin's JSON with `effect/Schema`.
 */
import * as http from "node:http"
import { NodeHttpServer } from "@effect/platform-node"
import { Context, Duration, Effect, Layer, Option, Schema, type Scope } from "effect"
import {
  HttpClient,
  type HttpClientError,
  HttpClientResponse,
  HttpServer,
  type HttpServerError,
  HttpServerRequest,
  HttpServerResponse
} from "effect/http"

/** httpbin's answer to `/get` and `/delay/{n}` (the fields the examples read). */
export const HttpbinResponse = Schema.Struct({
  args: Schema.Record(Schema.String, Schema.String),
  headers: Schema.Record(Schema.String, Schema.String),
  origin: Schema.String,
  url: Schema.String
})
export type HttpbinResponse = typeof HttpbinResponse.Type

/** As httpbin, `/delay/{n}` waits at most 10 seconds. */
const maxDelay = 10

const echo = (request: HttpServerRequest.HttpServerRequest, host: string) =>
  HttpServerResponse.json({
    args: Object.fromEntries(new URL(request.url, host).searchParams),
    headers: Object.fromEntries(
      Object.entries(request.headers).filter(
        (entry): entry is [string, string] => typeof entry[1] === "string"
      )
    ),
    origin: Option.getOrElse(request.remoteAddress, () => "unknown"),
    url: new URL(request.url, host).href
  })

/** The routes, as one handler (three routes do not need a router). */
const app = (host: string) =>
  Effect.gen(function* () {
    const request = yield* HttpServerRequest.HttpServerRequest
    const path = new URL(request.url, host).pathname
    if (request.method !== "GET") return HttpServerResponse.empty({ status: 405 })
    if (path === "/get") return yield* echo(request, host)
    const delay = /^\/delay\/(\d+(?:\.\d+)?)$/.exec(path)
    if (delay?.[1] !== undefined) {
      yield* Effect.sleep(Duration.seconds(Math.min(Number(delay[1]), maxDelay)))
      return yield* echo(request, host)
    }
    const status = /^\/status\/(\d{3})$/.exec(path)
    if (status?.[1] !== undefined) return HttpServerResponse.empty({ status: Number(status[1]) })
    return HttpServerResponse.empty({ status: 404 })
  })

/**
 * Starts the server on 127.0.0.1 at a free port, for the life of the enclosing `Scope`, and
 * returns its base URL (`http://127.0.0.1:PORT`). Its delays use the caller's `Clock`.
 */
export const serve: Effect.Effect<string, HttpServerError.ServeError, Scope.Scope> = Effect.gen(function* () {
  const context = yield* Layer.build(
    NodeHttpServer.layerServer(() => http.createServer(), { port: 0, host: "127.0.0.1" })
  )
  const server = Context.get(context, HttpServer.HttpServer)
  const base = HttpServer.formatAddress(server.address)
  yield* HttpServer.serveEffect(app(base)).pipe(Effect.provideContext(context))
  return base
})

/**
 * `session.get(url)` + `response.json()`: one GET, its JSON decoded as httpbin's answer.
 * A refused connection, a non-2xx status and a body that is not httpbin's JSON are typed errors.
 */
export const fetchJson = Effect.fn("fetchJson")(function* (
  url: string
): Effect.fn.Return<
  HttpbinResponse,
  HttpClientError.HttpClientError | Schema.SchemaError,
  HttpClient.HttpClient
> {
  const client = HttpClient.filterStatusOk(yield* HttpClient.HttpClient)
  const response = yield* client.get(url)
  return yield* HttpClientResponse.schemaBodyJson(HttpbinResponse)(response)
})
