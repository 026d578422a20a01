import { assert, describe, it } from "@effect/vitest"
import { Effect, Exit } from "effect"
import { main } from "../src/task-monitor.js"
import { runExample } from "./utils.js"

describe("task-monitor", () => {
  it.effect("reports at 0, 5 and 10 s; the short task is gone after 3 s", () =>
    Effect.gen(function* () {
      const { exit, lines, elapsed } = yield* runExample(main)
      assert.isTrue(Exit.isSuccess(exit))
      assert.deepStrictEqual(lines, [
        "\n[1970-01-01 00:00:00.000000] Active tasks: 4",
        "  - Task-1: main",
        "  - Task-2: monitorTasks",
        "  - stuck-task: potentiallyStuckTask",
        "  - short-task: sleep",
        "\n[1970-01-01 00:00:05.000000] Active tasks: 3",
        "  - Task-1: main",
        "  - Task-2: monitorTasks",
        "  - stuck-task: potentiallyStuckTask",
        "\n[1970-01-01 00:00:10.000000] Active tasks: 3",
        "  - Task-1: main",
        "  - Task-2: monitorTasks",
        "  - stuck-task: potentiallyStuckTask"
      ])
      assert.strictEqual(elapsed, 15)
    })
  )
})
