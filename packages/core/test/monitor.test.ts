/**
 * The monitor, out of process: a real program (test/fixtures/monitored.ts) run with the monitor
 * on, and the real `effect-asyncio` CLI (bin/effect-asyncio.js) reading it through the real Unix
 * socket: ps, pstree, a scripted console session that cancels a task, the socket's mode, its
 * removal, the errors. The layouts are CPython 3.14's `python -m asyncio ps / pstree`
 * (Lib/asyncio/tools.py); the text of each is pinned by test/monitorRender.test.ts.
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { afterAll, assert, describe, it } from "@effect/vitest"
import { type Fixture, programPid, runCli, startFixture } from "./utils/process.js"

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "effect-asyncio-monitor-test-"))
const env = { TMPDIR: tmp }
const socketOf = (pid: number) => path.join(tmp, `effect-asyncio-${pid}.sock`)

const started: Array<Fixture> = []
const start = (args: ReadonlyArray<string>, extra: Record<string, string> = {}) => {
  const fixture = startFixture("monitored.ts", args, { ...env, ...extra })
  started.push(fixture)
  return fixture
}

afterAll(() => {
  for (const fixture of started) fixture.kill()
  fs.rmSync(tmp, { recursive: true, force: true })
})

const ROW = /^(\d+)\s+(0x[0-9a-f]+)\s+(\S+)\s+(pending|cancelling)\s+/

describe("effect-asyncio ps / pstree / monitor against a running program", () => {
  it("ps: a row per pending task and awaiter, CPython's columns with state, waits on and age; the socket is 0600", async () => {
    const program = start(["demo"])
    const pid = await programPid(program)
    await program.waitFor("ready")
    const stat = fs.statSync(socketOf(pid))
    assert.isTrue(stat.isSocket())
    assert.strictEqual(stat.mode & 0o777, 0o600)

    const ps = await runCli(["ps", String(pid)], env)
    assert.strictEqual(ps.code, 0, ps.stderr)
    const lines = ps.stdout.trimEnd().split("\n")
    assert.match(
      lines[0] ?? "",
      /^loop\s+task id\s+task name\s+state\s+waits on\s+coroutine stack\s+awaiter chain\s+awaiter name\s+awaiter id\s+age$/
    )
    assert.match(lines[1] ?? "", /^-+$/)
    const rows = lines.slice(2).map((line) => {
      const match = ROW.exec(line)
      assert.isNotNull(match, line)
      return { line, name: match?.[3] }
    })
    const byName = (name: string) => rows.find((row) => row.name === name)?.line ?? ""
    assert.sameMembers(
      rows.map((row) => row.name),
      ["Task-1", "stopper", "worker-1", "worker-2", "fetcher", "Task-2", "Task-3"]
    )
    assert.match(byName("Task-1"), /task 'stopper'\s+main\s+0x0\s+\d+\.\d+s$/)
    assert.match(byName("worker-1"), /Event\.wait\(\)\s+worker\s+main\s+Task-1\s+0x1\s+\d/)
    assert.match(byName("fetcher"), /gather\(2 of 2 pending\)\s+fetchAll\s+main\s+Task-1\s+0x1\s/)
    assert.match(
      byName("Task-2"),
      /sleep\([\d.]+\) until t=[\d.]+ \(in \d+m\d+s\)\s+fetchOne\s+fetchAll\s+fetcher\s+0x5\s/
    )

    const tree = await runCli(["pstree", String(pid)], env)
    assert.strictEqual(tree.code, 0, tree.stderr)
    const fixture = path.join("test", "fixtures", "monitored.ts")
    const normalized = tree.stdout.replaceAll(/ \S*monitored\.ts:\d+/g, ` ${fixture}`)
    assert.strictEqual(
      normalized,
      [
        "└── (T) Task-1",
        `    └──  main ${fixture}`,
        "        ├── (T) stopper",
        `        │   └──  stopper ${fixture}`,
        "        ├── (T) worker-1",
        `        │   └──  worker ${fixture}`,
        "        ├── (T) worker-2",
        `        │   └──  worker ${fixture}`,
        "        └── (T) fetcher",
        `            └──  fetchAll ${fixture}`,
        "                ├── (T) Task-2",
        `                │   └──  fetchOne ${fixture}`,
        "                └── (T) Task-3",
        `                    └──  fetchOne ${fixture}`,
        ""
      ].join("\n")
    )
    program.kill()
  }, 60_000)

  it("the asyncio docs' example (an album in TaskGroups): ps and pstree of the port have the docs' rows and tree", async () => {
    const program = startFixture("album.ts", ["60"], env)
    started.push(program)
    const pid = await programPid(program)
    const deadline = Date.now() + 20_000
    while (!fs.existsSync(socketOf(pid)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50))
    const tree = await runCli(["pstree", String(pid)], env)
    assert.strictEqual(tree.code, 0, tree.stderr)
    assert.strictEqual(
      tree.stdout.replaceAll(/ \S*album\.ts:\d+/g, ""),
      [
        "└── (T) Task-1",
        "    └──  main",
        "        ├── (T) Sundowning",
        "        │   └──  play_album",
        "        │       ├── (T) TNDNBTG",
        "        │       │   └──  play_track",
        "        │       └── (T) Levitate",
        "        │           └──  play_track",
        "        └── (T) TMBTE",
        "            └──  play_album",
        "                ├── (T) DYWTYLM",
        "                │   └──  play_track",
        "                └── (T) Aqua Regia",
        "                    └──  play_track",
        ""
      ].join("\n")
    )
    const ps = await runCli(["ps", String(pid)], env)
    const rows = ps.stdout.trimEnd().split("\n").slice(2)
    assert.strictEqual(rows.length, 7)
    assert.match(
      rows[1] ?? "",
      /^1 +0x2 +Sundowning +pending +TaskGroup\(2 children\) +play_album +main +Task-1 +0x1 +\d/
    )
    assert.match(
      rows[6] ?? "",
      /^1 +0x7 +Aqua Regia +pending +sleep\([\d.]+\) until t=[\d.]+ \(in \d+\.\ds\) +play_track +play_album +TMBTE +0x3 /
    )
    program.kill()
  }, 60_000)

  it("monitor: a scripted console session (help, where, an unknown command, cancel); cancel runs in the program, which then ends, and its socket is removed", async () => {
    const program = start(["demo"])
    const pid = await programPid(program)
    await program.waitFor("ready")
    const session = await runCli(
      ["monitor", String(pid)],
      env,
      ["help", "where 0x5", "bogus", "where 0x999", "cancel 0x2 operator says stop", "quit", ""].join("\n")
    )
    assert.strictEqual(session.code, 0, session.stderr)
    const out = session.stdout
    assert.include(out, `effect-asyncio monitor of process ${pid}: type help for the commands`)
    assert.include(out, "  where TASK             the call graph of TASK")
    assert.match(
      out,
      /\* Task\(name='fetcher', id=0x5\)\n {2}\+ Call stack:\n {2}\| {3}File '.*monitored\.ts', line \d+, in async fetchAll\(\)\n {2}\+ Awaited by:\n {4}\* Task\(name='Task-1', id=0x1\)/
    )
    assert.include(out, "unknown command 'bogus': type help")
    assert.include(session.stderr, "error: no pending task with id 0x999")
    assert.include(out, "task 0x2 cancelled")
    // the cancel reached the task: its finalizer ran, and the program went on to its end
    await program.waitFor("stopper cancelled")
    await program.waitFor("resolved done")
    assert.strictEqual(await program.exited, 0)
    assert.isFalse(fs.existsSync(socketOf(pid)), "the socket is removed when the loop closes")
  }, 60_000)

  it("pstree reports a cycle as CPython does (stderr, exit 1)", async () => {
    const program = start(["cycle"])
    const pid = await programPid(program)
    await program.waitFor("ready")
    const tree = await runCli(["pstree", String(pid)], env)
    assert.strictEqual(tree.code, 1)
    assert.strictEqual(tree.stdout, "")
    assert.match(
      tree.stderr,
      /^ERROR: await-graph contains cycles - cannot print a tree!\n\ncycle: (a → b → a|b → a → b)\n$/
    )
    program.kill()
  }, 60_000)

  it("EFFECT_ASYNCIO_MONITOR=1 turns the monitor on without a code change; debug mode adds the creation site", async () => {
    const program = start(["demo", "env"], { EFFECT_ASYNCIO_MONITOR: "1" })
    const pid = await programPid(program)
    await program.waitFor("ready")
    const ps = await runCli(["ps", String(pid)], env)
    assert.strictEqual(ps.code, 0, ps.stderr)
    assert.include(ps.stdout, "worker-1")
    assert.notInclude(ps.stdout, "created at")
    program.kill()

    const debug = start(["demo", "debug"])
    const debugPid = await programPid(debug)
    await debug.waitFor("ready")
    const withSites = await runCli(["ps", String(debugPid)], env)
    assert.match(withSites.stdout.split("\n")[0] ?? "", /\s+age\s+created at$/)
    assert.match(withSites.stdout, /worker-1 .*monitored\.ts:\d+$/m)
    debug.kill()
  }, 60_000)

  it("a program without the monitor, a process that does not exist, a stale socket: a clear error, exit 1", async () => {
    const program = start(["demo", "env"])
    const pid = await programPid(program)
    await program.waitFor("ready")
    const none = await runCli(["ps", String(pid)], env)
    assert.strictEqual(none.code, 1)
    assert.include(none.stderr, `effect-asyncio: process ${pid} has no effect-asyncio monitor (no socket`)
    assert.include(none.stderr, "EFFECT_ASYNCIO_MONITOR=1")
    program.kill()
    await program.exited

    // a pid no process has (pid_max on Linux is at most 2^22)
    const missing = await runCli(["pstree", "4194999"], env)
    assert.strictEqual(missing.code, 1)
    assert.strictEqual(missing.stderr, "effect-asyncio: no such process: 4194999\n")

    // a socket file left by a killed program, under the pid of a live process (this one)
    fs.writeFileSync(socketOf(process.pid), "")
    const stale = await runCli(["ps", String(process.pid)], env)
    fs.rmSync(socketOf(process.pid))
    assert.strictEqual(stale.code, 1)
    assert.match(stale.stderr, /^effect-asyncio: cannot (connect to|talk to) the monitor of process \d+/)
  }, 60_000)
})
