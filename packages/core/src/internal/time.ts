/**
 * Seconds as asyncio counts them, at the boundary with Effect (which reads a bare number as
 * milliseconds: that reading must never leak into our API).
 */
import { Duration, Effect } from "effect"
import { TypeError, ValueError } from "../exceptions.js"

/**
 * A delay or timeout: a number of seconds, as in asyncio, or an Effect `Duration`.
 *
 * @example
 * ```ts
 * import { Duration, Effect } from "effect"
 * import * as asyncio from "@effect-asyncio/core"
 *
 * const half: asyncio.Seconds = 0.5
 * const quarter: asyncio.Seconds = Duration.millis(250)
 * asyncio.run(Effect.andThen(asyncio.sleep(half), asyncio.sleep(quarter, "0.75 s later"))).then(console.log) // 0.75 s later
 * ```
 * @category Tasks
 * @since 0.1.0
 */
export type Seconds = number | Duration.Duration

/**
 * Reads `seconds` as milliseconds (may be negative or `Infinity`), or dies with asyncio's
 * `ValueError` for NaN and `TypeError` for anything that is neither a number nor a Duration.
 */
export const toMillis = (seconds: Seconds, what: string): Effect.Effect<number> => {
  if (typeof seconds === "number") {
    if (Number.isNaN(seconds)) {
      return Effect.die(new ValueError({ message: `Invalid ${what}: NaN (not a number)` }))
    }
    return Effect.succeed(seconds * 1000)
  }
  if (Duration.isDuration(seconds)) return Effect.succeed(Duration.toMillis(seconds))
  return Effect.die(
    new TypeError({ message: `${what} must be a number of seconds or a Duration, got ${describe(seconds)}` })
  )
}

/** `repr()`-like description of a value for error messages. */
export const describe = (value: unknown): string => {
  if (value === null) return "null"
  if (typeof value === "string") return JSON.stringify(value)
  if (typeof value === "function") return `<function ${value.name || "anonymous"}>`
  if (typeof value === "object") return `<${value.constructor?.name ?? "object"} object>`
  return String(value)
}
