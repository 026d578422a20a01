/**
 * Checks the JSDoc examples of `packages/core/src` (`pnpm run docs:check`), or of another
 * package of the workspace with `--package <dir>` (`--package packages/cluster`: the same rules,
 * the package's own entry points and `.docs-check/`).
 *
 * What is checked:
 * 1. Coverage: every export (values and types) of `src/index.ts`, and of the other entry points
 *    of package.json's `exports` (`src/testing.ts`), has a JSDoc with a ```ts example, and that
 *    JSDoc has a `@since` (the release it first appeared in) and a `@category` (its group in the
 *    API reference that `pnpm docs` generates).
 * 2. Types: every ```ts block inside a JSDoc comment of a public module (`src/*.ts`, and
 *    `src/internal/*.ts` only for declarations an entry point exports) is written to a file
 *    of its own in `packages/core/.docs-check/` and all of them are type-checked in one program
 *    with `tsconfig.base.json` (strict; `"@effect-asyncio/core"` resolves to `src/index.ts` through
 *    the `@effect-asyncio/source` export condition).
 * 3. Running: each example runs with `tsx --conditions=@effect-asyncio/source` (two at a time,
 *    20 s timeout, real time); it must exit with code 0 (an unhandled rejection or a throw fails it).
 * 4. Output, by one convention: a line that calls `console.log(...)` or passes `console.log` as a
 *    callback (`.then(console.log)`) and ends with a `// <expected>` comment (or `// => <expected>`)
 *    is a checked line. Each time that line prints, what it prints must equal `<expected>`:
 *    - the text console.log writes (`util.format` of the arguments), compared after trimming;
 *      when it spans several lines (an error and its stack), only the first line is compared;
 *    - or, when `<expected>` is valid JSON and one value is logged, that value deep-equals it
 *      (so `// ["a", 2]` matches an array printed as `[ 'a', 2 ]`).
 *    A checked line that never prints fails. Commentary does not go on a checked line (write
 *    it on the line above); comments on other lines (`return x // 42`) are not checked.
 *
 * Output: one summary line when everything passes; otherwise the failures, then the summary.
 * Progress goes to stderr as it runs (what is being done, then a line every 10 examples run).
 * `--verbose` lists every example (file, export, pass/fail); `--keep` leaves the generated files
 * in `.docs-check/` (`<n>.<module>.<export>.ts` as type-checked, `.run.ts` as run); `--only <text>`
 * checks only the examples whose file or export contains the text.
 * Exit code 1 when anything fails.
 */
import { spawn } from "node:child_process"
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { dirname, join, relative, resolve } from "node:path"
import { fileURLToPath } from "node:url"
import ts from "typescript"

const rootDir = resolve(dirname(fileURLToPath(import.meta.url)), "../../..")
/** `--package <dir>`: the package whose examples are checked (default: the core, this script's own). */
const packageIndex = process.argv.indexOf("--package")
const packageDir =
  packageIndex >= 0 ? resolve(process.argv[packageIndex + 1] ?? "") : resolve(rootDir, "packages/core")
const srcDir = join(packageDir, "src")
const outDir = join(packageDir, ".docs-check")
const tsx = join(rootDir, "node_modules/.bin/tsx")
const verbose = process.argv.includes("--verbose")
const keep = process.argv.includes("--keep")
/** `--only <text>`: run only the examples whose file or export contains the text (while editing). */
const onlyIndex = process.argv.indexOf("--only")
const only = onlyIndex >= 0 ? process.argv[onlyIndex + 1] : undefined
const TIMEOUT_MS = 20_000
const CONCURRENCY = 2

interface Example {
  readonly id: string
  /** e.g. `src/tasks.ts:52` */
  readonly where: string
  /** The export (or `Class.member`) the JSDoc documents; `(module)` for a module header. */
  readonly name: string
  readonly code: string
  readonly failures: Array<string>
  /** Checked lines: 1-based line in `code` → expected text. */
  readonly expectations: Map<number, string>
}

// ---------------------------------------------------------------------------------------------
// the source program: what the entry points export, and which declarations those are

