/**
 * Runs a fixture of test/fixtures as a real child process (under tsx, with the package's source
 * condition): for what only a process shows (signals, exit codes, what is printed at exit, the
 * garbage collector). The one kind of test that waits on real time, always bounded.
 */
import { spawn } from "node:child_process"
import * as path from "node:path"
import { fileURLToPath } from "node:url"

const here = path.dirname(fileURLToPath(import.meta.url))
const coreRoot = path.resolve(here, "../..")
const binDir = path.resolve(coreRoot, "../../node_modules/.bin")

export interface ChildRun {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  readonly stdout: string
  readonly stderr: string
}

export interface ChildOptions {
  readonly args?: ReadonlyArray<string>
  /** `NODE_OPTIONS` of the child (`--expose-gc`) */
  readonly nodeOptions?: string
  readonly env?: Readonly<Record<string, string>>
  /** kill it (and fail) after this long */
  readonly timeoutMs: number
  /** called with each complete line the child prints on stdout, and the child itself */
  readonly onLine?: (line: string, child: { kill(signal: NodeJS.Signals): void }) => void
  /**
   * Run Node itself (`node --import tsx`) rather than the `tsx` launcher, so that a signal reaches
   * the program: the launcher relays SIGINT and SIGTERM to it, not the others (SIGUSR2, SIGHUP).
   */
  readonly direct?: boolean
}

/** Runs `test/fixtures/<name>` and resolves once it exited, with what it printed. */
export const runFixture = (name: string, options: ChildOptions): Promise<ChildRun> =>
  new Promise((resolve, reject) => {
    const script = [
      "--conditions=@effect-asyncio/source",
      path.join("test/fixtures", name),
      ...(options.args ?? [])
    ]
    const child = spawn(
      options.direct === true ? process.execPath : path.join(binDir, "tsx"),
      options.direct === true ? ["--import", "tsx", ...script] : script,
      {
        cwd: coreRoot,
        // the tsx launcher runs under `node` from PATH: Node 24 from the node package
        env: {
          ...process.env,
          PATH: `${binDir}${path.delimiter}${process.env.PATH ?? ""}`,
          NODE_OPTIONS: options.nodeOptions ?? "",
          ...options.env
        },
        stdio: ["ignore", "pipe", "pipe"]
      }
    )
    let stdout = ""
    let stderr = ""
    let pending = ""
    const timer = setTimeout(() => {
      child.kill("SIGKILL")
      reject(
        new Error(`${name} did not finish in ${options.timeoutMs} ms\nstdout:\n${stdout}\nstderr:\n${stderr}`)
      )
    }, options.timeoutMs)
    child.stdout.on("data", (chunk: Buffer) => {
      const text = chunk.toString()
      stdout += text
      pending += text
      const lines = pending.split("\n")
      pending = lines.pop() ?? ""
      for (const line of lines) options.onLine?.(line, child)
    })
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString()
    })
    child.on("error", (error) => {
      clearTimeout(timer)
      reject(error)
    })
    child.on("close", (code, signal) => {
      clearTimeout(timer)
      resolve({ code, signal, stdout, stderr })
    })
  })

/** The lines a run printed on stdout, without the empty ones. */
export const linesOf = (text: string): Array<string> => text.split("\n").filter((line) => line !== "")
