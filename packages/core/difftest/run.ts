/**
 * `pnpm difftest`: the differential fuzzer. Generates random asyncio programs from seeds, runs each
 * in CPython 3.13 (`interp.py`, a few long-lived processes) and on effect-asyncio (`interp.ts`),
 * both on virtual time, compares the logs line by line, minimises the programs that diverge and
 * saves them to `failures/<level>-<seed>.json`. See README.md in this folder.
 *
 *   pnpm difftest                          300 programs per level, levels 1..6
 *   pnpm difftest --level=3 --count=50 --seed=1000
 *   pnpm difftest --replay=packages/core/difftest/failures/3-1017.json
 *   pnpm difftest --record-corpus          writes corpus/ (agreeing programs and their CPython log)
 *
 * Options: --seed=N (first seed, default 1), --count=N (programs per level), --level=K or
 * --level=2,4, --jobs=N (Python workers, default 2), --budget=N (runs per minimisation, default
 * 250), --no-minimise, --verbose (print every minimised program).
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { blocksOf, LEVELS, type Level, type Op, type Program, sizeOf } from "./ast.js"
import { broken, firstDifference, judge } from "./compare.js"
import { generate } from "./generate.js"
import { runTs } from "./interp.js"
import { minimise } from "./minimise.js"
import { pretty } from "./pretty.js"
import { PythonPool } from "./python.js"

const HERE = fileURLToPath(new URL(".", import.meta.url))
const FAILURES = `${HERE}failures/`
const CORPUS = `${HERE}corpus/`

interface Options {
  readonly seed: number
  readonly count: number | undefined
  readonly levels: ReadonlyArray<Level>
  readonly jobs: number
  readonly budget: number
  readonly minimise: boolean
  readonly verbose: boolean
  readonly replay: string | undefined
  readonly recordCorpus: boolean
}

const parseOptions = (argv: ReadonlyArray<string>): Options => {
  const get = (name: string): string | undefined => {
    const prefix = `--${name}=`
    return argv.find((arg) => arg.startsWith(prefix))?.slice(prefix.length)
  }
  const flag = (name: string) => argv.includes(`--${name}`)
  const known = ["seed", "count", "level", "jobs", "budget", "replay"]
  const flags = ["no-minimise", "no-minimize", "verbose", "record-corpus"]
  for (const arg of argv) {
    const name = arg.replace(/^--/, "").split("=")[0] ?? ""
    if (!known.includes(name) && !flags.includes(name)) throw new Error(`unknown option ${arg}`)
  }
  const levels = get("level")
    ?.split(",")
    .map((s) => Number(s))
    .filter((n): n is Level => (LEVELS as ReadonlyArray<number>).includes(n))
  const count = get("count")
  return {
    seed: Number(get("seed") ?? 1),
    count: count === undefined ? undefined : Number(count),
    levels: levels === undefined || levels.length === 0 ? LEVELS : levels,
    jobs: Number(get("jobs") ?? 2),
    budget: Number(get("budget") ?? 250),
    minimise: !flag("no-minimise") && !flag("no-minimize"),
    verbose: flag("verbose"),
    replay: get("replay"),
    recordCorpus: flag("record-corpus")
  }
}

const show = (line: string | undefined): string => (line === undefined ? "(end of log)" : line)

/** The kind of a divergence: its first differing lines without labels and numbers. */
const kindOf = (python: ReadonlyArray<string>, ours: ReadonlyArray<string>): string => {
  const i = firstDifference(python, ours)
  const norm = (line: string | undefined) =>
    show(line)
      .replace(/\b(main|[A-Z]\d*)\b/g, "X")
      .replace(/'[^']*'/g, "v")
      .replace(/\d+(\.\d+)?/g, "v")
  return `${norm(python[i])}  ||  ${norm(ours[i])}`
}

/** What a minimised program is made of: its op names (and the eager factory), sorted. */
const featuresOf = (program: Program): string => {
  const names = new Set<string>()
  const visit = (ops: ReadonlyArray<Op>) => {
    for (const op of ops) {
      names.add(op.op === "spawn" && op.eager === true ? "spawn(eager)" : op.op)
      for (const block of blocksOf(op)) visit(block)
    }
  }
  visit(program.main)
  for (const body of Object.values(program.bodies)) visit(body.ops)
  if (program.eager) names.add("eager_task_factory")
  return [...names].sort().join(" ")
}

const sideBySide = (python: ReadonlyArray<string>, ours: ReadonlyArray<string>): string => {
  const width = Math.max(20, ...python.map((l) => l.length))
  const out = [`${"CPython 3.13".padEnd(width)}   effect-asyncio`]
  for (let i = 0; i < Math.max(python.length, ours.length); i++) {
    const a = python[i] ?? ""
    const b = ours[i] ?? ""
    out.push(`${a.padEnd(width)} ${a === b ? " " : "≠"} ${b}`)
  }
  return out.join("\n")
}

