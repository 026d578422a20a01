import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

/** Python's `type(x).__name__ if isinstance(x, BaseException) else x` */
const nameOf = (x: unknown) =>
  typeof x === "object" && x !== null && "_tag" in x ? (x as { readonly _tag: string })._tag : x

export const main = (log: Log) =>
  Effect.gen(function* () {
    const ok = (name: string) =>
      Effect.gen(function* () {
        yield* asyncio.sleep(0)
        log(name, "returns")
        return name
      })

    const bad = () =>
      Effect.gen(function* () {
        return yield* new asyncio.ValueError({ message: "bad" })
      })

    const r = yield* asyncio.gather(ok("a"), bad(), ok("b"), { returnExceptions: true })
    log("results", r.map(nameOf))
    log("error message", r[1].message)
  })
