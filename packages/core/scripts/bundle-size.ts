/**
 * What the package costs in an app's bundle (`pnpm bundle-size`, after `pnpm build`).
 *
 * Each row is a small program that imports what a typical app imports, bundled by esbuild from
 * `dist/` as an app's bundler would bundle the published package (ES modules, minified,
 * tree-shaken through `"sideEffects": false`), beside a bare Effect program for scale. Printed:
 * minified and gzipped sizes, and how much of the minified bundle is effect, and Schema within it
 * (the typed errors are `Schema.TaggedError` classes, so that they stay encodable). The app's own
 * code imports effect's modules (`effect/Effect`), so that a row shows what the package costs, not
 * what esbuild keeps of effect's barrel (see scripts/build.ts).
 * `--markdown` prints the table as the README has it.
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs"
import { dirname, join, resolve } from "node:path"
import { fileURLToPath } from "node:url"
import { gzipSync } from "node:zlib"
import { build } from "esbuild"

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), "..")
const workDir = join(packageDir, ".bundle-size")
const markdown = process.argv.includes("--markdown")

/** Programs an app would write: `core` and `testing` stand for the package's two entry points. */
const programs: ReadonlyArray<{ readonly name: string; readonly code: string }> = [
  {
    name: 'bare Effect program (for scale), `import { Effect } from "effect"`',
    code: `import { Effect } from "effect"
Effect.runPromise(Effect.succeed(1)).then(console.log)`
  },
  {
    name: 'bare Effect program, `import * as Effect from "effect/Effect"`',
    code: `import * as Effect from "effect/Effect"
Effect.runPromise(Effect.succeed(1)).then(console.log)`
  },
  {
    name: "one `Schema.TaggedError` class alone",
    code: `import * as Schema from "effect/Schema"
class Boom extends Schema.TaggedError<Boom>()("Boom", { message: Schema.String }) {}
console.log(new Boom({ message: "boom" }))`
  },
  {
    name: "`@effect-asyncio/core`, everything",
    code: `import * as asyncio from "core"
console.log(asyncio)`
  },
  {
    name: "`@effect-asyncio/core/testing`, everything",
    code: `import * as testing from "testing"
console.log(testing)`
  },
  {
    name: "only `Semaphore`",
    code: `import { Semaphore } from "core"
console.log(new Semaphore(2))`
  },
  {
    name: "`run` + `createTask` + `sleep`",
    code: `import * as Effect from "effect/Effect"
import { createTask, run, sleep } from "core"
run(Effect.flatMap(createTask(sleep(1, "done")), (task) => task)).then(console.log)`
  },
  {
    name: "`run` + `gather`",
    code: `import { gather, run, sleep } from "core"
run(gather(sleep(1, "a"), sleep(1, "b"))).then(console.log)`
  },
  {
    name: "`run` + `TaskGroup`",
    code: `import { run, sleep, TaskGroup } from "core"
run(TaskGroup.run((tg) => tg.createTask(sleep(1, "done")))).then(console.log)`
  }
]

interface Row {
  readonly name: string
  readonly minified: number
  readonly gzipped: number
  readonly effect: number
  readonly schema: number
}

rmSync(workDir, { recursive: true, force: true })
mkdirSync(workDir, { recursive: true })
const rows: Array<Row> = []
for (const [index, program] of programs.entries()) {
  const entry = join(workDir, `${index}.ts`)
  writeFileSync(entry, `${program.code}\n`)
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    format: "esm",
    platform: "neutral",
    external: ["node:*"],
    target: "es2023",
    write: false,
    metafile: true,
    logLevel: "error",
    alias: { core: join(packageDir, "dist/index.js"), testing: join(packageDir, "dist/testing.js") }
  })
  const output = result.outputFiles[0]
  const meta = Object.values(result.metafile.outputs)[0]
  if (output === undefined || meta === undefined)
    throw new Error(`esbuild produced nothing for ${program.name}`)
  let effect = 0
  let schema = 0
  for (const [input, { bytesInOutput }] of Object.entries(meta.inputs)) {
    if (!/node_modules\/(\.pnpm\/[^/]+\/node_modules\/)?effect\//.test(input)) continue
    effect += bytesInOutput
    if (
      /\/dist\/(Schema|SchemaAST|SchemaIssue|SchemaParser|SchemaGetter|SchemaTransformation|SchemaRepresentation|internal\/schema)/.test(
        input
      )
    )
      schema += bytesInOutput
  }
  rows.push({
    name: program.name,
    minified: output.contents.length,
    gzipped: gzipSync(output.contents).length,
    effect,
    schema
  })
}
rmSync(workDir, { recursive: true, force: true })

const kb = (bytes: number) => `${(bytes / 1000).toFixed(1)} KB`
const header = ["import", "minified", "gzipped", "of which effect", "of which Schema"]
const lines = rows.map((row) => [row.name, kb(row.minified), kb(row.gzipped), kb(row.effect), kb(row.schema)])
if (markdown) {
  console.log(`| ${header.join(" | ")} |`)
  console.log(`| ${header.map(() => "---").join(" | ")} |`)
  for (const line of lines) console.log(`| ${line.join(" | ")} |`)
} else {
  const widths = header.map((cell, column) =>
    Math.max(cell.length, ...lines.map((line) => (line[column] ?? "").length))
  )
  for (const line of [header, ...lines]) {
    console.log(
      line
        .map((cell, column) =>
          column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0)
        )
        .join("  ")
    )
  }
}
