/**
 * What a pending task waits on, named (`Event.wait()`, `task 'Task-2'`, `gather(1 of 2
 * pending)`), and the deadlock report that lists them (runners.ts raises it when nothing is left
 * that could wake the main task).
 *
 * @internal
 */
import type { EventLoopImpl } from "./eventLoop.js"
import { pyRepr } from "./outcome.js"
import type { TaskImpl } from "./task.js"

/**
 * What `task` waits on: the future it is blocked on describes itself; a task whose fiber waits
 * in an effect that is not a future (`Effect.never`, a `Deferred`, a Promise) waits outside the
 * loop.
 */
export const waitsOn = (task: TaskImpl<unknown, unknown>): string => {
  if (task.done()) return "nothing (done)"
  const waiter = task.futWaiter
  if (waiter !== undefined) return waiter.waitDescription()
  if (task.fiberUnsafe() === undefined) return "its first step"
  return "an effect outside the loop (not a future)"
}

/**
 * The message of the deadlock `RuntimeError`: the main task and every other pending task, with
 * what each waits on, in the order they were created.
 */
export const deadlockReport = (loop: EventLoopImpl, main: TaskImpl<unknown, unknown>): string => {
  const pending = [...loop.tasks].filter((task) => !task.done())
  const ordered = [main, ...pending.filter((task) => task !== main)]
  const lines = ordered.map((task) => {
    const name = pyRepr(task.getName())
    const created = task.createdAt === undefined ? "" : ` (created at ${task.createdAt})`
    return `  ${task === main ? `${name} (main)` : name} waits on ${waitsOn(task)}${created}`
  })
  const others = ordered.length - 1
  return [
    `deadlock: the main task can never finish: nothing is left that could wake it (no ready callback, ` +
      `no timer, no I/O); ${others === 0 ? "no other task is pending" : `${others} other pending task${others === 1 ? "" : "s"}`}:`,
    ...lines
  ].join("\n")
}
