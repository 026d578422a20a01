/**
 * `pnpm bench`: every scenario, side by side: effect-asyncio, raw Effect 4, plain Promises and
 * CPython asyncio.
 *
 * Design: this process only orchestrates. Each measured run is a fresh child process (node for
 * the JavaScript contenders, python for asyncio) that warms up, runs the scenario once, and
 * reports its wall time and memory; so peak RSS is per contender, and no contender inherits
 * another's heap, JIT state or garbage. Runs are interleaved (run 1 of every contender, then run
 * 2, with the order rotated each round) so the machine's drift hits every contender alike; the
 * figure is the median. Memory runs are separate: the probe forces a collection while the tasks
 * are pending, which would distort the timing.
 *
 * Flags: --smoke (CI: N = 1000, one timed run, no memory run, results/smoke.json, no chart), --runs=K (default 5),
 * --mem-runs=K (default 3), --only=id,id (scenario ids), --timeout=S (default 60: a run still going
 * after S seconds is stopped and shown as "> S s"), BENCH_SCALE=x multiplies every N; --redraw prints
 * the tables and redraws the chart from results/latest.json without running anything.
 * Output: a table on stdout, results/latest.json, results/ratios.svg (see chart.ts).
 */
import { execFileSync, spawn } from "node:child_process"
import { mkdirSync, readFileSync, writeFileSync } from "node:fs"
import * as os from "node:os"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { renderSvg } from "./chart.js"
import { CPU_CONTENDERS, FIB } from "./cpu.js"
import {
  type BenchResult,
  type ContenderResult,
  type CpuResult,
  formatCpuTable,
  formatTables,
  median,
  type RunSample
} from "./report.js"
import { CONTENDERS, type ContenderId, OURS_ONLY, PROGRAMS, SCENARIOS, type Scenario } from "./scenarios.js"

const here = dirname(fileURLToPath(import.meta.url))
const resultsDir = join(here, "results")

interface Options {
  readonly smoke: boolean
  readonly runs: number
  readonly memRuns: number
  readonly only: ReadonlySet<string> | undefined
  readonly scale: number
  readonly timeoutSeconds: number
}

const parseOptions = (argv: ReadonlyArray<string>): Options => {
  const flag = (name: string) => argv.find((arg) => arg === `--${name}` || arg.startsWith(`--${name}=`))
  const value = (name: string) => flag(name)?.split("=")[1]
  const smoke = flag("smoke") !== undefined
  const scale = Number(process.env.BENCH_SCALE ?? "1")
  if (!(scale > 0)) throw new Error(`BENCH_SCALE must be a positive number, got ${process.env.BENCH_SCALE}`)
  const only = value("only")
  return {
    smoke,
    runs: Number(value("runs") ?? (smoke ? 1 : 5)),
    memRuns: Number(value("mem-runs") ?? (smoke ? 0 : 3)),
    only: only === undefined ? undefined : new Set(only.split(",")),
    scale,
    timeoutSeconds: Number(value("timeout") ?? (smoke ? 120 : 60))
  }
}

/** CPython 3.13 through pyenv, else the newest python3 on PATH. */
const findPython = ():
  | { readonly command: string; readonly env: NodeJS.ProcessEnv; readonly version: string }
  | undefined => {
  const candidates: Array<[string, NodeJS.ProcessEnv]> = [
    ["python3.13", { ...process.env, PYENV_VERSION: "3.13.0" }]
  ]
  for (let minor = 20; minor >= 8; minor--) candidates.push([`python3.${minor}`, process.env])
  candidates.push(["python3", process.env])
  for (const [command, env] of candidates) {
    try {
      const version = execFileSync(command, ["--version"], {
        env,
        encoding: "utf8",
        stdio: ["ignore", "pipe", "ignore"]
      })
      return { command, env, version: version.trim() }
    } catch {
      // not installed: try the next
    }
  }
  return undefined
}

const python = findPython()

