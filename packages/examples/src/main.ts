/**
 * The demo (`pnpm start`): every program of the tutorial, one after the other, each on its own
 * `asyncio.run` with real time, under a heading; the wall time of each beside the time the
 * tutorial claims (or that its sleeps add up to), and a one-screen summary at the end.
 */
import { performance } from "node:perf_hooks"
import * as asyncio from "@effect-asyncio/core"
import type { Effect } from "effect"
import * as backgroundTasks from "./background-tasks.js"
import * as cpuBound from "./cpu-bound.js"
import * as createTask from "./create-task.js"
import * as gatherHttp from "./gather-http.js"
import * as gracefulShutdown from "./graceful-shutdown.js"
import * as gracefulSigterm from "./graceful-sigterm.js"
import * as lazyVsEager from "./lazy-vs-eager.js"
import * as rateLimit from "./rate-limit.js"
import * as taskMonitor from "./task-monitor.js"
import * as taskStates from "./task-states.js"
import * as taskgroup from "./taskgroup.js"
import * as taskgroupLegacy from "./taskgroup-legacy.js"
import * as waitFirstCompleted from "./wait-first-completed.js"

interface Example {
  /** The script name: `pnpm --filter @effect-asyncio/examples run <name>`. */
  readonly name: string
  /** The tutorial section the program comes from. */
  readonly section: string
  /** How long it should take, in seconds: its sleeps' critical path. */
  readonly expected: number
  /** What the tutorial says about it. */
  readonly claim: string
  readonly main: Effect.Effect<unknown, unknown, asyncio.EventLoop>
}

const examples: ReadonlyArray<Example> = [
  {
    name: "lazy-vs-eager",
    section: "Introduction to asyncio Tasks",
    expected: 1,
    claim: "the task runs during main's 0.5 s sleep: 1 s, not 1.5",
    main: lazyVsEager.main
  },
  {
    name: "create-task",
    section: "Creating and Running Tasks",
    expected: 1.5,
    claim: 'tutorial: "roughly 1.5 seconds total" for 1.0 + 1.5 + 0.5 s',
    main: createTask.main
  },
  {
    name: "task-states",
    section: "Task Management and Control",
    expected: 2,
    claim: "a 10 s task cancelled after 2 s",
    main: taskStates.main
  },
  {
    name: "graceful-shutdown",
    section: "Task Management and Control",
    expected: 4,
    claim: "waitFor gives two tasks (5 s, 3 s) 4 s, then cancels the rest",
    main: gracefulShutdown.main
  },
  {
    name: "gather-http",
    section: "Gathering and Waiting for Tasks",
    expected: 2,
    claim: "three HTTP fetches of 1, 2, 1 s gathered: about 2 s, not 4",
    main: gatherHttp.main
  },
  {
    name: "wait-first-completed",
    section: "Gathering and Waiting for Tasks",
    expected: 1,
    claim: "the fastest of three servers (1.5, 1.0, 2.0 s) wins at 1 s",
    main: waitFirstCompleted.main
  },
  {
    name: "taskgroup",
    section: "Task Groups (Python 3.11+)",
    expected: 1,
    claim: "item 3 fails at 1 s; the group cancels the rest, except* catches it",
    main: taskgroup.main
  },
  {
    name: "taskgroup-legacy",
    section: "Task Groups (Python 3.11+)",
    expected: 1,
    claim: "gather fails at 1 s; the rest are cancelled by hand",
    main: taskgroupLegacy.main
  },
  {
    name: "background-tasks",
    section: "Common Patterns and Best Practices",
    expected: 3,
    claim: "two 2 s jobs in the background while main sleeps 3 s",
    main: backgroundTasks.main
  },
  {
    name: "rate-limit",
    section: "Common Patterns and Best Practices",
    expected: 4,
    claim: "Semaphore(3): ten 1 s fetches, three at a time, take 4 s",
    main: rateLimit.main
  },
  {
    name: "task-monitor",
    section: "Performance Considerations and Debugging",
    expected: 15,
    claim: "allTasks() every 5 s while main sleeps 15 s",
    main: taskMonitor.main
  },
  {
    name: "cpu-bound",
    section: "Threads and processes (issue 13)",
    expected: 0,
    claim:
      "four CPU-bound counts in four worker threads, the loop ticking meanwhile (thread start-up included)",
    main: cpuBound.main
  },
  {
    name: "graceful-sigterm",
    section: "Beyond the tutorial: signals",
    expected: 3,
    claim: "six 1 s jobs on two workers; SIGTERM (run it alone) would stop them cleanly, exit 143",
    main: gracefulSigterm.main
  }
]

interface Outcome {
  readonly example: Example
  readonly seconds: number
  readonly error: unknown
}

const seconds = (value: number) => `${value.toFixed(2)} s`

const runOne = async (example: Example, index: number): Promise<Outcome> => {
  console.log(
    `\n━━ ${index + 1}. ${example.name} (${example.section.startsWith("Beyond") ? example.section : `tutorial: "${example.section}"`}) ━━`
  )
  const start = performance.now()
  let error: unknown
  try {
    await asyncio.run(example.main)
  } catch (caught) {
    error = caught
    console.log(`!! failed: ${String(caught)}`)
  }
  const took = (performance.now() - start) / 1000
  console.log(`── took ${seconds(took)}; expected ${seconds(example.expected)}: ${example.claim}`)
  return { example, seconds: took, error }
}

const summary = (outcomes: ReadonlyArray<Outcome>) => {
  const width = Math.max(...outcomes.map((outcome) => outcome.example.name.length))
  console.log("\n━━ Summary ━━")
  console.log(`   ${"example".padEnd(width)}  wall time  expected  what it shows`)
  for (const { example, seconds: took, error } of outcomes) {
    const mark = error === undefined ? "ok" : "!!"
    console.log(
      `${mark} ${example.name.padEnd(width)}  ${seconds(took).padStart(9)}  ${seconds(example.expected).padStart(8)}  ${example.claim}`
    )
  }
  const total = outcomes.reduce((sum, outcome) => sum + outcome.seconds, 0)
  const failed = outcomes.filter((outcome) => outcome.error !== undefined).length
  console.log(`${outcomes.length} programs, ${failed} failed, ${seconds(total)} in all`)
  if (failed > 0) process.exitCode = 1
}

const outcomes: Array<Outcome> = []
for (const [index, example] of examples.entries()) outcomes.push(await runOne(example, index))
summary(outcomes)