const baseConfig = ts.readConfigFile(join(rootDir, "tsconfig.base.json"), ts.sys.readFile)
if (baseConfig.error) throw new Error(ts.flattenDiagnosticMessageText(baseConfig.error.messageText, "\n"))
const compilerOptions = ts.parseJsonConfigFileContent(
  { ...baseConfig.config, compilerOptions: { ...baseConfig.config.compilerOptions, noEmit: true } },
  ts.sys,
  rootDir
).options

const sourceFiles = ts.sys
  .readDirectory(srcDir, [".ts"], undefined, ["**/*.ts"])
  .filter((file) => !file.endsWith(".d.ts"))
  .sort()
const sourceProgram = ts.createProgram(sourceFiles, compilerOptions)
const checker = sourceProgram.getTypeChecker()

/** The export condition under which the package's entry points are its TypeScript sources. */
const SOURCE_CONDITION = "@effect-asyncio/source"

/** The package's entry points: each `exports` entry's source file (`src/index.ts`, ...). */
const packageJson: { exports?: Record<string, string | Record<string, string | undefined>> } = JSON.parse(
  readFileSync(join(packageDir, "package.json"), "utf8")
)
const entryFiles = Object.values(packageJson.exports ?? {})
  .flatMap((entry) => {
    const source = typeof entry === "string" ? undefined : entry[SOURCE_CONDITION]
    return source === undefined ? [] : [resolve(packageDir, source)]
  })
  .sort((a, b) => Number(!a.endsWith("/index.ts")) - Number(!b.endsWith("/index.ts")))

interface PublicExport {
  readonly entry: string
  readonly name: string
  readonly declarations: ReadonlyArray<ts.Declaration>
}

/** Declarations exported by an entry point → their public names (index.ts's name first). */
const exported = new Map<ts.Declaration, string>()
const publicExports: Array<PublicExport> = []
for (const entryFile of entryFiles) {
  const entrySource = sourceProgram.getSourceFile(entryFile)
  const entrySymbol = entrySource && checker.getSymbolAtLocation(entrySource)
  if (entrySymbol === undefined) throw new Error(`cannot read the exports of ${entryFile}`)
  for (const symbol of checker.getExportsOfModule(entrySymbol)) {
    const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol
    const declarations = target.declarations ?? []
    publicExports.push({ entry: relative(packageDir, entryFile), name: symbol.name, declarations })
    for (const declaration of declarations) {
      if (!exported.has(declaration)) exported.set(declaration, symbol.name)
    }
  }
}

const codeBlock = /```ts[^\n]*\n([\s\S]*?)```/g

/** The text of a JSDoc comment without its `/**`, `*` margins and `*\/`. */
const jsDocText = (source: ts.SourceFile, doc: ts.JSDoc): string =>
  source.text
    .slice(doc.getStart(source), doc.end)
    .replace(/^\/\*\*/, "")
    .replace(/\*\/$/, "")
    .split("\n")
    .map((line) => line.replace(/^\s*\* ?/, ""))
    .join("\n")

const jsDocsOf = (node: ts.Node): ReadonlyArray<ts.JSDoc> =>
  ts.getJSDocCommentsAndTags(node).filter((doc): doc is ts.JSDoc => ts.isJSDoc(doc))

const nameOf = (node: ts.Node): string | undefined => {
  if (ts.isVariableStatement(node)) {
    const first = node.declarationList.declarations[0]
    return first === undefined ? undefined : first.name.getText()
  }
  const name = ts.getNameOfDeclaration(node as ts.Declaration)
  return name === undefined ? undefined : name.getText()
}

/** The declaration a JSDoc'd statement stands for (a variable statement's first declarator). */
const declarationOf = (node: ts.Node): ts.Node =>
  ts.isVariableStatement(node) ? (node.declarationList.declarations[0] ?? node) : node

const allExamples: Array<Example> = []
/** Top-level declarations whose own JSDoc has an example. */
const documented = new Set<ts.Node>()

