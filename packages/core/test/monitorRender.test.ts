/**
 * The text of `ps` and `pstree` (src/monitor/render.ts) from hand-made snapshots, against the
 * layout of CPython 3.14's `python -m asyncio pstree` (the example of the asyncio docs,
 * "Command Line Interface", whose program is an album of songs in TaskGroups), and the
 * EFFECT_ASYNCIO_MONITOR values.
 */
import { assert, describe, it } from "@effect/vitest"
import type { Frame, Snapshot, TaskInfo } from "../src/monitor/protocol.js"
import { awaitTree, formatCycles, formatTable, formatTree, isCycles } from "../src/monitor/render.js"
import { monitorFromEnvironment } from "../src/runners.js"

const frame = (name: string, file: string, line: number): Frame => ({ name, file, line })
const task = (
  id: number,
  name: string,
  awaitedBy: ReadonlyArray<number>,
  callStack: ReadonlyArray<Frame>
): TaskInfo => ({
  loop: 1,
  id,
  name,
  state: "pending",
  waitsOn: "",
  awaitedBy,
  callStack,
  started: 0
})
const snapshotOf = (tasks: ReadonlyArray<TaskInfo>): Snapshot => ({
  version: 1,
  pid: 1,
  title: "test",
  loops: [{ loop: 1, now: 1.5, debug: false, running: true }],
  tasks
})

// the docs' program: main runs a TaskGroup of albums, each a TaskGroup of songs that sleep
const aexit = [
  frame("TaskGroup._aexit", "Lib/asyncio/taskgroups.py", 121),
  frame("TaskGroup.__aexit__", "Lib/asyncio/taskgroups.py", 72)
]
const album = [...aexit, frame("album", "example.py", 8)]
const play = [frame("sleep", "Lib/asyncio/tasks.py", 702), frame("play", "example.py", 4)]
const docs = snapshotOf([
  task(1, "Task-1", [], [...aexit, frame("main", "example.py", 13)]),
  task(2, "Sundowning", [1], album),
  task(3, "TMBTE", [1], album),
  task(4, "TNDNBTG", [2], play),
  task(5, "Levitate", [2], play),
  task(6, "DYWTYLM", [3], play),
  task(7, "Aqua Regia", [3], play)
])

describe("pstree and ps text", () => {
  it("pstree: the asyncio docs' example tree, line for line", () => {
    assert.strictEqual(
      formatTree(docs).text,
      [
        "└── (T) Task-1",
        "    └──  main example.py:13",
        "        └──  TaskGroup.__aexit__ Lib/asyncio/taskgroups.py:72",
        "            └──  TaskGroup._aexit Lib/asyncio/taskgroups.py:121",
        "                ├── (T) Sundowning",
        "                │   └──  album example.py:8",
        "                │       └──  TaskGroup.__aexit__ Lib/asyncio/taskgroups.py:72",
        "                │           └──  TaskGroup._aexit Lib/asyncio/taskgroups.py:121",
        "                │               ├── (T) TNDNBTG",
        "                │               │   └──  play example.py:4",
        "                │               │       └──  sleep Lib/asyncio/tasks.py:702",
        "                │               └── (T) Levitate",
        "                │                   └──  play example.py:4",
        "                │                       └──  sleep Lib/asyncio/tasks.py:702",
        "                └── (T) TMBTE",
        "                    └──  album example.py:8",
        "                        └──  TaskGroup.__aexit__ Lib/asyncio/taskgroups.py:72",
        "                            └──  TaskGroup._aexit Lib/asyncio/taskgroups.py:121",
        "                                ├── (T) DYWTYLM",
        "                                │   └──  play example.py:4",
        "                                │       └──  sleep Lib/asyncio/tasks.py:702",
        "                                └── (T) Aqua Regia",
        "                                    └──  play example.py:4",
        "                                        └──  sleep Lib/asyncio/tasks.py:702"
      ].join("\n")
    )
  })

  it("ps: tools.py's rows (one per awaiter, 0x0 for none) and chains, plus state, waits on, age", () => {
    assert.strictEqual(
      formatTable(docs),
      [
        "loop  task id  task name   state    waits on  coroutine stack                                   awaiter chain                                     awaiter name  awaiter id  age",
        "---------------------------------------------------------------------------------------------------------------------------------------------------------------------------------",
        "1     0x1      Task-1      pending            TaskGroup._aexit -> TaskGroup.__aexit__ -> main                                                                   0x0         1.50s",
        "1     0x2      Sundowning  pending            TaskGroup._aexit -> TaskGroup.__aexit__ -> album  TaskGroup._aexit -> TaskGroup.__aexit__ -> main   Task-1        0x1         1.50s",
        "1     0x3      TMBTE       pending            TaskGroup._aexit -> TaskGroup.__aexit__ -> album  TaskGroup._aexit -> TaskGroup.__aexit__ -> main   Task-1        0x1         1.50s",
        "1     0x4      TNDNBTG     pending            sleep -> play                                     TaskGroup._aexit -> TaskGroup.__aexit__ -> album  Sundowning    0x2         1.50s",
        "1     0x5      Levitate    pending            sleep -> play                                     TaskGroup._aexit -> TaskGroup.__aexit__ -> album  Sundowning    0x2         1.50s",
        "1     0x6      DYWTYLM     pending            sleep -> play                                     TaskGroup._aexit -> TaskGroup.__aexit__ -> album  TMBTE         0x3         1.50s",
        "1     0x7      Aqua Regia  pending            sleep -> play                                     TaskGroup._aexit -> TaskGroup.__aexit__ -> album  TMBTE         0x3         1.50s"
      ].join("\n")
    )
  })

  it("a cycle: no tree, tools.py's error text", () => {
    const cyclic = snapshotOf([task(1, "a", [2], []), task(2, "b", [1], []), task(3, "c", [], [])])
    const tree = awaitTree(cyclic)
    assert.isTrue(isCycles(tree))
    if (isCycles(tree)) {
      assert.deepStrictEqual(tree.cycles, [[2, 1, 2]])
      assert.strictEqual(
        formatCycles(tree),
        "ERROR: await-graph contains cycles - cannot print a tree!\n\ncycle: b → a → b"
      )
    }
    assert.isFalse(formatTree(cyclic).ok)
  })

  it("finished tasks (the timeline's) are in neither ps nor pstree", () => {
    const done: TaskInfo = { ...task(9, "done", [], []), state: "ok", ended: 1 }
    const snapshot = snapshotOf([task(1, "Task-1", [], []), done])
    assert.strictEqual(formatTree(snapshot).text, "└── (T) Task-1")
    assert.notInclude(formatTable(snapshot), "done")
  })

  it("EFFECT_ASYNCIO_MONITOR: off, the socket, the page", () => {
    for (const off of [undefined, "", "0", "false", "off"]) assert.isUndefined(monitorFromEnvironment(off))
    assert.deepStrictEqual(monitorFromEnvironment("1"), {})
    assert.deepStrictEqual(monitorFromEnvironment("true"), {})
    assert.deepStrictEqual(monitorFromEnvironment("http"), { http: 0 })
    assert.deepStrictEqual(monitorFromEnvironment("HTTP:8123"), { http: 8123 })
  })
})
