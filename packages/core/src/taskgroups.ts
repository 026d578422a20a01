/**
 * Task groups: asyncio's `taskgroups.py` (Python 3.11-3.13), structured concurrency.
 *
 * `async with asyncio.TaskGroup() as tg:` is `asyncio.TaskGroup.run((tg) => body)`: the body
 * creates children with `tg.createTask(effect)`, and the group does not return before every
 * child is done. The first child that fails (other than by cancellation) cancels the other
 * children and the body; the group then fails with one `ExceptionGroup` holding every failure,
 * in the order they happened. The rules, comments and messages follow CPython 3.13's
 * `taskgroups.py` line by line; where Effect forces a difference, the comment says so.
 *
 * @since 0.1.0
 */
import { Cause, Context, Effect, Exit, type Fiber } from "effect"
import { NodeInspectSymbol } from "effect/Inspectable"
import { EventLoop, loopImpl } from "./events.js"
import { ExceptionGroup } from "./exceptionGroup.js"
import { type CancelledError, KeyboardInterrupt, RuntimeError } from "./exceptions.js"
import type { EventLoopImpl } from "./internal/eventLoop.js"
import {
  addToAwaitedBy,
  awaitFuture,
  CurrentTask,
  discardFromAwaitedBy,
  type FutureImpl,
  LabelledFuture
} from "./internal/future.js"
import {
  cancellationOf,
  catchingCancellation,
  creationSite,
  debugMode,
  raiseCancellation,
  withdrawCancellation
} from "./internal/loop.js"
import { isCancellation } from "./internal/outcome.js"
import type { TaskImpl } from "./internal/task.js"
import { type CreateTaskOptions, refuseTask, spawnTask, type Task } from "./tasks.js"

/** The message of the group a TaskGroup fails with, as CPython's. */
const GROUP_MESSAGE = "unhandled errors in a TaskGroup"

declare const ChildErrorsId: unique symbol

/**
 * Type-level only: the errors of the children a body creates. `tg.createTask(effect)` carries
 * its effect's error type `E` as `ChildErrors<E>`, so the group's error type is inferred from
 * the body without annotations. No value of this type ever exists: `createTask` itself only
 * fails with `RuntimeError`.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import * as asyncio from "@effect-asyncio/core"
 *
 * const program = asyncio.TaskGroup.run((tg) => {
 *   const start: Effect.Effect<
 *     asyncio.Task<never, asyncio.ValueError>,
 *     asyncio.RuntimeError | asyncio.ChildErrors<asyncio.ValueError>
 *   > = tg.createTask(Effect.fail(new asyncio.ValueError({ message: "bad" })))
 *   return start
 * })
 * // the group fails with an ExceptionGroup of its children's errors: ValueError here
 * const tags = program.pipe(
 *   Effect.catchTag("ExceptionGroup", (eg) => Effect.succeed(eg.exceptions.map((error) => error._tag)))
 * )
 * asyncio.run(tags).then(console.log) // ["ValueError"]
 * ```
 * @category Task groups
 * @since 0.1.0
 */
export interface ChildErrors<out E> {
  readonly [ChildErrorsId]: E
}

/**
 * The errors of a body once the phantom `ChildErrors` are opened.
 *
 * @example
 * ```ts
 * import * as asyncio from "@effect-asyncio/core"
 *
 * type Opened = asyncio.GroupErrors<asyncio.RuntimeError | asyncio.ChildErrors<asyncio.ValueError>>
 * const error: Opened = new asyncio.ValueError({ message: "bad" }) // RuntimeError | ValueError
 * console.log(error._tag) // ValueError
 * ```
 * @category Task groups
 * @since 0.1.0
 */
export type GroupErrors<E> = E extends ChildErrors<infer X> ? GroupErrors<X> : E

/** Errors that escape a group as they are, not grouped (CPython's `_is_base_error`). */
type Escaping = CancelledError | KeyboardInterrupt

/**
 * What a group whose body fails with `E` fails with: one `ExceptionGroup` of the failures;
 * or, as CPython, a `CancelledError` the body raised, or a `KeyboardInterrupt` alone.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import * as asyncio from "@effect-asyncio/core"
 *
 * type Failure = asyncio.TaskGroupError<asyncio.RuntimeError | asyncio.ChildErrors<asyncio.ValueError>>
 * const program: Effect.Effect<void, Failure | asyncio.RuntimeError, asyncio.EventLoop> = asyncio.TaskGroup.run(
 *   (tg) => Effect.asVoid(tg.createTask(Effect.fail(new asyncio.ValueError({ message: "bad" }))))
 * )
 * asyncio.run(Effect.flip(program)).then((error) => console.log(error.message)) // unhandled errors in a TaskGroup (1 sub-exception)
 * ```
 * @category Task groups
 * @since 0.1.0
 */
