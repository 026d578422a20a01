/**
 * Seconds as asyncio counts them, at the boundary with Effect (which reads a bare number as
 * milliseconds: that reading must never leak into our API). The check of a value given as
 * seconds is `validate.seconds` (internal/validate.ts).
 */
import type { Duration } from "effect"

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
