import { execFile } from "node:child_process"
import { fileURLToPath } from "node:url"
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { isMain } from "../src/script.js"

const examples = fileURLToPath(new URL("..", import.meta.url))
const tsx = fileURLToPath(new URL("../../../node_modules/tsx/dist/cli.mjs", import.meta.url))

/** `pnpm run <name>`'s command, with real time: what the example prints on stdout. */
const runScript = (file: string) =>
  Effect.callback<string, Error>((resume) => {
    execFile(
      process.execPath,
      [tsx, "--conditions=@effect-asyncio/source", file],
      { cwd: examples },
      (error, stdout) => resume(error === null ? Effect.succeed(stdout) : Effect.fail(error))
    )
  })

describe("script entry", () => {
  it.effect("an example imported by a test does not run itself", () =>
    Effect.sync(() => assert.isFalse(isMain(new URL("../src/create-task.ts", import.meta.url).href)))
  )

  it.live(
    "run as a script, an example prints its output on stdout (real time)",
    () =>
      Effect.gen(function* () {
        const stdout = yield* runScript("src/create-task.ts")
        assert.strictEqual(
          stdout,
          "All tasks started\nResults: Data from API-1, Data from API-2, Data from API-3\nSame object: true\n"
        )
      }),
    15_000
  )
})