export type TaskGroupError<E> =
  | ExceptionGroup<Exclude<GroupErrors<E>, Escaping>>
  | Extract<GroupErrors<E>, Escaping>

type Failure = Cause.Fail<unknown> | Cause.Die

/**
 * `asyncio.TaskGroup`: a group of tasks that ends only when all of them are done.
 *
 * `TaskGroup.run((tg) => body)` is `async with asyncio.TaskGroup() as tg: body` (the project's
 * convention for `async with`: a function that takes the body). `tg.createTask(effect)` is
 * `tg.create_task(coro)`. All tasks are awaited when the body ends; the group returns the
 * body's result.
 *
 * Any error other than cancellation raised within a task cancels all remaining tasks and the
 * body, and waits for them to exit. The errors are then combined and raised as one
 * `ExceptionGroup` ("unhandled errors in a TaskGroup (N sub-exceptions)"); a failure of the body
 * joins them. Defects (`Effect.die`, thrown exceptions) abort the group the same way and appear
 * in the group's `defects`. A cancelled child is not an error. When the fiber running the group
 * is cancelled, every child is cancelled and awaited and the cancellation propagates, unless
 * children failed meanwhile (their group is then seen by whoever awaits the cancelled task).
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import * as asyncio from "@effect-asyncio/core"
 *
 * const program = asyncio.TaskGroup.run((tg) =>
 *   Effect.gen(function* () {
 *     const task1 = yield* tg.createTask(asyncio.sleep(1, "one"))
 *     const task2 = yield* tg.createTask(asyncio.sleep(2, "two"))
 *     return [task1, task2] as const
 *   })
 * ).pipe(Effect.flatMap(([task1, task2]) => Effect.all([task1.result(), task2.result()])))
 * // both tasks have completed now:
 * asyncio.run(program).then(console.log) // ["one", "two"]
 * ```
 * @category Task groups
 * @since 0.1.0
 */
export class TaskGroup {
  private entered = false
  private exiting = false
  private aborting = false
  private loop: EventLoopImpl | undefined = undefined
  private parentTask: TaskImpl<unknown, unknown> | undefined = undefined
  private parentCancelRequested = false
  private readonly tasks = new Set<TaskImpl<unknown, unknown>>()
  private readonly errors: Array<Failure> = []
  private baseError: Failure | undefined = undefined
  private onCompletedFut: FutureImpl<boolean> | undefined = undefined

  /**
   * `async with asyncio.TaskGroup() as tg: body`: runs `body(tg)` in a new group, waits for all
   * its tasks, and returns the body's result or fails with the group's error.
   */
  static run<A, E, R>(
    body: (tg: TaskGroup) => Effect.Effect<A, E, R>
  ): Effect.Effect<A, TaskGroupError<E> | RuntimeError, R | EventLoop> {
    // a new group each time the effect runs: an effect can run many times, a group once
    return Effect.suspend(() => new TaskGroup().run(body))
  }

  /** @internal what the task waiting for the children waits on (the deadlock report) */
  describeWait(): string {
    const count = this.tasks.size
    return `TaskGroup(${count} ${count === 1 ? "child" : "children"})`
  }

  /** CPython's repr: `<TaskGroup tasks=2 errors=1 cancelling>`. */
  toString(): string {
    const info = [""]
    if (this.tasks.size > 0) info.push(`tasks=${this.tasks.size}`)
    if (this.errors.length > 0) info.push(`errors=${this.errors.length}`)
    if (this.aborting) info.push("cancelling")
    else if (this.entered) info.push("entered")
    return `<TaskGroup${info.join(" ")}>`
  }

  /** Node's `util.inspect` (`console.log(tg)`) shows the repr, as `String(tg)` does. */
  [NodeInspectSymbol](): string {
    return this.toString()
  }

  /**
   * `async with tg: body`: enters this group (once: a group cannot be entered twice, that fails
   * with `RuntimeError`), runs `body(tg)` in the calling task, waits for every task, then returns
   * the body's result or fails with the group's error. Outside of a task it fails with
   * `RuntimeError`.
   */
  run<A, E, R>(
    body: (tg: this) => Effect.Effect<A, E, R>
  ): Effect.Effect<A, TaskGroupError<E> | RuntimeError, R | EventLoop> {
    return Effect.withFiber((fiber): Effect.Effect<A, TaskGroupError<E> | RuntimeError, R> => {
      // __aenter__
      if (this.entered) return runtimeError(`TaskGroup ${this} has already been entered`)
      this.loop ??= loopImpl(Context.get(fiber.context as Context.Context<EventLoop>, EventLoop))
      const parentTask = fiber.getRef(CurrentTask)
      if (parentTask === undefined) return runtimeError(`TaskGroup ${this} cannot determine the parent task`)
      this.parentTask = parentTask
      this.entered = true
      return catchingCancellation(
        Effect.suspend(() => body(this)),
        (exit, restore) => this.exit(fiber, exit, restore)
      ) as Effect.Effect<A, TaskGroupError<E>, R>
    })
  }