const spawnRun = (
  contender: ContenderId,
  scenario: Scenario,
  n: number,
  mode: "time" | "mem",
  warmupN: number,
  timeoutMs: number
): Promise<RunSample | "unsupported" | "timeout"> => {
  const args = [scenario.program, String(n), mode, String(warmupN)]
  const [command, argv, env] =
    contender === "asyncio"
      ? [python?.command ?? "python3", [join(here, "asyncio_bench.py"), ...args], python?.env ?? process.env]
      : [
          process.execPath,
          [
            "--expose-gc",
            "--max-old-space-size=4096",
            "--conditions=@effect-asyncio/source",
            "--import",
            "tsx",
            join(here, "child.ts"),
            contender,
            ...args
          ],
          process.env
        ]
  return new Promise((resolve, reject) => {
    const child = spawn(command, argv, { env, cwd: join(here, ".."), stdio: ["ignore", "pipe", "pipe"] })
    let stdout = ""
    let stderr = ""
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString()
    })
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString()
    })
    let timedOut = false
    const timer = setTimeout(() => {
      timedOut = true
      child.kill("SIGKILL")
    }, timeoutMs)
    child.on("close", (code, signal) => {
      clearTimeout(timer)
      if (timedOut) {
        resolve("timeout")
        return
      }
      const line = stdout.trim().split("\n").at(-1)
      if (code !== 0 || line === undefined || line === "") {
        reject(
          new Error(`${contender} ${scenario.id} exited ${code ?? signal}: ${stderr.trim().slice(-2000)}`)
        )
        return
      }
      const sample = JSON.parse(line) as RunSample | { readonly unsupported: string }
      if ("unsupported" in sample) {
        console.log(`  (${contender} cannot run ${scenario.id}: ${sample.unsupported})`)
        resolve("unsupported")
      } else {
        resolve(sample)
      }
    })
  })
}

const available = (contender: ContenderId, scenario: Scenario): boolean =>
  contender === "asyncio"
    ? python !== undefined && !OURS_ONLY.has(scenario.program)
    : PROGRAMS[scenario.program]?.[contender as Exclude<ContenderId, "asyncio">] !== undefined

const rotate = <A>(items: ReadonlyArray<A>, by: number): Array<A> =>
  items.map((_, i) => items[(i + by) % items.length] as A)

/** `--redraw`: the tables and the chart again from results/latest.json, without running anything. */
const redraw = (): void => {
  const report = JSON.parse(readFileSync(join(resultsDir, "latest.json"), "utf8")) as {
    readonly machine: Parameters<typeof renderSvg>[1]
    readonly results: ReadonlyArray<BenchResult>
  }
  console.log(formatTables(report.results))
  writeFileSync(join(resultsDir, "ratios.svg"), renderSvg(report.results, report.machine))
  console.log(`wrote ${join(resultsDir, "ratios.svg")}`)
}

/**
 * The CPU-bound row (cpu.ts): N computations of fib(FIB) by each contender of CPU_CONTENDERS,
 * JavaScript's and CPython's, each in a fresh process as the other scenarios; runs interleaved,
 * the figure the median. Selected by `--only=cpu` (or by no `--only`).
 */
const runCpuSuite = async (options: Options, failures: Array<string>): Promise<CpuResult> => {
  const n = Math.max(2, Math.round((options.smoke ? 2 : 16) * options.scale))
  const available = CPU_CONTENDERS.filter((c) => c.runtime === "node" || python !== undefined)
  const samples = new Map(available.map((c) => [c, [] as Array<number>]))
  for (let round = 0; round < options.runs; round++) {
    for (const contender of rotate(available, round)) {
      const scenario: Scenario = {
        id: "cpu",
        program: contender.program,
        title: `${contender.label}: N × fib(${FIB})`,
        n,
        smokeN: n,
        unit: "item",
        pendingProbe: false
      }
      try {
        const sample = await spawnRun(
          contender.runtime === "node" ? "ours" : "asyncio",
          scenario,
          n,
          "time",
          n,
          options.timeoutSeconds * 1000
        )
        if (sample === "timeout")
          console.log(`  (${contender.label}: no result within ${options.timeoutSeconds} s)`)
        else if (sample !== "unsupported") samples.get(contender)?.push(sample.wallMs)
      } catch (error) {
        failures.push(String(error instanceof Error ? error.message : error))
      }
    }
  }
  const rows = available.flatMap((contender) => {
    const runsMs = samples.get(contender) ?? []
    return runsMs.length === 0
      ? []
      : [
          {
            label: contender.label,
            program: contender.program,
            runtime: contender.runtime,
            baseline: contender.baseline,
            wallMs: median(runsMs),
            runsMs
          }
        ]
  })
  return { n, fib: FIB, rows }
}

