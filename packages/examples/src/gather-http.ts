/**
 * Tutorial, "Gathering and Waiting for Tasks": `gather` of three HTTP fetches, over real HTTP.
 *
 * ```python
 * import asyncio
 * import aiohttp
 *
 * async def fetch_url(session, url: str):
 *     async with session.get(url) as response:
 *         return await response.text()
 *
 * async def gather_example():
 *     """gather() waits for all tasks, returns results in order"""
 *     urls = [
 *         "https://httpbin.org/delay/1",
 *         "https://httpbin.org/delay/2",
 *         "https://httpbin.org/delay/1",
 *     ]
 *
 *     async with aiohttp.ClientSession() as session:
 *         tasks = [fetch_url(session, url) for url in urls]
 *         # All results returned in order, even if completed out of order
 *         results = await asyncio.gather(*tasks, return_exceptions=True)
 *         return results
 * ```
 *
 * httpbin.org is replaced by a local server with the same routes (`httpbin.ts`), started on a
 * free loopback port by the program itself, so the example runs offline. The session is Effect's
 * `HttpClient`; the JSON is decoded with `effect/Schema`. A refused connection or a non-2xx
 * status is a typed `HttpClientError`, which `returnExceptions: true` puts in the results.
 *
 * The tutorial returns the results without printing them; this program prints one line per
 * result, for the tutorial's three URLs, then for three more of which two fail (a 503 and a
 * refused connection), the third answering in between, in its place:
 *
 * ```python
 * async def main():
 *     for result in await gather_example():
 *         print(result)
 * ```
 */
import * as asyncio from "@effect-asyncio/core"
import { Console, Effect } from "effect"
import { FetchHttpClient } from "effect/http"
import * as httpbin from "./httpbin.js"
import { runIfMain } from "./script.js"

// `session.get(url)` + `response.text()`, decoded: `httpbin.fetchJson` takes the client from the context
const fetchUrl = (url: string) => httpbin.fetchJson(url)

/** gather() waits for all tasks, returns results in order */
export const gatherExample = (urls: ReadonlyArray<string>) =>
  Effect.gen(function* () {
    const tasks = urls.map((url) => fetchUrl(url))
    // All results returned in order, even if completed out of order
    const results = yield* asyncio.gather(...tasks, { returnExceptions: true })
    return results
  }).pipe(
    // `async with aiohttp.ClientSession() as session:`
    Effect.provide(FetchHttpClient.layer)
  )

/** A result as one line without the server's port: the path that answered, or the typed error. */
const show = (
  base: string,
  result: httpbin.HttpbinResponse | { readonly _tag: string; readonly message: string }
): string =>
  "url" in result
    ? `200 ${result.url.replace(base, "")} from ${result.origin}`
    : `${result._tag}: ${result.message.replace(base, "")}`

export const main = Effect.scoped(
  Effect.gen(function* () {
    const base = yield* httpbin.serve
    const urls = [`${base}/delay/1`, `${base}/delay/2`, `${base}/delay/1`]
    for (const result of yield* gatherExample(urls)) yield* Console.log(show(base, result))
    // a non-2xx answer, and a port nobody listens on (port 1 needs root to listen)
    const failing = [`${base}/status/503`, `${base}/get`, "http://127.0.0.1:1/get"]
    for (const result of yield* gatherExample(failing)) yield* Console.log(show(base, result))
  })
)

runIfMain(import.meta.url, main)
