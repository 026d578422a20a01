/**
 * The `effect-asyncio` command (the package's `bin`), on effect/cli:
 *
 *     effect-asyncio ps PID            the pending tasks of process PID (CPython 3.14's `python -m asyncio ps`)
 *     effect-asyncio pstree PID        their await tree (`python -m asyncio pstree`)
 *     effect-asyncio monitor PID       an interactive console: ps, pstree, where TASK, cancel TASK, help, quit
 *     effect-asyncio monitor PID --web the live page, served by this command on 127.0.0.1
 *
 * It reads the monitor socket of a program run with `run(main, { monitor: true })` or
 * `EFFECT_ASYNCIO_MONITOR=1`. Exit code 1 with a message on stderr when there is no such
 * process, no monitor, or (pstree) a cycle in the await graph.
 *
 * @since 0.2.0
 */
import * as readline from "node:readline"
import * as NodeServices from "@effect/platform-node/NodeServices"
import { Console, Effect, Option } from "effect"
import { Argument, Command, Flag } from "effect/cli"
import { connect, type MonitorClient, MonitorError } from "./monitor/client.js"
import { formatId, parseId } from "./monitor/protocol.js"
import { formatTable, formatTree } from "./monitor/render.js"
import { servePage } from "./monitor/web.js"

const VERSION = "0.2.0"

const pid = Argument.Int("pid").pipe(Argument.withDescription("the process id of the monitored program"))

/** A failure the user must read: on stderr, exit code 1. */
const report = <A, R>(effect: Effect.Effect<A, MonitorError, R>): Effect.Effect<void, never, R> =>
  effect.pipe(
    Effect.asVoid,
    Effect.catch((error: MonitorError) =>
      Effect.sync(() => {
        process.stderr.write(`effect-asyncio: ${error.message}\n`)
        process.exitCode = 1
      })
    )
  )

const withClient = <A>(
  target: number,
  body: (client: MonitorClient) => Effect.Effect<A, MonitorError>
): Effect.Effect<void> => report(Effect.scoped(Effect.flatMap(connect(target), body)))

const ps = Command.make("ps", { pid }, ({ pid }) =>
  withClient(pid, (client) => Effect.flatMap(client.ps, (snapshot) => Console.log(formatTable(snapshot))))
).pipe(Command.withDescription("List the pending tasks of process PID"))

/** pstree's text, or its cycles on stderr with exit code 1 (tools.py's `_print_cycle_exception`). */
const printTree = (client: MonitorClient) =>
  Effect.flatMap(client.ps, (snapshot) =>
    Effect.sync(() => {
      const { ok, text } = formatTree(snapshot)
      if (ok) {
        if (text !== "") process.stdout.write(`${text}\n`)
      } else {
        process.stderr.write(`${text}\n`)
        process.exitCode = 1
      }
    })
  )

const pstree = Command.make("pstree", { pid }, ({ pid }) => withClient(pid, printTree)).pipe(
  Command.withDescription("Print the await tree of the pending tasks of process PID")
)

const HELP = `Commands:
  ps                     the pending tasks (a table, as effect-asyncio ps)
  pstree                 the await tree
  where TASK             the call graph of TASK (its id, 0x... as ps shows it)
  cancel TASK [MESSAGE]  task.cancel(MESSAGE), run by the task's loop
  help                   this list
  quit                   leave the monitor (also: exit, Ctrl-D)`

