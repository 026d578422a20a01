import { assert, describe, it } from "@effect/vitest"
import * as asyncio from "@effect-asyncio/core"
import { startServer } from "../src/promise-server.js"

/** Resolves once `done()` holds, checked at each turn of Node's event loop (at most 10 s). */
const until = async (done: () => boolean): Promise<void> => {
  const deadline = Date.now() + 10_000
  while (!done()) {
    if (Date.now() > deadline) throw new Error("not within 10 s")
    await new Promise((resolve) => setImmediate(resolve))
  }
}

const get = async (url: string, init?: RequestInit) => {
  const response = await fetch(url, init)
  return { status: response.status, body: await response.text() }
}

// A real node:http server on a loopback port, with real time: bounded by vitest's timeout.
describe("promise-server (a Promise-based server running effect-asyncio tasks)", () => {
  it("each request's work is a task of the server's loop; every route answers", async () => {
    const server = await startServer()
    try {
      const hello = await get(`${server.url}/hello?name=you`)
      assert.strictEqual(hello.status, 200)
      assert.match(hello.body, /^Hello, you \(from Task-\d+\)$/)

      const report = await get(`${server.url}/report`)
      assert.strictEqual(report.status, 200)
      const stats = JSON.parse(report.body) as Array<{ readonly name: string; readonly value: number }>
      assert.deepStrictEqual(
        stats.map((stat) => stat.name),
        ["users", "orders", "uptime"]
      )
      assert.deepStrictEqual(stats.slice(0, 2), [
        { name: "users", value: 42 },
        { name: "orders", value: 7 }
      ])

      const started = Date.now()
      const slow = await get(`${server.url}/slow?seconds=5`)
      assert.deepStrictEqual(slow, { status: 504, body: "too slow" })
      assert.isBelow(Date.now() - started, 3000)

      const proxied = await get(`${server.url}/proxy`)
      assert.strictEqual(proxied.status, 200)
      assert.match(proxied.body, /^proxied: Hello, proxy \(from Task-\d+\)$/)
      assert.strictEqual((await get(`${server.url}/nope`)).status, 404)
    } finally {
      await server.close()
    }
    assert.isTrue(server.loop.isClosed())
  }, 15_000)

  it("concurrent requests run concurrently: twenty 50 ms tasks in much less than a second", async () => {
    const server = await startServer()
    try {
      const started = Date.now()
      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, i) => get(`${server.url}/hello?name=n${i}`))
      )
      assert.isTrue(answers.every((answer, i) => answer.body.startsWith(`Hello, n${i} `)))
      assert.isBelow(Date.now() - started, 900)
      // only the main task is left (the one that keeps the loop running)
      assert.strictEqual(asyncio.allTasksUnsafe(server.loop).size, 1)
    } finally {
      await server.close()
    }
  }, 15_000)

  it("a client that goes away cancels its request's task", async () => {
    const server = await startServer()
    try {
      const controller = new AbortController()
      const request = fetch(`${server.url}/slow?seconds=5`, { signal: controller.signal }).catch(
        () => "aborted"
      )
      // the server's clock and sockets are real: wait for what happened, never for a time
      await until(() => asyncio.allTasksUnsafe(server.loop).size === 2) // the request's task runs
      controller.abort()
      assert.strictEqual(await request, "aborted")
      await until(() => server.events.length > 0)
      assert.deepStrictEqual(server.events, ["cancelled /slow"])
      assert.strictEqual(asyncio.allTasksUnsafe(server.loop).size, 1)
    } finally {
      await server.close()
    }
  }, 15_000)
})