const main = async (): Promise<void> => {
  if (process.argv.includes("--redraw")) return redraw()
  const options = parseOptions(process.argv.slice(2))
  // at smoke size, tasks-10k/100k/1m are one and the same run: keep one row per program
  const scenarios = SCENARIOS.filter(
    (s, i) =>
      (options.only === undefined || options.only.has(s.id)) &&
      !(options.smoke && SCENARIOS.findIndex((t) => t.program === s.program) !== i)
  )
  const startedAt = new Date().toISOString()
  const loadBefore = os.loadavg()
  const failures: Array<string> = []
  const results: Array<BenchResult> = []
  const effectVersion = (
    JSON.parse(readFileSync(join(here, "..", "node_modules", "effect", "package.json"), "utf8")) as {
      version: string
    }
  ).version
  console.log(
    `effect-asyncio bench: ${options.smoke ? "smoke" : "full"}, ${options.runs} timed + ${options.memRuns} memory runs per contender; python: ${python?.version ?? "not found"}`
  )

  for (const scenario of scenarios) {
    const n = Math.max(1, Math.round((options.smoke ? scenario.smokeN : scenario.n) * options.scale))
    const warmupN = Math.min(n, options.smoke ? 100 : 10_000)
    const contenders = CONTENDERS.filter((c) => available(c, scenario))
    const samples = new Map<ContenderId, { time: Array<RunSample>; mem: Array<RunSample> }>(
      contenders.map((c) => [c, { time: [], mem: [] }])
    )
    // a contender that outlives the timeout once is not run again in this scenario
    const timedOut = new Set<ContenderId>()
    const measure = async (mode: "time" | "mem", rounds: number) => {
      for (let round = 0; round < rounds; round++) {
        for (const contender of rotate(contenders, round)) {
          if (timedOut.has(contender)) continue
          try {
            const sample = await spawnRun(
              contender,
              scenario,
              n,
              mode,
              warmupN,
              options.timeoutSeconds * 1000
            )
            if (sample === "timeout") {
              timedOut.add(contender)
              console.log(`  (${contender} ${scenario.id}: no result within ${options.timeoutSeconds} s)`)
            } else if (sample !== "unsupported") {
              samples.get(contender)?.[mode].push(sample)
            }
          } catch (error) {
            failures.push(String(error instanceof Error ? error.message : error))
          }
        }
      }
    }
    await measure("time", options.runs)
    if (scenario.pendingProbe) await measure("mem", options.memRuns)

    const byContender: Partial<Record<ContenderId, ContenderResult>> = {}
    for (const [contender, { time, mem }] of samples) {
      if (time.length === 0) continue
      const heaps = mem.flatMap((sample) => (sample.heapPerPending === null ? [] : [sample.heapPerPending]))
      byContender[contender] = {
        wallMs: median(time.map((s) => s.wallMs)),
        runsMs: time.map((s) => s.wallMs),
        perUnitUs: (median(time.map((s) => s.wallMs)) * 1000) / n,
        peakRssPerUnit: median(time.map((s) => (Math.max(0, s.maxRssKb - s.rssBeforeKb) * 1024) / n)),
        heapPerPending: heaps.length === 0 ? null : median(heaps)
      }
    }
    const result: BenchResult = {
      id: scenario.id,
      title: scenario.title,
      timedOut: [...timedOut],
      timeoutSeconds: options.timeoutSeconds,
      unit: scenario.unit,
      n,
      contenders: byContender
    }
    results.push(result)
    process.stdout.write(
      `  ${scenario.id}: ${contenders.map((c) => `${c} ${byContender[c]?.wallMs.toFixed(1) ?? (timedOut.has(c) ? "(timeout)" : "ERR")}ms`).join(", ")}\n`
    )
  }

  const cpu =
    options.only === undefined || options.only.has("cpu") ? await runCpuSuite(options, failures) : undefined
  if (cpu !== undefined) {
    process.stdout.write(
      `  cpu: ${cpu.rows.map((row) => `${row.label} ${row.wallMs.toFixed(0)}ms`).join(", ")}\n`
    )
  }

  const machine = {
    cpu: os.cpus()[0]?.model ?? "unknown",
    cores: os.cpus().length,
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    python: python?.version ?? null,
    effect: effectVersion,
    loadavgBefore: loadBefore,
    loadavgAfter: os.loadavg()
  }
  const report = {
    startedAt,
    smoke: options.smoke,
    scale: options.scale,
    runs: options.runs,
    memRuns: options.memRuns,
    machine,
    results,
    cpu
  }
  console.log()
  if (results.length > 0) console.log(formatTables(results))
  if (cpu !== undefined) console.log(`\n${formatCpuTable(cpu)}`)
  console.log(
    `\nmachine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGb} GB, ${machine.os}; node ${machine.node}, ${machine.python}, effect ${machine.effect}`
  )
  console.log(
    `load average before/after: ${loadBefore.map((l) => l.toFixed(2)).join(" ")} / ${machine.loadavgAfter.map((l) => l.toFixed(2)).join(" ")}`
  )

  mkdirSync(resultsDir, { recursive: true })
  const jsonPath = join(resultsDir, options.smoke ? "smoke.json" : "latest.json")
  writeFileSync(jsonPath, `${JSON.stringify(report, null, 2)}\n`)
  console.log(`wrote ${jsonPath}`)
  if (!options.smoke && results.length > 0) {
    const svgPath = join(resultsDir, "ratios.svg")
    writeFileSync(svgPath, renderSvg(results, machine))
    console.log(`wrote ${svgPath}`)
  }
  if (failures.length > 0) {
    console.error(`\n${failures.length} run(s) crashed:\n${failures.join("\n")}`)
    process.exitCode = 1
  }
}

main().catch((error: unknown) => {
  console.error(error)
  process.exitCode = 1
})