for (const file of sourceFiles) {
  const source = sourceProgram.getSourceFile(file)
  if (source === undefined) continue
  const rel = relative(packageDir, file)
  const internal = rel.startsWith("src/internal/")
  const seen = new Set<ts.JSDoc>()
  const visit = (node: ts.Node, owner: string | undefined, ownerPublic: boolean) => {
    let name = owner
    let isPublic = ownerPublic
    const docs = jsDocsOf(node).filter((doc) => !seen.has(doc))
    const own = nameOf(node)
    if (own !== undefined && (ts.isSourceFile(node.parent) || ts.isVariableStatement(node))) {
      const publicName = exported.get(declarationOf(node) as ts.Declaration)
      name = publicName ?? own
      isPublic = publicName !== undefined
    } else if (own !== undefined && owner !== undefined) {
      name = `${owner}.${own}`
    }
    for (const doc of docs) {
      seen.add(doc)
      const text = jsDocText(source, doc)
      const blocks = [...text.matchAll(codeBlock)]
      // a module header is the first JSDoc of the file, when it is not the first statement's own
      const all = jsDocsOf(node)
      const header =
        node === source.statements[0] && (own === undefined || (all.length > 1 && doc === all[0]))
      const docName = header || name === undefined ? "(module)" : name
      if (blocks.length > 0 && !header && isPublic && ts.isSourceFile(node.parent) && name !== undefined) {
        documented.add(declarationOf(node))
      }
      if (internal && !(isPublic && !header)) continue
      const line = source.getLineAndCharacterOfPosition(doc.getStart(source)).line + 1
      for (const [index, block] of blocks.entries()) {
        const code = block[1] ?? ""
        const base = rel
          .replace(/^src\//, "")
          .replace(/\.ts$/, "")
          .replace(/[/]/g, "_")
        // numbered: `timeout` and `Timeout` must not share a file on a case-insensitive disk
        const id = `${String(allExamples.length + 1).padStart(3, "0")}.${base}.${docName.replace(/[^A-Za-z0-9]/g, "_")}${blocks.length > 1 ? `.${index + 1}` : ""}`
        allExamples.push({
          id,
          where: `${rel}:${line}`,
          name: docName,
          code,
          failures: [],
          expectations: expectationsOf(code)
        })
      }
    }
    ts.forEachChild(node, (child) => visit(child, name, isPublic))
  }
  for (const statement of source.statements) visit(statement, undefined, false)
}

/** `console.log(...) // expected` and `.then(console.log) // => expected` lines. */
function expectationsOf(code: string): Map<number, string> {
  const expectations = new Map<number, string>()
  code.split("\n").forEach((line, index) => {
    const match = /\bconsole\.log\b.*?\s\/\/\s?(?:=>\s*)?(.*\S)\s*$/.exec(line)
    // a `//` inside a string literal would fool this; the examples have none, and a wrong split
    // shows up as a failure, never as a silent pass
    if (match?.[1] !== undefined) expectations.set(index + 1, match[1])
  })
  return expectations
}

const examples =
  only === undefined
    ? allExamples
    : allExamples.filter((example) => example.where.includes(only) || example.name.includes(only))

// ---------------------------------------------------------------------------------------------
// coverage of the entry points

const coverageFailures = publicExports.filter(
  (each) => !each.declarations.some((declaration) => documented.has(declaration))
)

/** Exports whose documenting JSDoc lacks a tag the API reference needs. */
const REQUIRED_TAGS = ["since", "category"] as const
const tagFailures = publicExports.flatMap((each) => {
  const declaration = each.declarations.find((candidate) => documented.has(candidate))
  if (declaration === undefined) return []
  const tags = new Set(ts.getJSDocTags(declaration).map((tag) => tag.tagName.text))
  return REQUIRED_TAGS.filter((tag) => !tags.has(tag)).map((tag) => ({ ...each, tag }))
})

const checkStarted = Date.now()
const elapsed = () => `${Math.round((Date.now() - checkStarted) / 1000)} s`
const progress = (line: string) => process.stderr.write(`docs: ${line}\n`)
progress(
  `${examples.length} examples from ${new Set(examples.map((e) => e.where.split(":")[0])).size} modules; type-checking them`
)

// ---------------------------------------------------------------------------------------------
// type-check all examples in one program

rmSync(outDir, { recursive: true, force: true })
mkdirSync(outDir, { recursive: true })
const exampleFile = (example: Example) => join(outDir, `${example.id}.ts`)
const runFile = (example: Example) => join(outDir, `${example.id}.run.ts`)
for (const example of examples) {
  // a snippet without import/export would be a script sharing one global scope with the others
  const isModule = /^\s*(import|export)\s/m.test(example.code)
  writeFileSync(exampleFile(example), isModule ? example.code : `${example.code}\nexport {}\n`)
  writeFileSync(runFile(example), instrument(example))
}
writeFileSync(
  join(outDir, "tsconfig.json"),
  `${JSON.stringify({ extends: "../../../tsconfig.base.json", compilerOptions: { noEmit: true }, include: ["*.ts"], exclude: ["*.run.ts"] }, null, 2)}\n`
)
const exampleProgram = ts.createProgram(
  examples.map(exampleFile),
  ts.parseJsonConfigFileContent(
    ts.readConfigFile(join(outDir, "tsconfig.json"), ts.sys.readFile).config,
    ts.sys,
    outDir
  ).options
)
const byFile = new Map(examples.map((example) => [exampleFile(example), example]))
for (const diagnostic of ts.getPreEmitDiagnostics(exampleProgram)) {
  const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n")
  const example = diagnostic.file && byFile.get(resolve(diagnostic.file.fileName))
  if (diagnostic.file === undefined || diagnostic.start === undefined || example === undefined) {
    // an error outside the examples (in src or in the config) fails every one of them
    for (const each of examples) each.failures.push(`type error: ${message}`)
    continue
  }
  const line = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start).line + 1
  example.failures.push(`type error, line ${line}: TS${diagnostic.code} ${message}`)
}

