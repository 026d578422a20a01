import { execFile } from "node:child_process"
import { fileURLToPath } from "node:url"
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"

const examples = fileURLToPath(new URL("..", import.meta.url))
const tsx = fileURLToPath(new URL("../../../node_modules/tsx/dist/cli.mjs", import.meta.url))

// Real worker threads, so real time: run as `pnpm run cpu-bound` runs it (under tsx, whose loader
// the worker threads inherit), and read what it prints. CPython 3.13 printed the same lines for the
// Python original (in the example's header): the four counts, then "the loop kept ticking: True".
describe("cpu-bound", () => {
  it.live(
    "four counts of primes through toThread, in worker threads, while the loop keeps ticking",
    () =>
      Effect.gen(function* () {
        const stdout = yield* Effect.callback<string, Error>((resume) => {
          execFile(
            process.execPath,
            [tsx, "--conditions=@effect-asyncio/source", "src/cpu-bound.ts"],
            { cwd: examples },
            (error, out) => resume(error === null ? Effect.succeed(out) : Effect.fail(error))
          )
        })
        assert.deepStrictEqual(stdout.trim().split("\n"), [
          "primes below 100000: 9592",
          "primes below 110000: 10453",
          "primes below 120000: 11301",
          "primes below 130000: 12159",
          "the loop kept ticking: true"
        ])
      }),
    40_000
  )
})
