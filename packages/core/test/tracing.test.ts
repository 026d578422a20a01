/**
 * `tracing`: every task is an Effect span. Exported by effect's own OTLP exporter
 * (effect/observability's `OtlpTracer`, JSON over HTTP) to a receiver in this process, which
 * checks the spans, their attributes and their parent links: a task's span is a child of its
 * creator's (or of the span its creator is in), and the spans of its body are its children.
 */
import * as http from "node:http"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { FetchHttpClient } from "effect/http"
import { OtlpSerialization, OtlpTracer } from "effect/observability"
import * as asyncio from "../src/index.js"

interface OtlpSpan {
  readonly traceId: string
  readonly spanId: string
  readonly parentSpanId?: string
  readonly name: string
  readonly attributes: ReadonlyArray<{ readonly key: string; readonly value: Record<string, unknown> }>
  readonly status?: { readonly code: number }
}

/** An OTLP/HTTP receiver on 127.0.0.1: collects the spans of every `POST /v1/traces`. */
const receiver = async () => {
  const spans: Array<OtlpSpan> = []
  const server = http.createServer((request, response) => {
    let body = ""
    request.on("data", (chunk: Buffer) => {
      body += chunk.toString()
    })
    request.on("end", () => {
      if (request.url === "/v1/traces") {
        const data = JSON.parse(body) as {
          resourceSpans: ReadonlyArray<{ scopeSpans: ReadonlyArray<{ spans: ReadonlyArray<OtlpSpan> }> }>
        }
        for (const resource of data.resourceSpans)
          for (const scope of resource.scopeSpans) spans.push(...scope.spans)
      }
      response.writeHead(200, { "content-type": "application/json" })
      response.end("{}")
    })
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const address = server.address()
  const port = typeof address === "object" && address !== null ? address.port : 0
  return { spans, url: `http://127.0.0.1:${port}/v1/traces`, close: () => server.close() }
}

const attribute = (span: OtlpSpan | undefined, key: string): unknown => {
  const value = span?.attributes.find((entry) => entry.key === key)?.value
  return value === undefined ? undefined : Object.values(value)[0]
}

describe("tracing: a span per task, exported with effect's OTLP exporter", () => {
  it("spans named as the tasks, nested as they were created, with id, parent, outcome and cancel message", async () => {
    const otlp = await receiver()
    const tracer = OtlpTracer.layer({ url: otlp.url, resource: { serviceName: "tracing-test" } }).pipe(
      Layer.provide(OtlpSerialization.layerJson),
      Layer.provide(FetchHttpClient.layer)
    )
    const ids: Record<string, number> = {}
    const main = Effect.gen(function* () {
      const main = yield* asyncio.currentTask
      if (main !== undefined) ids.main = asyncio.futureId(main)
      const child = yield* asyncio.createTask(
        Effect.gen(function* () {
          // a span of the task's body, and a task created inside it
          yield* Effect.gen(function* () {
            const grandchild = yield* asyncio.createTask(asyncio.sleep(0.01, "g"), { name: "grandchild" })
            ids.grandchild = asyncio.futureId(grandchild)
            return yield* grandchild
          }).pipe(Effect.withSpan("fetch"))
          return "child done"
        }),
        { name: "child" }
      )
      ids.child = asyncio.futureId(child)
      const failing = yield* asyncio.createTask(Effect.fail("boom"), { name: "failing" })
      const sleeper = yield* asyncio.createTask(asyncio.sleep(3600), { name: "sleeper" })
      yield* asyncio.sleep(0)
      yield* sleeper.cancel("shutting down")
      yield* Effect.exit(failing)
      yield* Effect.exit(sleeper)
      return yield* child
    })
    const result = await asyncio.run(main, { tracing: tracer, handleSigint: false })
    otlp.close()
    assert.strictEqual(result, "child done")

    const byName = (name: string) => otlp.spans.find((span) => span.name === name)
    const [task1, child, fetch, grandchild, failing, sleeper] = [
      "Task-1",
      "child",
      "fetch",
      "grandchild",
      "failing",
      "sleeper"
    ].map(byName)
    for (const span of [task1, child, fetch, grandchild, failing, sleeper]) assert.isDefined(span)
    // the nesting: Task-1 > child > fetch (a span of child's body) > grandchild; Task-1 > failing, sleeper
    assert.isUndefined(task1?.parentSpanId)
    assert.strictEqual(child?.parentSpanId, task1?.spanId)
    assert.strictEqual(fetch?.parentSpanId, child?.spanId)
    assert.strictEqual(grandchild?.parentSpanId, fetch?.spanId)
    assert.strictEqual(failing?.parentSpanId, task1?.spanId)
    assert.strictEqual(sleeper?.parentSpanId, task1?.spanId)
    assert.isTrue(otlp.spans.every((span) => span.traceId === task1?.traceId))
    // attributes
    assert.strictEqual(Number(attribute(task1, "asyncio.task.id")), ids.main)
    assert.strictEqual(Number(attribute(child, "asyncio.task.id")), ids.child)
    assert.strictEqual(Number(attribute(child, "asyncio.task.parent_id")), ids.main)
    assert.strictEqual(Number(attribute(grandchild, "asyncio.task.parent_id")), ids.child)
    assert.strictEqual(attribute(grandchild, "asyncio.task.name"), "grandchild")
    assert.strictEqual(attribute(child, "asyncio.task.outcome"), "ok")
    assert.strictEqual(attribute(failing, "asyncio.task.outcome"), "failed")
    assert.strictEqual(failing?.status?.code, 2)
    assert.strictEqual(attribute(sleeper, "asyncio.task.outcome"), "cancelled")
    assert.strictEqual(attribute(sleeper, "asyncio.task.cancel_message"), "shutting down")
  }, 30_000)

  it("runEffect: off by default (the spans a program opens are its own); tracing: true uses the caller's tracer", async () => {
    const otlp = await receiver()
    const tracer = OtlpTracer.layer({ url: otlp.url, resource: { serviceName: "tracing-test" } }).pipe(
      Layer.provide(OtlpSerialization.layerJson),
      Layer.provide(FetchHttpClient.layer)
    )
    const program = Effect.gen(function* () {
      const task = yield* asyncio.createTask(asyncio.sleep(0.01).pipe(Effect.withSpan("inside")), {
        name: "job"
      })
      yield* task
    }).pipe(Effect.withSpan("program"))
    await Effect.runPromise(Effect.provide(asyncio.runEffect(program), tracer))
    assert.sameMembers(
      otlp.spans.map((span) => span.name),
      ["program", "inside"]
    )
    otlp.spans.length = 0
    await Effect.runPromise(Effect.provide(asyncio.runEffect(program, { tracing: true }), tracer))
    otlp.close()
    const byName = (name: string) => otlp.spans.find((span) => span.name === name)
    assert.sameMembers(
      otlp.spans.map((span) => span.name),
      ["Task-1", "program", "job", "inside"]
    )
    assert.strictEqual(byName("program")?.parentSpanId, byName("Task-1")?.spanId)
    assert.strictEqual(byName("job")?.parentSpanId, byName("program")?.spanId)
    assert.strictEqual(byName("inside")?.parentSpanId, byName("job")?.spanId)
  }, 30_000)
})