// ---------------------------------------------------------------------------------------------
// run them

/**
 * The file that runs: the example with each checked `console.log` replaced by a probe that
 * prints as console.log does and compares what it printed; the probes report at exit. Lines
 * stay where they were, so stack traces point into the example.
 */
function instrument(example: Example): string {
  const lines = example.code.split("\n").map((line, index) => {
    const expected = example.expectations.get(index + 1)
    return expected === undefined
      ? line
      : line.replace(/\bconsole\.log\b/g, `__docsProbe(${index + 1}, ${JSON.stringify(expected)})`)
  })
  const probe = `
function __docsProbe(line: number, expected: string) {
  const util = process.getBuiltinModule("node:util")
  const g = globalThis as unknown as { __docsSeen?: Map<number, Array<string>> }
  if (g.__docsSeen === undefined) {
    const seen = new Map<number, Array<string>>()
    g.__docsSeen = seen
    process.on("exit", () => {
      const report = Object.fromEntries(seen)
      process.getBuiltinModule("node:fs").writeFileSync(process.env.DOCS_CHECK_REPORT ?? "", JSON.stringify(report))
    })
  }
  const seen = g.__docsSeen
  if (!seen.has(line)) seen.set(line, [])
  return (...args: Array<unknown>) => {
    console.log(...args)
    const printed = util.format(...args).trim().split("\\n")[0]?.trim() ?? ""
    let ok = printed === expected.trim()
    if (!ok && args.length === 1) {
      try { ok = util.isDeepStrictEqual(args[0], JSON.parse(expected)) } catch {}
    }
    seen.get(line)?.push(ok ? "" : printed)
  }
}
`
  return `${lines.join("\n")}\n${probe}`
}

interface RunResult {
  readonly code: number | null
  readonly timedOut: boolean
  readonly output: string
}

