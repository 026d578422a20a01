/**
 * Debug mode: every task remembers where `createTask` was called (asyncio's
 * `_source_traceback`), and the reports about a task show it: the shutdown's "Task was destroyed
 * but it is pending!" (a task created by cleanup while asyncio.run shuts down), the task's repr,
 * and the monitor's ps (test/monitor.test.ts).
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import * as asyncio from "../src/index.js"

describe("debug mode: the creation site in reports", () => {
  it("the shutdown's report of a task left pending names where it was created", async () => {
    const reports: Array<string> = []
    const main = Effect.gen(function* () {
      yield* asyncio.createTask(
        asyncio.sleep(3600).pipe(
          // cleanup that creates a task while the loop shuts down: it is left pending
          Effect.onInterrupt(() => Effect.asVoid(asyncio.createTask(asyncio.sleep(3600), { name: "late" })))
        ),
        { name: "background" }
      )
      yield* asyncio.sleep(0)
    })
    await asyncio.run(main, {
      debug: true,
      handleSigint: false,
      exceptionHandler: (_loop, context) => reports.push(asyncio.formatExceptionContext(context))
    })
    const report = reports.find((text) => text.startsWith("Task was destroyed but it is pending!"))
    assert.isDefined(report, reports.join("\n---\n"))
    assert.match(report ?? "", /task: <Task pending name='late' .*created at \S*creationSite\.test\.ts:\d+>/)
  })
})
