/**
 * A Promise-based server that runs effect-asyncio tasks: plain Node code (`node:http`, `async`
 * handlers) serves the requests; the work each request does is an effect, run as a task of one
 * long-lived loop with `loop.submit(effect)` (asyncio's `run_coroutine_threadsafe`).
 *
 * In Python this is a threaded server whose handlers call into an event loop running in another
 * thread:
 *
 * ```python
 * import asyncio, threading
 * from http.server import ThreadingHTTPServer, BaseHTTPRequestHandler
 *
 * loop = asyncio.new_event_loop()
 * threading.Thread(target=loop.run_forever, daemon=True).start()
 *
 * async def hello(name):
 *     await asyncio.sleep(0.05)
 *     return f"Hello, {name} (from {asyncio.current_task().get_name()})"
 *
 * class Handler(BaseHTTPRequestHandler):
 *     def do_GET(self):
 *         future = asyncio.run_coroutine_threadsafe(hello("world"), loop)
 *         body = future.result(timeout=5).encode()
 *         self.send_response(200); self.end_headers(); self.wfile.write(body)
 *
 * ThreadingHTTPServer(("127.0.0.1", 8000), Handler).serve_forever()
 * ```
 *
 * JavaScript has one thread: the loop runs in a `Runner` whose main task waits until the server
 * closes, and a handler's `await` lets the loop run meanwhile. The routes:
 *
 * - `GET /hello?name=x`: one task (`loop.submit`), whose result is the body.
 * - `GET /report`: three tasks at once in a `TaskGroup` opened from the handler
 *   (`await using tg = await asyncio.TaskGroup.open(loop)`), one of them a Promise.
 * - `GET /slow?seconds=n`: a job under `waitFor(job, 1)`: 504 after a second. A client that goes
 *   away cancels its request's task (`submission.cancel()`).
 * - `GET /proxy`: `fromPromise((signal) => fetch(url, { signal }))`, a fetch of `/hello` that the
 *   task's cancellation (here: `waitFor`'s deadline) would abort.
 */
import * as http from "node:http"
import type { AddressInfo } from "node:net"
import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import { isMain } from "./script.js"

/** A running server: its address, its loop, what happened to requests, and how to stop it. */
export interface PromiseServer {
  readonly url: string
  readonly loop: asyncio.EventLoopService
  /** "cancelled /slow" when a client went away: what tests look at */
  readonly events: ReadonlyArray<string>
  close(): Promise<void>
}

const hello = (name: string) =>
  Effect.gen(function* () {
    yield* asyncio.sleep(0.05)
    const task = yield* asyncio.currentTask
    return `Hello, ${name} (from ${task?.getName()})`
  })

const stat = (name: string, seconds: number, value: number) => asyncio.sleep(seconds, { name, value })

const slowJob = (seconds: number, events: Array<string>) =>
  asyncio
    .sleep(seconds, "finished")
    .pipe(Effect.onInterrupt(() => Effect.sync(() => events.push("cancelled /slow"))))

/** Sends `body` (a string or JSON) with `status`. */
const send = (res: http.ServerResponse, status: number, body: unknown) => {
  const text = typeof body === "string" ? body : JSON.stringify(body)
  res.writeHead(status, { "content-type": typeof body === "string" ? "text/plain" : "application/json" })
  res.end(text)
}

/** Runs `effect` as a task of `loop` for this request; a client that goes away cancels it. */
const forRequest = <A, E>(
  loop: asyncio.EventLoopService,
  res: http.ServerResponse,
  effect: Effect.Effect<A, E, asyncio.EventLoop>
): Promise<A> => {
  const submission = loop.submit(effect)
  res.on("close", () => {
    if (!res.writableFinished) submission.cancel()
  })
  return submission.promise
}

const handle = async (
  loop: asyncio.EventLoopService,
  base: string,
  events: Array<string>,
  req: http.IncomingMessage,
  res: http.ServerResponse
) => {
  const url = new URL(req.url ?? "/", base)
  switch (url.pathname) {
    case "/hello":
      return send(res, 200, await forRequest(loop, res, hello(url.searchParams.get("name") ?? "world")))
    case "/report": {
      // a TaskGroup opened from Promise code: leaving the block waits for every child
      await using tg = await asyncio.TaskGroup.open(loop)
      const users = tg.createTask(stat("users", 0.05, 42))
      const orders = tg.createTask(stat("orders", 0.1, 7))
      const uptime = tg.createTask(Promise.resolve({ name: "uptime", value: Math.round(process.uptime()) }))
      return send(res, 200, await Promise.all([users.toPromise(), orders.toPromise(), uptime.toPromise()]))
    }
    case "/slow": {
      const seconds = Number(url.searchParams.get("seconds") ?? "5")
      try {
        return send(res, 200, await forRequest(loop, res, asyncio.waitFor(slowJob(seconds, events), 1)))
      } catch (error) {
        if (error instanceof asyncio.TimeoutError) return send(res, 504, "too slow")
        throw error
      }
    }
    case "/proxy": {
      const fetched = asyncio.fromPromise((signal) =>
        fetch(`${base}/hello?name=proxy`, { signal }).then((response) => response.text())
      )
      return send(res, 200, `proxied: ${await forRequest(loop, res, asyncio.waitFor(fetched, 2))}`)
    }
    default:
      return send(res, 404, "not found")
  }
}

/** Starts the server on `port` (0: any free one) of 127.0.0.1, and its loop. */
export const startServer = async (port = 0): Promise<PromiseServer> => {
  // Ctrl-C is the server's to handle (it closes the server, which ends main)
  const runner = new asyncio.Runner({ handleSigint: false })
  const loop = runner.getLoop()
  // the loop runs while main does: main waits until the server is closed
  let stop = () => {}
  const stopped = new Promise<void>((resolve) => {
    stop = resolve
  })
  const serving = runner.run(asyncio.fromPromise(() => stopped))
  const events: Array<string> = []
  let base = ""
  const server = http.createServer((req, res) => {
    handle(loop, base, events, req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, String(error))
      else res.destroy()
    })
  })
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    url: base,
    loop,
    events,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()))
      stop()
      await serving
      await runner.close()
    }
  }
}

if (isMain(import.meta.url)) {
  const server = await startServer(Number(process.env.PORT ?? "8000"))
  console.log(`serving on ${server.url}: /hello?name=you, /report, /slow?seconds=3, /proxy (Ctrl-C stops)`)
  process.once("SIGINT", () => void server.close())
}
