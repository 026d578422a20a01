import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

/** Python's `type(e).__name__` */
const className = (e: unknown): string =>
  typeof e === "object" && e !== null && "_tag" in e ? String(e._tag) : e instanceof Error ? e.name : typeof e

export const main = (log: Log) =>
  Effect.gen(function* () {
    const loop = yield* asyncio.getRunningLoop

    // The handler's message is "Exception in callback <callback>". CPython 3.13 names the callback
    // by its qualified name and source line, without its arguments outside debug mode
    // ("Exception in callback main.<locals>.boom() at /path/program.py:17"); effect-asyncio by the
    // JavaScript function's name and its arguments ("boom(1)"). The file and the qualified name
    // cannot be reproduced in JavaScript, so both sides log the message's first three words and
    // the exception's class.
    const handler = (loop: asyncio.EventLoopService, context: asyncio.ExceptionContext) => {
      log(
        "!",
        ...context.message.split(/\s+/).slice(0, 3),
        className(context.exception),
        Math.round(loop.time() * 1000)
      )
    }

    loop.setExceptionHandler(handler)

    const fail = () => {
      throw new asyncio.TypeError({ message: "t" })
    }

    loop.callLater(1, log, "before")
    loop.callLater(1, fail)
    loop.callLater(1, log, "after")
    yield* asyncio.sleep(2)
    log("end")
  })
