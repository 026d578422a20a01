/**
 * What a pending task waits on, named, as the deadlock report (and issue 12's `ps`) shows it:
 * each primitive and combinator names itself. Virtual time: every task is left waiting, then
 * described from main.
 */
import { assert, describe, it } from "@effect/vitest"
import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { TaskImpl } from "../src/internal/task.js"
import { waitsOn } from "../src/internal/waitsOn.js"
import { inTask } from "./utils/virtual.js"

const describeTask = (task: asyncio.Task<unknown, unknown>) =>
  waitsOn(task as unknown as TaskImpl<unknown, unknown>)

describe("waitsOn: what a pending task waits on", () => {
  it.effect("every primitive and combinator names what it waits on", () =>
    inTask(
      Effect.gen(function* () {
        const lock = new asyncio.Lock()
        yield* lock.acquire()
        const event = new asyncio.Event()
        const cond = new asyncio.Condition()
        const sem = new asyncio.Semaphore(0)
        const bounded = new asyncio.BoundedSemaphore(1)
        yield* bounded.acquire()
        const empty = new asyncio.Queue<number>()
        const full = new asyncio.Queue<number>({ maxsize: 1 })
        yield* full.put(1)
        const joined = new asyncio.Queue<number>()
        yield* joined.put(1)
        yield* joined.put(2)
        const priority = new asyncio.PriorityQueue<number>()
        const barrier = new asyncio.Barrier(3)
        const never = yield* asyncio.createTask(Effect.never, { name: "never" })
        const blocked = yield* asyncio.createTask(event.wait(), { name: "blocked" })
        const spawn = (name: string, body: Effect.Effect<unknown, unknown, asyncio.EventLoop>) =>
          asyncio.createTask(body, { name })
        const tasks = [
          yield* spawn("lock", lock.acquire()),
          yield* spawn("event", event.wait()),
          yield* spawn("condition", cond.use(cond.wait())),
          yield* spawn("semaphore", sem.acquire()),
          yield* spawn("bounded", bounded.acquire()),
          yield* spawn("get", empty.get()),
          yield* spawn("put", full.put(2)),
          yield* spawn("join", joined.join()),
          yield* spawn("priority", priority.get()),
          yield* spawn("barrier", barrier.wait()),
          yield* spawn("sleep", asyncio.sleep(3600)),
          yield* spawn("task", never),
          yield* spawn("gather", asyncio.gather(never, asyncio.sleep(0))),
          yield* spawn("shield", asyncio.shield(blocked)),
          yield* spawn("wait", asyncio.wait([never, blocked])),
          yield* spawn(
            "group",
            asyncio.TaskGroup.run((tg) =>
              Effect.andThen(tg.createTask(Effect.never), tg.createTask(event.wait()))
            )
          ),
          yield* spawn("outside", Effect.never)
        ]
        yield* asyncio.sleep(1)
        const seen = Object.fromEntries(tasks.map((task) => [task.getName(), describeTask(task)]))
        assert.deepStrictEqual(seen, {
          lock: "Lock.acquire()",
          event: "Event.wait()",
          condition: "Condition.wait()",
          semaphore: "Semaphore.acquire()",
          bounded: "BoundedSemaphore.acquire()",
          get: "Queue.get() (empty)",
          put: "Queue.put() (full: maxsize=1)",
          join: "Queue.join() with 2 unfinished items",
          priority: "PriorityQueue.get() (empty)",
          barrier: "Barrier.wait() (filling, 1 of 3 parties)",
          sleep: "sleep(3600) until t=3600",
          task: "task 'never'",
          gather: "gather(1 of 2 pending)",
          shield: "shield(task 'blocked')",
          wait: "wait(2 of 2 pending, ALL_COMPLETED)",
          group: "TaskGroup(2 children)",
          outside: "an effect outside the loop (not a future)"
        })
        for (const task of [...tasks, never, blocked]) yield* task.cancel()
      })
    )
  )
})