/** One line of the console: what it prints, or `quit`. */
const command = (client: MonitorClient, line: string): Effect.Effect<"quit" | undefined, MonitorError> => {
  const [name = "", ...args] = line.trim().split(/\s+/)
  const taskArg = (): Effect.Effect<number, MonitorError> => {
    const id = parseId(args[0] ?? "")
    return id === undefined
      ? Effect.fail(
          new MonitorError({
            message: `${name} needs a task id (0x... as ps shows it), got '${args[0] ?? ""}'`
          })
        )
      : Effect.succeed(id)
  }
  switch (name) {
    case "":
      return Effect.succeed(undefined)
    case "help":
    case "?":
      return Effect.as(Console.log(HELP), undefined)
    case "ps":
      return Effect.flatMap(client.ps, (snapshot) => Effect.as(Console.log(formatTable(snapshot)), undefined))
    case "pstree":
      return Effect.as(printTree(client), undefined)
    case "where":
      return Effect.flatMap(taskArg(), (id) =>
        Effect.flatMap(client.where(id), (text) => Effect.as(Console.log(text), undefined))
      )
    case "cancel":
      return Effect.flatMap(taskArg(), (id) => {
        const message = args.slice(1).join(" ")
        return Effect.flatMap(client.cancel(id, message === "" ? undefined : message), (cancelled) =>
          Effect.as(
            Console.log(
              cancelled === "queued"
                ? `cancel of task ${formatId(id)} queued: its loop is not running`
                : cancelled
                  ? `task ${formatId(id)} cancelled`
                  : `task ${formatId(id)} was already done`
            ),
            undefined
          )
        )
      })
    case "quit":
    case "exit":
      return Effect.succeed("quit" as const)
    default:
      return Effect.as(Console.log(`unknown command '${name}': type help`), undefined)
  }
}

/** aiomonitor's console: a prompt on a terminal, a command per line, until quit or end of input. */
const console_ = (client: MonitorClient): Effect.Effect<void, MonitorError> =>
  Effect.gen(function* () {
    const tty = process.stdin.isTTY === true
    const input = readline.createInterface({
      input: process.stdin,
      terminal: tty,
      output: tty ? process.stdout : undefined
    })
    yield* Effect.addFinalizer(() => Effect.sync(() => input.close()))
    const lines = input[Symbol.asyncIterator]()
    yield* Console.log(`effect-asyncio monitor of process ${client.pid}: type help for the commands`)
    while (true) {
      if (tty) process.stdout.write("monitor >>> ")
      const next = yield* Effect.promise(() => lines.next())
      if (next.done === true) return
      const outcome = yield* command(client, next.value).pipe(
        // a failed command is reported and the console goes on (unless the connection is gone)
        Effect.catch((error: MonitorError) =>
          Effect.as(
            Console.error(`error: ${error.message}`),
            error.message.includes("closed the connection") ? "quit" : undefined
          )
        )
      )
      if (outcome === "quit") return
    }
  }).pipe(Effect.scoped)

/** `--web`: the page, served here, reading the program through its socket, until Ctrl-C. */
const web = (client: MonitorClient, port: number): Effect.Effect<void, MonitorError> =>
  Effect.gen(function* () {
    const url = yield* servePage(
      {
        snapshot: Effect.mapError(client.ps, (error) => error.message),
        cancel: (task) => Effect.mapError(client.cancel(task), (error) => error.message)
      },
      port
    ).pipe(
      Effect.mapError((error) => new MonitorError({ message: `cannot serve the page: ${String(error)}` }))
    )
    yield* Console.log(`effect-asyncio monitor of process ${client.pid}: ${url}`)
    yield* Console.log("(Ctrl-C to stop)")
    // until the program goes away (its socket closes) or Ctrl-C
    while (true) {
      yield* Effect.sleep("1 second")
      yield* client.ps
    }
  }).pipe(Effect.scoped)

const monitor = Command.make(
  "monitor",
  {
    pid,
    web: Flag.Boolean("web").pipe(
      Flag.withDescription("serve the live page (127.0.0.1) instead of the console"),
      Flag.withDefault(false)
    ),
    port: Flag.Int("port").pipe(
      Flag.withDescription("the page's port (default: any free port)"),
      Flag.optional
    )
  },
  ({ pid, web: serveWeb, port }) =>
    withClient(pid, (client) =>
      serveWeb
        ? web(
            client,
            Option.getOrElse(port, () => 0)
          )
        : console_(client)
    )
).pipe(Command.withDescription("Open an interactive console on process PID (or, with --web, the live page)"))

const cli = Command.make("effect-asyncio").pipe(
  Command.withDescription("Inspect the tasks of a running effect-asyncio program"),
  Command.withSubcommands([ps, pstree, monitor])
)

Command.runWith(cli, { version: VERSION })(process.argv.slice(2)).pipe(
  Effect.provide(NodeServices.layer),
  Effect.catch((error) =>
    Effect.sync(() => {
      // a parse error has been printed with the help; the exit code says so
      void error
      process.exitCode = 1
    })
  ),
  Effect.runPromise
)
