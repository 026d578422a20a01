/**
 * Call graphs (issue 12, in-process), as CPython 3.14's `asyncio.graph`: the awaited-by links
 * each combinator records (`future_add_to_awaited_by` in `Task.__step`, `gather`, `shield`,
 * `TaskGroup.create_task`, dropped when the awaited future is done), the layout of
 * `format_call_graph` (`render_level` in Lib/asyncio/graph.py), `depth` and `limit`, and the
 * call stack this library gives a task: its `Effect.fn` / span frames, innermost first, then its
 * creation site in debug mode. CPython 3.14 is not installed here: the layout and the rules are
 * ported from graph.py, tasks.py and taskgroups.py of python/cpython (3.14), read as source.
 */
import { readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { assert, describe, it } from "@effect/vitest"
import * as asyncio from "@effect-asyncio/core"
import { Cause, Effect, Exit } from "effect"
import { addToAwaitedBy, type FutureImpl } from "../src/internal/future.js"
import { inTask, runOk } from "./utils/virtual.js"

const thisFile = fileURLToPath(import.meta.url)
const source = readFileSync(thisFile, "utf8").split("\n")
/** The 1-based line of this file that carries `marker` (a comment on the line). */
const lineOf = (marker: string): number => source.findIndex((line) => line.includes(marker)) + 1

const id = (future: asyncio.Future<unknown, unknown>) => `0x${asyncio.futureId(future).toString(16)}`
const names = (graph: asyncio.FutureCallGraph | undefined) => graph?.callStack.map((entry) => entry.name)
const parents = (graph: asyncio.FutureCallGraph) =>
  graph.awaitedBy.map((parent) => (parent.future as asyncio.Task<unknown, unknown>).getName())

const graphOf = (future: asyncio.Future<unknown, unknown>) =>
  Effect.map(asyncio.captureCallGraph(future), (graph) => graph as asyncio.FutureCallGraph)

const defectOf = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.map(Effect.exit(effect), (exit) => {
    assert.isTrue(Exit.isFailure(exit))
    const defect = Exit.isFailure(exit) ? Cause.squash(exit.cause) : undefined
    return defect as { _tag: string; message: string }
  })

describe("call graphs: CPython 3.14's layout", () => {
  it.effect("a TaskGroup child awaited by main: graph.py's render_level, nested by 4 spaces", () =>
    Effect.gen(function* () {
      let text = ""
      const child = Effect.fn("child")(function* () {
        text = yield* asyncio.formatCallGraph() // child-definition
      })
      const main = Effect.fn("main")(function* () {
        // main-definition
        yield* asyncio.TaskGroup.run((g) => g.createTask(child(), { name: "child" }))
        return yield* asyncio.currentTask
      })
      const { value: mainTask } = yield* runOk(main())
      const childId = /id=(0x[0-9a-f]+)/.exec(text)?.[1]
      assert.deepStrictEqual(text.split("\n"), [
        `* Task(name='child', id=${childId})`,
        "  + Call stack:",
        `  |   File '${thisFile}', line ${lineOf("child-definition") - 1}, in async child()`,
        "  + Awaited by:",
        `    * Task(name='Task-1', id=${id(mainTask as asyncio.Task<unknown, unknown>)})`,
        "      + Call stack:",
        `      |   File '${thisFile}', line ${lineOf("main-definition") - 1}, in async main()`
      ])
    })
  )

  it.effect("three levels: each level 4 more spaces; a Future prints as Future(id=...)", () =>
    inTask(
      Effect.gen(function* () {
        const loop = yield* asyncio.getRunningLoop
        const future = loop.createFuture<number>()
        const inner = yield* asyncio.createTask(future, { name: "inner" })
        const outer = yield* asyncio.createTask(inner, { name: "outer" })
        yield* asyncio.sleep(0)
        const text = yield* asyncio.formatCallGraph(future)
        assert.deepStrictEqual(text.split("\n"), [
          `* Future(id=${id(future)})`,
          "  + Awaited by:",
          `    * Task(name='inner', id=${id(inner)})`,
          "      + Awaited by:",
          `        * Task(name='outer', id=${id(outer)})`
        ])
        yield* future.setResult(1)
        assert.strictEqual(yield* outer, 1)
      })
    )
  )

  it.effect("names are Python reprs: a quote picks the other quote, escapes as repr does", () =>
    inTask(
      Effect.gen(function* () {
        const a = yield* asyncio.createTask(asyncio.sleep(1), { name: "it's" })
        const b = yield* asyncio.createTask(asyncio.sleep(1), { name: `say "hi" it's\n` })
        assert.strictEqual(
          (yield* asyncio.formatCallGraph(a)).split("\n")[0],
          `* Task(name="it's", id=${id(a)})`
        )
        assert.strictEqual(
          (yield* asyncio.formatCallGraph(b)).split("\n")[0],
          `* Task(name='say "hi" it\\'s\\n', id=${id(b)})`
        )
        yield* a.cancel()
        b.cancel()
      })
    )
  )

  it.effect("printCallGraph writes the text and a newline to file (print(..., file=file))", () =>
    inTask(
      Effect.gen(function* () {
        const written: Array<string> = []
        const file = { write: (text: string) => written.push(text) }
        const task = yield* asyncio.createTask(asyncio.sleep(1), { name: "sleeper" })
        yield* asyncio.printCallGraph(task, { file })
        assert.deepStrictEqual(written, [`* Task(name='sleeper', id=${id(task)})\n`])
        yield* task.cancel()
      })
    )
  )
})

describe("call graphs: the awaited-by links", () => {
  it.effect("Task.__step: every task that awaits a task is recorded, until the task is done", () =>
    inTask(
      Effect.gen(function* () {
        const gate = new asyncio.Event()
        const shared = yield* asyncio.createTask(gate.wait(), { name: "shared" })
        const w1 = yield* asyncio.createTask(shared, { name: "w1" })
        const w2 = yield* asyncio.createTask(shared, { name: "w2" })
        yield* asyncio.sleep(0)
        assert.deepStrictEqual(parents(yield* graphOf(shared)), ["w1", "w2"])
        yield* gate.set()
        yield* asyncio.gather(w1, w2)
        assert.deepStrictEqual(parents(yield* graphOf(shared)), [])
      })
    )
  )

  it.effect(
    "gather: pending children are awaited by the gathering task (3.14), not by the gathering future",
    () =>
      inTask(
        Effect.gen(function* () {
          const gate = new asyncio.Event()
          const a = yield* asyncio.createTask(gate.wait(), { name: "a" })
          const b = yield* asyncio.createTask(gate.wait(), { name: "b" })
          const gatherer = yield* asyncio.createTask(asyncio.gather(a, b), { name: "gatherer" })
          yield* asyncio.sleep(0)
          assert.deepStrictEqual(parents(yield* graphOf(a)), ["gatherer"])
          assert.deepStrictEqual(parents(yield* graphOf(b)), ["gatherer"])
          assert.strictEqual((yield* graphOf(gatherer)).waitsOn, "gather(2 of 2 pending)")
          yield* gate.set()
          yield* gatherer
          assert.deepStrictEqual(parents(yield* graphOf(a)), [])
          assert.deepStrictEqual(parents(yield* graphOf(b)), [])
        })
      )
  )

  it.effect("shield: the inner task is awaited by the shielding task until either is done", () =>
    inTask(
      Effect.gen(function* () {
        const gate = new asyncio.Event()
        const inner = yield* asyncio.createTask(gate.wait(), { name: "inner" })
        const shielding = yield* asyncio.createTask(asyncio.shield(inner), { name: "shielding" })
        yield* asyncio.sleep(0)
        assert.deepStrictEqual(parents(yield* graphOf(inner)), ["shielding"])
        yield* shielding.cancel()
        yield* Effect.exit(shielding)
        // 3.14 keeps the link until inner is done (_clear_awaited_by_callback, a done callback
        // 3.13 does not have); here it goes with the shield, and inner's callbacks stay 3.13's
        assert.deepStrictEqual(parents(yield* graphOf(inner)), [])
        const again = yield* asyncio.createTask(asyncio.shield(inner), { name: "again" })
        yield* asyncio.sleep(0)
        assert.deepStrictEqual(parents(yield* graphOf(inner)), ["again"])
        yield* gate.set()
        yield* again
        assert.deepStrictEqual(parents(yield* graphOf(inner)), [])
      })
    )
  )

  it.effect("TaskGroup: a child is awaited by the group's parent from createTask until it is done", () =>
    inTask(
      Effect.gen(function* () {
        const gate = new asyncio.Event()
        const seen: Array<ReadonlyArray<string>> = []
        let child: asyncio.Task<unknown, never> | undefined
        const host = yield* asyncio.createTask(
          asyncio.TaskGroup.run((g) =>
            Effect.gen(function* () {
              child = yield* g.createTask(gate.wait(), { name: "child" })
              seen.push(parents(yield* graphOf(child)))
            })
          ),
          { name: "host" }
        )
        yield* asyncio.sleep(0)
        assert.deepStrictEqual(seen, [["host"]])
        const graph = yield* graphOf(host)
        assert.strictEqual(graph.waitsOn, "TaskGroup(1 child)")
        yield* gate.set()
        yield* host
        assert.deepStrictEqual(parents(yield* graphOf(child as asyncio.Task<unknown, never>)), [])
      })
    )
  )

  // graph.py's _build_graph_for_future follows every awaiter: a task awaited by two tasks, one
  // of which awaits the other, appears under both (here: gather(a, shield(a)) in task g)
  it.effect("a future reached by two paths is shown under both", () =>
    inTask(
      Effect.gen(function* () {
        const f = yield* asyncio.createFuture<number, never>()
        const a = yield* asyncio.createTask(f, { name: "a" })
        const g = yield* asyncio.createTask(asyncio.gather(a, asyncio.shield(a)), { name: "g" })
        yield* asyncio.sleep(0)
        yield* asyncio.sleep(0)
        const me = yield* asyncio.currentTask
        const shielding = [...(yield* asyncio.allTasks)].find((t) => t !== a && t !== g && t !== me)
        assert.isDefined(shielding)
        const text = yield* asyncio.formatCallGraph(a)
        assert.deepStrictEqual(text.split("\n"), [
          `* Task(name='a', id=${id(a)})`,
          "  + Awaited by:",
          `    * Task(name='g', id=${id(g)})`,
          `    * Task(name='${shielding?.getName()}', id=${shielding === undefined ? "" : id(shielding)})`,
          "      + Awaited by:",
          `        * Task(name='g', id=${id(g)})`
        ])
        yield* f.setResult(1)
        yield* g
      })
    )
  )

  it.effect("a cycle of awaited-by links ends where a future repeats", () =>
    inTask(
      Effect.gen(function* () {
        // two tasks awaiting each other deadlock (CPython 3.13: cancelling one raises
        // RecursionError, here RangeError): the cycle is made of links alone, to check that
        // rendering ends
        const a = yield* asyncio.createTask(asyncio.sleep(1), { name: "a" })
        const b = yield* asyncio.createTask(asyncio.sleep(1), { name: "b" })
        const impl = (task: asyncio.Task<unknown, unknown>) => task as unknown as FutureImpl<unknown, unknown>
        addToAwaitedBy(impl(a), impl(b))
        addToAwaitedBy(impl(b), impl(a))
        const text = yield* asyncio.formatCallGraph(a)
        assert.deepStrictEqual(text.split("\n"), [
          `* Task(name='a', id=${id(a)})`,
          "  + Awaited by:",
          `    * Task(name='b', id=${id(b)})`
        ])
        yield* a.cancel()
        yield* b.cancel()
      })
    )
  )
})

describe("call graphs: call stacks, depth and limit", () => {
  const level3 = Effect.fn("level3")(function* () {
    return yield* asyncio.captureCallGraph()
  })
  const level2 = Effect.fn("level2")(function* () {
    return yield* level3() // level2-calls-level3
  })
  const level1 = Effect.fn("level1")(function* () {
    return yield* level2() // level1-calls-level2
  })

  it.effect("innermost first; each function at the line where it called the next one", () =>
    Effect.gen(function* () {
      const { value: graph } = yield* runOk(level1())
      assert.deepStrictEqual(graph?.callStack, [
        { name: "level3", file: thisFile, line: lineOf('Effect.fn("level3")') },
        { name: "level2", file: thisFile, line: lineOf("level2-calls-level3") },
        { name: "level1", file: thisFile, line: lineOf("level1-calls-level2") }
      ])
    })
  )

  it.effect("a task's stack starts at its own body: its creator is an awaiter, not a frame", () =>
    Effect.gen(function* () {
      const main = Effect.fn("main")(function* () {
        const task = yield* asyncio.createTask(level3(), { name: "child" })
        return yield* task
      })
      const { value: graph } = yield* runOk(main())
      assert.deepStrictEqual(names(graph), ["level3"])
      assert.deepStrictEqual(graph === undefined ? [] : parents(graph), ["Task-1"])
    })
  )

  it.effect("depth skips depth - 1 entries from the top of the current task's stack", () =>
    Effect.gen(function* () {
      const deep = Effect.fn("deep")(function* () {
        return [
          names(yield* asyncio.captureCallGraph({ depth: 1 })),
          names(yield* asyncio.captureCallGraph({ depth: 2 })),
          names(yield* asyncio.captureCallGraph({ depth: 9 }))
        ]
      })
      const outer = Effect.fn("outer")(function* () {
        return yield* deep()
      })
      const { value } = yield* runOk(outer())
      assert.deepStrictEqual(value, [["deep", "outer"], ["outer"], []])
    })
  )

  it.effect("limit: positive keeps the outermost, negative the innermost, 0 none (3.14)", () =>
    Effect.gen(function* () {
      const probe = Effect.fn("probe")(function* () {
        const results: Array<unknown> = []
        for (const limit of [1, 2, -1, -2, 0, 10])
          results.push(names(yield* asyncio.captureCallGraph({ limit })))
        return results
      })
      const a = Effect.fn("a")(function* () {
        return yield* probe()
      })
      const b = Effect.fn("b")(function* () {
        return yield* a()
      })
      const { value } = yield* runOk(b())
      assert.deepStrictEqual(value, [["b"], ["a", "b"], ["probe"], ["probe", "a"], [], ["probe", "a", "b"]])
    })
  )

  it.effect("limit applies to every stack of the graph, the awaiters' too", () =>
    inTask(
      Effect.gen(function* () {
        const gate = new asyncio.Event()
        const waiting = Effect.fn("waiting")(function* () {
          yield* gate.wait()
        })
        const inner = Effect.fn("inner")(function* () {
          return yield* waiting()
        })
        const task = yield* asyncio.createTask(inner(), { name: "t" })
        const awaiter = yield* asyncio.createTask(
          Effect.fn("awaiter")(function* () {
            return yield* task
          })(),
          { name: "awaiter" }
        )
        yield* asyncio.sleep(0)
        const full = yield* graphOf(task)
        assert.deepStrictEqual(names(full), ["waiting", "inner"])
        assert.deepStrictEqual(names(full.awaitedBy[0]), ["awaiter"])
        const none = (yield* asyncio.captureCallGraph(task, { limit: 0 })) as asyncio.FutureCallGraph
        assert.deepStrictEqual([names(none), names(none.awaitedBy[0])], [[], []])
        yield* gate.set()
        yield* awaiter
      })
    )
  )

  it.effect("debug mode: the creation site ends the stack, read where createTask was called", () =>
    Effect.gen(function* () {
      const main = Effect.fn("main")(function* () {
        const task = yield* asyncio.createTask(asyncio.sleep(1), { name: "sleeper" }) // created-here
        const graph = yield* graphOf(task)
        yield* task.cancel()
        return graph
      })
      const { value: graph } = yield* runOk(main(), { debug: true })
      assert.deepStrictEqual(graph.callStack, [
        { name: "<task created here>", file: thisFile, line: lineOf("created-here") }
      ])
      const { value: quiet } = yield* runOk(main())
      assert.deepStrictEqual(quiet.callStack, [])
    })
  )
})

describe("call graphs: where there is no task, and bad arguments", () => {
  it.effect(
    "a loop with no current task: undefined, \"\", and print writes an empty line (CPython's print(''))",
    () =>
      Effect.gen(function* () {
        const written: Array<string> = []
        const file = { write: (text: string) => written.push(text) }
        const loop = yield* asyncio.EventLoop
        const graph = yield* asyncio.captureCallGraph()
        const text = yield* asyncio.formatCallGraph()
        yield* asyncio.printCallGraph({ file })
        assert.isFalse(loop.isClosed())
        assert.deepStrictEqual([graph, text, written], [undefined, "", ["\n"]])
      }).pipe(Effect.provide(asyncio.EventLoop.layer()))
  )

  it.effect("no loop and no future: RuntimeError; no loop and a future: its graph", () =>
    Effect.gen(function* () {
      const defect = yield* defectOf(asyncio.captureCallGraph())
      assert.strictEqual(defect._tag, "RuntimeError")
      assert.include(defect.message, "outside of a running event loop and no *future* to introspect")
      const { value: task } = yield* runOk(asyncio.createTask(asyncio.sleep(0), { name: "done" }))
      const graph = yield* asyncio.captureCallGraph(task)
      assert.strictEqual(graph.future, task)
      assert.deepStrictEqual([graph.callStack, graph.awaitedBy, graph.waitsOn], [[], [], undefined])
    })
  )

  it.effect("bad arguments die with asyncio's class, naming the argument", () =>
    inTask(
      Effect.gen(function* () {
        const cases: Array<[Effect.Effect<unknown, unknown, asyncio.EventLoop>, string, string]> = [
          [asyncio.captureCallGraph(42 as never), "TypeError", "42"],
          [
            asyncio.captureCallGraph({ future: {} as never }),
            "TypeError",
            "does not appear to be compatible with asyncio.Future"
          ],
          [asyncio.captureCallGraph({ depth: -1 }), "ValueError", "depth"],
          [asyncio.captureCallGraph({ depth: "1" as never }), "TypeError", "depth"],
          [asyncio.captureCallGraph({ depth: 1.5 }), "TypeError", "depth"],
          [asyncio.captureCallGraph({ limit: Number.NaN }), "TypeError", "limit"],
          [
            asyncio.formatCallGraph(42 as never),
            "TypeError",
            "does not appear to be compatible with asyncio.Future"
          ],
          [asyncio.formatCallGraph(Promise.resolve(1) as never), "TypeError", "future"],
          [asyncio.printCallGraph({ file: {} as never }), "TypeError", "file"],
          [asyncio.printCallGraph({ file: null as never }), "TypeError", "file"]
        ]
        for (const [effect, tag, text] of cases) {
          const defect = yield* defectOf(effect)
          assert.strictEqual(defect._tag, tag, text)
          assert.include(defect.message, text)
        }
        assert.throws(() => asyncio.futureId(42 as never), /does not appear to be compatible/)
        // CPython's future=None: the current task's graph
        const me = yield* asyncio.currentTask
        assert.strictEqual((yield* asyncio.captureCallGraph(null as never))?.future, me)
        assert.strictEqual((yield* asyncio.captureCallGraph(null as never, { depth: 1 }))?.future, me)
      })
    )
  )
})