  /**
   * `tg.create_task(coro, name=...)`: starts `effect` as a task of this group and returns it.
   * Fails with `RuntimeError` (and does not run the effect) when the group has not been entered,
   * is finished, or is shutting down after a failure.
   */
  createTask<A, E, R>(
    effect: Effect.Effect<A, E, R>,
    options?: CreateTaskOptions
  ): Effect.Effect<Task<A, E>, RuntimeError | ChildErrors<E>, Exclude<R, EventLoop>> {
    const site = debugMode.seen ? creationSite() : undefined
    return Effect.withFiber((parent) => {
      const loop = this.loop
      if (!this.entered || loop === undefined) return runtimeError(`TaskGroup ${this} has not been entered`)
      if (this.exiting && this.tasks.size === 0) return runtimeError(`TaskGroup ${this} is finished`)
      if (this.aborting) return runtimeError(`TaskGroup ${this} is shutting down`)
      const refused = refuseTask(loop, effect, options)
      if (refused !== undefined) return refused
      const task = spawnTask(parent.context, loop, effect as Effect.Effect<A, E>, options, site)
      const child = task as TaskImpl<unknown, unknown>
      // asyncio 3.14: the child is awaited by the group's parent task (call graphs)
      addToAwaitedBy(child, this.parentTask as TaskImpl<unknown, unknown>)
      if (child.done()) {
        this.onTaskDone(child)
      } else {
        this.tasks.add(child)
        child.addDoneCallback(this.onTaskDone)
      }
      return Effect.succeed(task as Task<A, E>)
    }) as Effect.Effect<Task<A, E>, RuntimeError, Exclude<R, EventLoop>>
  }

  /** CPython's `__aexit__`, given how the body ended, in the parent task's fiber. */
  private exit<A, E>(
    fiber: Fiber.Fiber<unknown, unknown>,
    bodyExit: Exit.Exit<A, E>,
    restore: <X, Y, Z>(effect: Effect.Effect<X, Y, Z>) => Effect.Effect<X, Y, Z>
  ): Effect.Effect<A, unknown> {
    return Effect.gen({ self: this }, function* () {
      this.exiting = true
      const loop = this.loop as EventLoopImpl
      const parentTask = this.parentTask as TaskImpl<unknown, unknown>
      const bodyFailures: Array<Failure> = Exit.isFailure(bodyExit) ? failuresOf(bodyExit.cause) : []
      const baseError = bodyFailures.find(isBaseError)
      if (baseError !== undefined && this.baseError === undefined) this.baseError = baseError

      // `et is CancelledError`: the body was cancelled (its task's cancellation, caught here as
      // CPython's `__aexit__` catches it, so that this fiber can wait for the children), or it
      // raised CancelledError itself
      const et = Exit.isFailure(bodyExit) ? bodyExit.cause : undefined
      const etCancelled = et !== undefined && isCancellation(et)
      let propagateCancellation: Cause.Cause<unknown> | undefined
      // a cancellation that reached the body is in flight (CPython holds it as `exc`; replaced
      // by an error a cleanup raised, it is gone): withdrawn from the fiber, kept to raise again
      if (et !== undefined && cancellationOf(et) !== undefined) {
        if (!withdrawCancellation(fiber)) return yield* Effect.failCause(et)
      }
      if (etCancelled) propagateCancellation = et
      if (et !== undefined && !this.aborting) this.abort()

      // We use while-loop here because "self._on_completed_fut" can be cancelled multiple times
      // if our parent task is being cancelled repeatedly (or even once, when our own
      // cancellation is already in progress)
      while (this.tasks.size > 0) {
        this.onCompletedFut ??= new LabelledFuture<boolean>(loop, () => this.describeWait())
        const waited = yield* Effect.exit(restore(awaitFuture(this.onCompletedFut)))
        if (Exit.isFailure(waited)) {
          if (!withdrawCancellation(fiber)) return yield* Effect.failCause(waited.cause)
          // Our parent task is being cancelled while the children still run.
          if (!this.aborting) {
            propagateCancellation = waited.cause
            this.abort()
          }
        }
        this.onCompletedFut = undefined
      }

      if (this.baseError !== undefined) return yield* Effect.failCause(Cause.fromReasons([this.baseError]))

      // If this flag is set we *must* call uncancel(). If there are no pending cancellations
      // left, don't propagate CancelledError.
      if (this.parentCancelRequested && parentTask.uncancel() === 0) propagateCancellation = undefined

      // Propagate CancelledError if there is one, except if there are other errors -- those
      // have priority.
      if (propagateCancellation !== undefined && this.errors.length === 0) {
        return yield* raiseCancellation(fiber, propagateCancellation)
      }

      // the error a cleanup raised while the body was cancelled replaced the CancelledError
      if (et !== undefined && !etCancelled) this.errors.push(...bodyFailures)

      if (this.errors.length > 0) {
        // If the parent task is being cancelled from the outside of the taskgroup, un-cancel
        // and re-cancel the parent task, which will keep the cancel count stable.
        if (parentTask.cancelling() > 0) {
          parentTask.uncancel()
          parentTask.cancelUnsafe()
        }
        const group = ExceptionGroup.fromCause(Cause.fromReasons(this.errors.splice(0)), GROUP_MESSAGE)
        if (group !== undefined) return yield* Effect.fail(group)
      }
      if (Exit.isSuccess(bodyExit)) return bodyExit.value
      // a cancellation of the body that the group withdrew, with nothing left to raise: cannot
      // happen (the group cancels its parent only after a child failed); kept total for types
      return yield* Effect.failCause(bodyExit.cause)
    })
  }

