import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { FetchHttpClient } from "effect/http"
import { fetchJson, serve } from "../src/httpbin.js"

// A real server on a loopback port, with real time: bounded by vitest's timeout.
describe("httpbin (local server, real HTTP)", () => {
  it.live(
    "GET /get and /delay/{n} answer httpbin's JSON, decoded with Schema",
    () =>
      Effect.gen(function* () {
        const base = yield* serve
        assert.match(base, /^http:\/\/127\.0\.0\.1:\d+$/)
        const got = yield* fetchJson(`${base}/get?a=1`)
        assert.strictEqual(got.url, `${base}/get?a=1`)
        assert.deepStrictEqual(got.args, { a: "1" })
        assert.strictEqual(got.origin, "127.0.0.1")
        const start = Date.now()
        const delayed = yield* fetchJson(`${base}/delay/0.2`)
        assert.strictEqual(delayed.url, `${base}/delay/0.2`)
        assert.isAtLeast(Date.now() - start, 190)
      }).pipe(Effect.scoped, Effect.provide(FetchHttpClient.layer)),
    10_000
  )

  it.live(
    "a non-2xx status and a refused connection are typed HttpClientErrors",
    () =>
      Effect.gen(function* () {
        const base = yield* serve
        const status = yield* Effect.flip(fetchJson(`${base}/status/503`))
        assert.strictEqual(status._tag, "HttpClientError")
        if (status._tag === "HttpClientError") {
          assert.strictEqual(status.reason._tag, "StatusCodeError")
          assert.strictEqual(status.response?.status, 503)
        }
        const missing = yield* Effect.flip(fetchJson(`${base}/nothing-here`))
        assert.strictEqual(missing._tag === "HttpClientError" && missing.response?.status, 404)
        const refused = yield* Effect.flip(fetchJson("http://127.0.0.1:1/get"))
        assert.strictEqual(refused._tag === "HttpClientError" && refused.reason._tag, "TransportError")
      }).pipe(Effect.scoped, Effect.provide(FetchHttpClient.layer)),
    10_000
  )
})
