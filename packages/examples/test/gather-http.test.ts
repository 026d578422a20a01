import { assert, describe, it } from "@effect/vitest"
import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import { TestConsole } from "effect/testing"
import { main } from "../src/gather-http.js"

// Real HTTP to the example's own local server, with real time (the server's /delay sleeps are
// real): the three fetches of 1, 2 and 1 s take about 2 s, not 4. Bounded by the test timeout.
describe("gather-http", () => {
  it.live(
    "gather of three fetches over HTTP, in order, ~2 s; failures come back as typed errors",
    () =>
      Effect.gen(function* () {
        const start = Date.now()
        yield* asyncio.runEffect(main)
        const took = (Date.now() - start) / 1000
        const lines = (yield* TestConsole.logLines).map(String)
        assert.deepStrictEqual(lines, [
          "200 /delay/1 from 127.0.0.1",
          "200 /delay/2 from 127.0.0.1",
          "200 /delay/1 from 127.0.0.1",
          "HttpClientError: StatusCode: non 2xx status code (503 GET /status/503)",
          "200 /get from 127.0.0.1",
          "HttpClientError: Transport error (GET http://127.0.0.1:1/get)"
        ])
        assert.isAtLeast(took, 1.9)
        assert.isBelow(took, 3.9) // one after the other they would take 4 s
      }).pipe(Effect.provide(TestConsole.layer)),
    15_000
  )
})