  /** @internal whether the group is cancelling its children (CPython's `_aborting`) */
  isAborting(): boolean {
    return this.aborting
  }

  /** CPython's `_abort`: cancel every child still running. */
  private abort(): void {
    this.aborting = true
    for (const task of this.tasks) {
      if (!task.done()) task.cancelUnsafe()
    }
  }

  /** CPython's `_on_task_done`, as a done callback of every child. */
  private readonly onTaskDone = (task: TaskImpl<unknown, unknown>): void => {
    this.tasks.delete(task)
    discardFromAwaitedBy(task, this.parentTask as TaskImpl<unknown, unknown>)
    const onCompleted = this.onCompletedFut
    if (onCompleted !== undefined && this.tasks.size === 0 && !onCompleted.done()) {
      onCompleted.setResultUnsafe(true)
    }
    if (task.cancelled()) return
    const exit = task.exit
    // the group retrieves the exception (CPython calls `task.exception()`)
    task.markRetrieved()
    if (exit === undefined || Exit.isSuccess(exit)) return
    const failures = failuresOf(exit.cause)
    this.errors.push(...failures)
    const baseError = failures.find(isBaseError)
    if (baseError !== undefined && this.baseError === undefined) this.baseError = baseError
    const parentTask = this.parentTask as TaskImpl<unknown, unknown>
    if (parentTask.done()) {
      // Not sure if this case is possible, but we want to handle it anyways.
      this.loop?.callExceptionHandler({
        message: `Task ${task} has errored out but its parent task ${parentTask} is already completed`,
        exception: Cause.squash(exit.cause),
        task
      })
      return
    }
    if (!this.aborting && !this.parentCancelRequested) {
      // If parent task *is not* being cancelled, it means that we want to manually cancel it
      // to abort whatever is being run right now in the TaskGroup. But we want to mark parent
      // task as "not cancelled" later in __aexit__. Example situation that we need to handle:
      //
      //    async def foo():
      //        try:
      //            async with TaskGroup() as g:
      //                g.create_task(crash_soon())
      //                await something  # <- this needs to be canceled
      //                                 #    by the TaskGroup, e.g.
      //                                 #    foo() needs to be cancelled
      //        except Exception:
      //            # Ignore any exceptions raised in the TaskGroup
      //            pass
      //        await something_else     # this line has to be called
      //                                 # after TaskGroup is finished.
      this.abort()
      this.parentCancelRequested = true
      parentTask.cancelUnsafe()
    }
  }
}

const runtimeError = (message: string) => Effect.fail(new RuntimeError({ message }))

/** The failures of a cause (typed errors and defects), without its interruptions. */
const failuresOf = (cause: Cause.Cause<unknown>): Array<Failure> =>
  cause.reasons.filter((reason): reason is Failure => Cause.isFailReason(reason) || Cause.isDieReason(reason))

/** CPython's `_is_base_error`: `KeyboardInterrupt` escapes a group as it is. */
const isBaseError = (failure: Failure): boolean =>
  Cause.isFailReason(failure)
    ? failure.error instanceof KeyboardInterrupt
    : failure.defect instanceof KeyboardInterrupt