const runOne = (example: Example): Promise<RunResult> =>
  new Promise((resolvePromise) => {
    const report = join(outDir, `${example.id}.report.json`)
    const child = spawn(tsx, [`--conditions=${SOURCE_CONDITION}`, runFile(example)], {
      cwd: outDir,
      detached: true, // its own process group, so a timeout ends tsx and the node it started
      env: { ...process.env, DOCS_CHECK_REPORT: report, NODE_NO_WARNINGS: "1" },
      stdio: ["ignore", "pipe", "pipe"]
    })
    let output = ""
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString()
    })
    child.stderr.on("data", (chunk: Buffer) => {
      output += chunk.toString()
    })
    let timedOut = false
    const timer = setTimeout(() => {
      timedOut = true
      if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL")
    }, TIMEOUT_MS)
    child.on("close", (code) => {
      clearTimeout(timer)
      let seen: Record<string, Array<string>> = {}
      try {
        seen = JSON.parse(readFileSync(report, "utf8"))
      } catch {
        // no probe ran (no checked line, or the run died before exit): judged below
      }
      for (const [line, expected] of example.expectations) {
        const prints = seen[String(line)] ?? []
        if (prints.length === 0)
          example.failures.push(`line ${line}: expected "${expected}", printed nothing`)
        for (const printed of prints.filter((each) => each !== "")) {
          example.failures.push(`line ${line}: expected "${expected}", printed "${printed}"`)
        }
      }
      resolvePromise({ code, timedOut, output })
    })
  })

const toRun = examples.filter((example) => example.failures.length === 0)
progress(
  `type-checked (${examples.length - toRun.length} with errors, ${elapsed()}); running ${toRun.length}, ${CONCURRENCY} at a time`
)
const queue = [...toRun]
let finished = 0
const worker = async () => {
  for (let example = queue.shift(); example !== undefined; example = queue.shift()) {
    const started = Date.now()
    const result = await runOne(example)
    const seconds = ((Date.now() - started) / 1000).toFixed(1)
    if (result.timedOut) example.failures.unshift(`timed out after ${TIMEOUT_MS / 1000} s`)
    else if (result.code !== 0) example.failures.unshift(`exited with code ${result.code} after ${seconds} s`)
    if (example.failures.length > 0 && result.output.trim() !== "") {
      const tail = result.output.trim().split("\n").slice(-12)
      example.failures.push(`output:\n${tail.map((line) => `      | ${line}`).join("\n")}`)
    }
    finished += 1
    if (example.failures.length > 0) progress(`FAIL ${example.where} ${example.name}`)
    if (finished % 10 === 0 || finished === toRun.length) {
      const failing = toRun.filter((each) => each.failures.length > 0).length
      progress(`ran ${finished}/${toRun.length} (${failing} failed, ${elapsed()})`)
    }
  }
}
await Promise.all(Array.from({ length: CONCURRENCY }, worker))
if (!keep) rmSync(outDir, { recursive: true, force: true })

// ---------------------------------------------------------------------------------------------
// report

const failed = examples.filter((example) => example.failures.length > 0)
const checkedLines = examples.reduce((sum, example) => sum + example.expectations.size, 0)
// examples that print (console.log, Effect.log) but state nothing checkable: a hint, not a failure
const unchecked = examples.filter(
  (example) => example.expectations.size === 0 && /\b(console|Effect)\.log\b/.test(example.code)
).length
for (const example of examples) {
  const ok = example.failures.length === 0
  if (ok && !verbose) continue
  const note = example.expectations.size === 0 ? "  (output not checked)" : ""
  console.log(`${ok ? "pass" : "FAIL"}  ${example.where}  ${example.name}${ok ? note : ""}`)
  for (const failure of example.failures) console.log(`      ${failure}`)
}
for (const { entry, name } of coverageFailures) {
  console.log(`FAIL  ${entry}  ${name}: exported without a JSDoc example`)
}
for (const { entry, name, tag } of tagFailures) {
  console.log(`FAIL  ${entry}  ${name}: its JSDoc has no @${tag}`)
}
const summary =
  `docs: ${examples.length - failed.length}/${examples.length} examples pass` +
  ` (${checkedLines} output lines checked${unchecked > 0 ? `; ${unchecked} print without a checked line` : ""}), ` +
  `${publicExports.length - coverageFailures.length}/${publicExports.length} exports have an example` +
  `${tagFailures.length > 0 ? `, ${tagFailures.length} missing @since/@category tags` : " (with @since and @category)"}`
console.log(summary)
process.exitCode = failed.length > 0 || coverageFailures.length > 0 || tagFailures.length > 0 ? 1 : 0