interface Failure {
  readonly level: Level
  readonly seed: number
  readonly size: number
  readonly program: Program
  readonly python: ReadonlyArray<string>
  readonly ours: ReadonlyArray<string>
  readonly kind: string
  readonly unstable: boolean
}

/** Both sides of one program. */
const runBoth = async (pool: PythonPool, program: Program) => {
  const first = pool.run(program)
  const ours = await runTs(program)
  const verdict = await judge(pool, program, ours, first)
  return { ...verdict, ours }
}

const runLevel = async (pool: PythonPool, options: Options, level: Level, count: number) => {
  const seeds = Array.from({ length: count }, (_, i) => options.seed + i)
  const programs = seeds.map((seed) => generate(level, seed))
  const pythonLogs = programs.map((program) => pool.run(program))
  const ourLogs: Array<ReadonlyArray<string>> = []
  for (const program of programs) ourLogs.push(await runTs(program))
  let agree = 0
  let invalid = 0
  let deadlocks = 0
  let unstable = 0
  const failures: Array<Failure> = []
  for (let i = 0; i < programs.length; i++) {
    const program = programs[i]
    const ours = ourLogs[i]
    const first = pythonLogs[i]
    if (program === undefined || ours === undefined || first === undefined) continue
    const verdict = await judge(pool, program, ours, first)
    if (verdict.python.at(-1) === "-> deadlock") deadlocks += 1
    if (verdict.unstable) unstable += 1
    if (verdict.invalid) {
      invalid += 1
      const line = verdict.logs.flat().find((l) => l.startsWith("!!"))
      console.log(`  L${level} seed ${program.seed}: invalid program: ${line}`)
      continue
    }
    if (verdict.agree) agree += 1
    else
      failures.push({
        level,
        seed: program.seed,
        size: sizeOf(program),
        program,
        python: verdict.python,
        ours,
        kind: "",
        unstable: verdict.unstable
      })
  }
  return { agree, invalid, deadlocks, unstable, failures, total: programs.length }
}

const minimiseFailure = async (pool: PythonPool, options: Options, failure: Failure): Promise<Failure> => {
  const kind = kindOf(failure.python, failure.ours)
  if (!options.minimise) return { ...failure, kind }
  // a smaller program must diverge the same way (same first differing lines, up to names and
  // values): otherwise the commonest divergence would swallow the others
  const result = await minimise(
    failure.program,
    async (candidates) => {
      const python = candidates.map((program) => pool.run(program))
      const ours: Array<ReadonlyArray<string>> = []
      for (const candidate of candidates) ours.push(await runTs(candidate))
      return Promise.all(
        candidates.map(async (candidate, i) => {
          const log = ours[i] ?? []
          const verdict = await judge(pool, candidate, log, python[i])
          return !verdict.invalid && !verdict.agree && kindOf(verdict.python, log) === kind
        })
      )
    },
    options.budget
  )
  const both = await runBoth(pool, result.program)
  return {
    ...failure,
    program: result.program,
    python: both.python,
    ours: both.ours,
    kind: kindOf(both.python, both.ours),
    unstable: both.unstable
  }
}

const saveFailure = (failure: Failure, original: Program) => {
  mkdirSync(FAILURES, { recursive: true })
  const i = firstDifference(failure.python, failure.ours)
  const file = `${FAILURES}${failure.level}-${failure.seed}.json`
  const data = {
    level: failure.level,
    seed: failure.seed,
    firstDifference: { line: i + 1, cpython: failure.python[i] ?? null, ours: failure.ours[i] ?? null },
    cpythonUnstable: failure.unstable,
    source: pretty(failure.program),
    program: failure.program,
    cpython: failure.python,
    ours: failure.ours,
    original
  }
  writeFileSync(file, `${JSON.stringify(data, null, 2)}\n`)
  return file
}

const replay = async (pool: PythonPool, file: string) => {
  const data = JSON.parse(readFileSync(file, "utf8")) as { program?: Program } & Program
  const program = data.program ?? data
  console.log(pretty(program))
  console.log("")
  const { python, ours, logs, agree } = await runBoth(pool, program)
  console.log(sideBySide(python, ours))
  if (logs.length > 1)
    console.log(`\n(CPython gave ${logs.length} different logs; shown: the closest to ours)`)
  const i = firstDifference(python, ours)
  console.log(agree ? "\nthe logs agree" : `\nfirst difference at line ${i + 1}`)
}

/** A corpus file: the program (one line), its source for reading, and CPython 3.13's log. */
const corpusEntry = (program: Program, cpython: ReadonlyArray<string>): string =>
  [
    "{",
    `  "level": ${program.level},`,
    `  "seed": ${program.seed},`,
    `  "source": [\n${pretty(program)
      .split("\n")
      .map((line) => `    ${JSON.stringify(line)}`)
      .join(",\n")}\n  ],`,
    `  "program": ${JSON.stringify(program)},`,
    `  "cpython": [\n${cpython.map((line) => `    ${JSON.stringify(line)}`).join(",\n")}\n  ]`,
    "}",
    ""
  ].join("\n")

