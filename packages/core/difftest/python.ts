/**
 * The CPython side, seen from Node: a few long-lived `python3.13 interp.py --serve` processes, each
 * interpreting many programs (one JSON request a line, one answer a line), so that a run of
 * hundreds of programs pays for Python's start-up once per worker.
 */
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process"
import { fileURLToPath } from "node:url"
import type { Program } from "./ast.js"

/** The distinct logs of one program over several runs (see `run_perturbed` in interp.py). */
export type Logs = ReadonlyArray<ReadonlyArray<string>>

/** Runs per program: the first look, and the second for a program CPython runs in several orders. */
export const FIRST_RUNS = [0, 8] as const
export const MORE_RUNS = [8, 40] as const

const INTERP = fileURLToPath(new URL("./interp.py", import.meta.url))

/** The Python to run: `$DIFFTEST_PYTHON`, else `python3.13` (pyenv's 3.13.0 where pyenv is used). */
export const pythonCommand = (): string => process.env.DIFFTEST_PYTHON ?? "python3.13"

class Worker {
  private readonly process: ChildProcessWithoutNullStreams
  private buffer = ""
  private readonly pending = new Map<number, (logs: Logs) => void>()
  private failed: Error | undefined = undefined
  load = 0
  private readonly sizes = new Map<number, number>()

  constructor() {
    this.process = spawn(pythonCommand(), [INTERP, "--serve"], {
      env: { PYENV_VERSION: "3.13.0", ...process.env },
      stdio: ["pipe", "pipe", "pipe"]
    })
    this.process.stdout.setEncoding("utf8")
    this.process.stdout.on("data", (chunk: string) => this.receive(chunk))
    let stderr = ""
    this.process.stderr.setEncoding("utf8")
    this.process.stderr.on("data", (chunk: string) => {
      stderr += chunk
    })
    const fail = (error: Error) => {
      this.failed = error
      for (const resolve of this.pending.values()) resolve([[`!! python failed: ${error.message}`]])
      this.pending.clear()
    }
    this.process.on("error", fail)
    this.process.on("exit", (code) => {
      if (this.pending.size > 0) fail(new Error(`python exited with ${code}: ${stderr.trim()}`))
    })
  }

  private receive(chunk: string): void {
    this.buffer += chunk
    for (let end = this.buffer.indexOf("\n"); end >= 0; end = this.buffer.indexOf("\n")) {
      const line = this.buffer.slice(0, end)
      this.buffer = this.buffer.slice(end + 1)
      if (line.trim() === "") continue
      const answer = JSON.parse(line) as { id: number; logs: Logs }
      const resolve = this.pending.get(answer.id)
      this.pending.delete(answer.id)
      this.load -= this.sizes.get(answer.id) ?? 1
      this.sizes.delete(answer.id)
      resolve?.(answer.logs)
    }
  }

  run(id: number, program: Program, runs: readonly [number, number]): Promise<Logs> {
    if (this.failed !== undefined) return Promise.resolve([[`!! python failed: ${this.failed.message}`]])
    return new Promise((resolve) => {
      this.pending.set(id, resolve)
      this.load += runs[1] - runs[0]
      this.sizes.set(id, runs[1] - runs[0])
      this.process.stdin.write(`${JSON.stringify({ id, program, runs })}\n`)
    })
  }

  close(): void {
    this.process.stdin.end()
  }
}

/** A pool of Python interpreters; each program goes to the least loaded one. */
export class PythonPool {
  private readonly workers: ReadonlyArray<Worker>
  private nextId = 0

  constructor(size: number) {
    this.workers = Array.from({ length: Math.max(1, size) }, () => new Worker())
  }

  /** The distinct CPython 3.13 logs of `program` over runs `runs[0]..runs[1]-1`. */
  run(program: Program, runs: readonly [number, number] = FIRST_RUNS): Promise<Logs> {
    const worker = this.workers.reduce((best, w) => (w.load < best.load ? w : best))
    return worker.run(this.nextId++, program, runs)
  }

  close(): void {
    for (const worker of this.workers) worker.close()
  }
}