const recordCorpus = async (pool: PythonPool, options: Options) => {
  const perLevel = options.count ?? 10
  rmSync(CORPUS, { recursive: true, force: true })
  mkdirSync(CORPUS, { recursive: true })
  for (const level of options.levels) {
    let kept = 0
    for (let seed = options.seed; kept < perLevel && seed < options.seed + perLevel * 50; seed++) {
      const program = generate(level, seed)
      // programs with something to show: a few ops at least
      if (sizeOf(program) < 4 + level) continue
      const { python, agree, invalid, unstable } = await runBoth(pool, program)
      // a corpus program has one CPython log, ours is that log, and it ends (no deadlock: the
      // TypeScript side waits a little real time before it calls a program deadlocked)
      if (invalid || unstable || !agree || broken(python) || python.at(-1) === "-> deadlock") continue
      writeFileSync(`${CORPUS}${level}-${seed}.json`, corpusEntry(program, python))
      kept += 1
    }
    console.log(`level ${level}: ${kept} programs recorded`)
  }
  console.log(`corpus: ${readdirSync(CORPUS).length} programs in ${CORPUS}`)
}

const percent = (n: number, total: number) => (total === 0 ? "-" : `${((100 * n) / total).toFixed(1)}%`)

const main = async () => {
  const options = parseOptions(process.argv.slice(2))
  const pool = new PythonPool(options.jobs)
  try {
    // a first program tells whether CPython runs at all
    const probe = await pool.run({ level: 1, seed: 0, eager: false, prims: [], main: [], bodies: {} }, [0, 1])
    const first = probe[0]?.[0] ?? ""
    if (first.startsWith("!! ")) {
      console.error(`difftest: CPython 3.13 does not run (${first}); set DIFFTEST_PYTHON to a python3.13`)
      process.exitCode = 1
      return
    }
    if (options.replay !== undefined) return await replay(pool, options.replay)
    if (options.recordCorpus) return await recordCorpus(pool, options)
    const count = options.count ?? 300
    const started = Date.now()
    const rows: Array<Array<string>> = []
    const kinds = new Map<string, Array<Failure>>()
    for (const level of options.levels) {
      const levelStart = Date.now()
      const result = await runLevel(pool, options, level, count)
      const ranIn = ((Date.now() - levelStart) / 1000).toFixed(1)
      console.log(
        `level ${level}: ${result.total} programs, ${result.agree} agree, ${result.failures.length} differ (${ranIn} s)`
      )
      for (const failure of result.failures) {
        const small = await minimiseFailure(pool, options, failure)
        const file = saveFailure(small, failure.program)
        const i = firstDifference(small.python, small.ours)
        console.log(
          `  L${level} seed ${failure.seed} (${failure.size} -> ${sizeOf(small.program)} ops) line ${i + 1}: ` +
            `cpython ${JSON.stringify(show(small.python[i]))} | ours ${JSON.stringify(show(small.ours[i]))}`
        )
        if (options.verbose) console.log(`${pretty(small.program).replace(/^/gm, "      ")}\n      (${file})`)
        const key = featuresOf(small.program)
        const list = kinds.get(key) ?? []
        list.push(small)
        kinds.set(key, list)
      }
      const valid = result.total - result.invalid
      rows.push([
        String(level),
        String(result.total),
        String(result.agree),
        String(result.failures.length),
        percent(result.agree, valid),
        String(result.deadlocks),
        String(result.unstable),
        String(result.invalid)
      ])
    }
    console.log(
      "\nDivergences by the ops of the minimised program (count, ops; the smallest example and its first differing line):"
    )
    for (const [key, list] of [...kinds].sort((a, b) => b[1].length - a[1].length)) {
      const smallest = list.reduce((a, b) => (sizeOf(a.program) <= sizeOf(b.program) ? a : b))
      const i = firstDifference(smallest.python, smallest.ours)
      console.log(
        `  ${String(list.length).padStart(4)}  ${key}   failures/${smallest.level}-${smallest.seed}.json`
      )
      console.log(
        `          cpython ${JSON.stringify(show(smallest.python[i]))} | ours ${JSON.stringify(show(smallest.ours[i]))}`
      )
    }
    const header = [
      "level",
      "programs",
      "agree",
      "differ",
      "agree %",
      "deadlocks",
      "several orders",
      "invalid"
    ]
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)))
    const line = (cells: ReadonlyArray<string>) =>
      `| ${cells.map((c, i) => c.padStart(widths[i] ?? 0)).join(" | ")} |`
    console.log(`\n${line(header)}\n|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`)
    for (const row of rows) console.log(line(row))
    console.log(`\n${((Date.now() - started) / 1000).toFixed(1)} s; failures in ${FAILURES}`)
  } finally {
    pool.close()
  }
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (error: unknown) => {
    console.error(error)
    process.exit(1)
  }
)
