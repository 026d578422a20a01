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
import { Cause, Effect, Exit, Fiber, Scope } from "effect"
import { EventLoop, type EventLoopService } from "./events.js"
import { ExceptionGroup } from "./exceptionGroup.js"
import { CancelledError, KeyboardInterrupt, RuntimeError } from "./exceptions.js"
import { markRetrieved } from "./internal/awaiting.js"
import { type CreateTaskOptions, CurrentTask, forkTask, refuseTask, type Task } from "./tasks.js"

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
 * @since 0.1.0
 */
export type TaskGroupError<E> =
  | ExceptionGroup<Exclude<GroupErrors<E>, Escaping>>
  | Extract<GroupErrors<E>, Escaping>

/** The group's life, as CPython's `_entered` / `_exiting` flags. */
type Phase = "new" | "entered" | "exiting"

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
 * @since 0.1.0
 */
export class TaskGroup {
  private phase: Phase = "new"
  private aborting = false
  private loop: EventLoopService | undefined = undefined
  private parentTask: Task<unknown, unknown> | undefined = undefined
  /** The fiber running the body: what CPython cancels as `_parent_task`. */
  private body: Fiber.Fiber<unknown, unknown> | undefined = undefined
  private parentCancelRequested = false
  private readonly tasks = new Set<Task<unknown, unknown>>()
  private readonly errors: Array<Failure> = []
  private baseError: Failure | undefined = undefined
  private onCompleted: (() => void) | undefined = undefined

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

  /** CPython's repr: `<TaskGroup tasks=2 errors=1 cancelling>`. */
  toString(): string {
    const info = [""]
    if (this.tasks.size > 0) info.push(`tasks=${this.tasks.size}`)
    if (this.errors.length > 0) info.push(`errors=${this.errors.length}`)
    if (this.aborting) info.push("cancelling")
    else if (this.phase !== "new") info.push("entered")
    return `<TaskGroup${info.join(" ")}>`
  }

  /**
   * `async with tg: body`: enters this group (once: a group cannot be entered twice, that fails
   * with `RuntimeError`), runs `body(tg)`, waits for every task, then returns the body's result
   * or fails with the group's error. Outside of a task it fails with `RuntimeError`.
   */
  run<A, E, R>(
    body: (tg: this) => Effect.Effect<A, E, R>
  ): Effect.Effect<A, TaskGroupError<E> | RuntimeError, R | EventLoop> {
    return Effect.flatMap(EventLoop, (loop) =>
      Effect.flatMap(CurrentTask, (parentTask): Effect.Effect<A, TaskGroupError<E> | RuntimeError, R> => {
        if (this.phase !== "new") return runtimeError(`TaskGroup ${this} has already been entered`)
        if (parentTask === undefined)
          return runtimeError(`TaskGroup ${this} cannot determine the parent task`)
        this.loop = loop
        this.parentTask = parentTask
        this.phase = "entered"
        return Effect.flatMap(Scope.make(), (scope) =>
          this.enter(body(this), scope).pipe(Effect.onExit((exit) => Scope.close(scope, exit)))
        ) as Effect.Effect<A, TaskGroupError<E>, R>
      })
    )
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
    return Effect.withFiber((parent) => {
      const loop = this.loop
      if (this.phase === "new" || loop === undefined)
        return runtimeError(`TaskGroup ${this} has not been entered`)
      if (this.phase === "exiting" && this.tasks.size === 0)
        return runtimeError(`TaskGroup ${this} is finished`)
      if (this.aborting) return runtimeError(`TaskGroup ${this} is shutting down`)
      const refused = refuseTask(loop, effect)
      if (refused !== undefined) return refused
      const task = forkTask(parent, loop, effect as Effect.Effect<A, E>, options)
      const child = task as Task<unknown, unknown>
      // as CPython: a task already done (it completed eagerly) needs no callback
      if (child.done()) {
        this.onTaskDone(child)
      } else {
        this.tasks.add(child)
        child.addDoneCallback(this.onTaskDone)
      }
      return Effect.succeed(task)
    }) as Effect.Effect<Task<A, E>, RuntimeError, Exclude<R, EventLoop>>
  }

  /** The body, then CPython's `__aexit__`, with the children owned by `scope`. */
  private enter<A, E, R>(body: Effect.Effect<A, E, R>, scope: Scope.Scope): Effect.Effect<A, unknown, R> {
    // the scope's finalizer is a safety net: `exit` already waited for every child
    const leftovers = Effect.suspend(() => {
      const tasks = [...this.tasks]
      for (const task of tasks) task.cancelUnsafe()
      return Effect.forEach(tasks, (task) => Fiber.await(task.fiberUnsafe()), { discard: true })
    })
    return Effect.andThen(
      Scope.addFinalizer(scope, leftovers),
      Effect.uninterruptibleMask((restore) =>
        Effect.gen({ self: this }, function* () {
          // the body runs in a fiber of its own, started at once, so that a failing child can
          // cancel it (CPython cancels the parent task) without cancelling the group's fiber
          const bodyFiber = yield* Effect.forkChild(
            Effect.interruptible(
              Effect.withFiber((fiber) => {
                this.body = fiber
                return body
              })
            ),
            { startImmediately: true }
          )
          let outerCancelled = false
          const waited = yield* Effect.exit(restore(Fiber.await(bodyFiber)))
          if (Exit.isFailure(waited)) {
            // our fiber is cancelled: the cancellation goes to the body, as in CPython
            outerCancelled = true
            bodyFiber.interruptUnsafe()
          }
          const bodyExit = yield* Fiber.await(bodyFiber)
          return yield* this.exit(bodyExit, outerCancelled, restore)
        })
      )
    )
  }

  /** CPython's `__aexit__`, given how the body ended. */
  private exit<A, E>(
    bodyExit: Exit.Exit<A, E>,
    cancelledFromOutside: boolean,
    restore: <X, Y, Z>(effect: Effect.Effect<X, Y, Z>) => Effect.Effect<X, Y, Z>
  ): Effect.Effect<A, unknown> {
    return Effect.gen({ self: this }, function* () {
      this.phase = "exiting"
      const bodyFailures: Array<Failure> = Exit.isFailure(bodyExit) ? failuresOf(bodyExit.cause) : []
      // CPython's `et is CancelledError`: the body was cancelled, or raised CancelledError itself
      const bodyCancelled =
        Exit.isFailure(bodyExit) &&
        bodyFailures.every(
          (failure) => Cause.isFailReason(failure) && failure.error instanceof CancelledError
        )
      const baseError = bodyFailures.find(isBaseError)
      if (baseError !== undefined && this.baseError === undefined) this.baseError = baseError
      if (cancelledFromOutside) this.abortNextTurn()
      else if (Exit.isFailure(bodyExit) && !this.aborting) this.abort()

      // CPython loops because the wait can be cancelled several times; an Effect fiber is
      // cancelled once, after which we wait without `restore` (it would fail at once again)
      let interrupted = cancelledFromOutside
      const fiber = yield* Effect.withFiber((fiber) => Effect.succeed(fiber))
      exitingIn.set(fiber, this)
      while (this.tasks.size > 0) {
        const waited = yield* Effect.exit(interrupted ? this.childrenDone() : restore(this.childrenDone()))
        if (Exit.isFailure(waited)) {
          // our parent is being cancelled while the children still run
          interrupted = true
          this.abortNextTurn()
        }
      }
      exitingIn.delete(fiber)

      if (this.baseError !== undefined) return yield* Effect.failCause(Cause.fromReasons([this.baseError]))

      // CPython's `propagate_cancellation_error`: our fiber was cancelled from outside (our own
      // cancellation of the body is `uncancel()`ed: it never propagates), or the body raised
      // CancelledError itself. Propagate it, except if there are other errors: those have
      // priority. (CPython swallows a cancellation that reaches an aborting group's wait; an
      // Effect fiber stays interrupted, so it is propagated as well.)
      const bodyErrors = bodyCancelled ? [] : bodyFailures
      if (this.errors.length === 0 && bodyErrors.length === 0) {
        if (interrupted) return yield* Effect.interrupt
        if (bodyFailures.length > 0) return yield* Effect.failCause(Cause.fromReasons(bodyFailures))
      }
      // the body's exception comes last, as CPython appends it after waiting
      this.errors.push(...bodyErrors)
      if (this.errors.length > 0) {
        // as CPython: when our fiber is also cancelled from outside, the group is raised and the
        // cancellation stays pending (Effect keeps the fiber interrupted: handlers in that fiber
        // do not run, the task's awaiter sees the group)
        const group = ExceptionGroup.fromCause(Cause.fromReasons(this.errors.splice(0)), GROUP_MESSAGE)
        if (group !== undefined) return yield* Effect.fail(group)
      }
      if (Exit.isSuccess(bodyExit)) return bodyExit.value
      // a body cancelled by the group itself, with no error left: cannot happen (the group
      // cancels its body only after a child failed), kept total for the types
      return yield* Effect.interrupt
    })
  }

  /** Resumes once `tasks` is empty (CPython's `_on_completed_fut`). */
  private childrenDone(): Effect.Effect<void> {
    return Effect.callback<void>((resume) => {
      if (this.tasks.size === 0) return resume(Effect.void)
      this.onCompleted = () => resume(Effect.void)
      return Effect.sync(() => {
        this.onCompleted = undefined
      })
    })
  }

  /** @internal whether the group is cancelling its children (CPython's `_aborting`) */
  isAborting(): boolean {
    return this.aborting
  }

  /**
   * `_abort` for a cancellation from outside. CPython's `__aexit__` sees it at the task's next
   * step and aborts there, so a child whose step was queued before (one failing at this very
   * instant) still runs first; Effect delivered the interruption at once, so abort a turn later.
   */
  private abortNextTurn(): void {
    this.loop?.callSoon(() => {
      if (!this.aborting) this.abort()
    })
  }

  /** CPython's `_abort`: cancel every child still running. */
  private abort(): void {
    this.aborting = true
    for (const task of this.tasks) {
      if (!task.done()) task.cancelUnsafe()
    }
  }

  /** CPython's `_on_task_done`, as a done callback of every child. */
  private readonly onTaskDone = (task: Task<unknown, unknown>): void => {
    this.tasks.delete(task)
    this.recordOutcome(task)
    // CPython wakes `__aexit__` first, but its wake-up is scheduled; ours may resume the group
    // at once, so the outcome is recorded before
    if (this.tasks.size === 0 && this.onCompleted !== undefined) {
      const onCompleted = this.onCompleted
      this.onCompleted = undefined
      onCompleted()
    }
  }

  private recordOutcome(task: Task<unknown, unknown>): void {
    if (task.cancelled()) return
    const exit = task.exitUnsafe()
    if (exit === undefined || Exit.isSuccess(exit)) return
    // the group retrieves the exception (CPython calls `task.exception()`)
    markRetrieved(task)
    const failures = failuresOf(exit.cause)
    this.errors.push(...failures)
    const baseError = failures.find(isBaseError)
    if (baseError !== undefined && this.baseError === undefined) this.baseError = baseError
    if (this.parentTask?.done() === true) {
      // Not sure if this case is possible (CPython's words), but we want to handle it anyways.
      this.loop?.callExceptionHandler({
        message: `Task ${task} has errored out but its parent task ${this.parentTask} is already completed`,
        exception: Cause.squash(exit.cause),
        task
      })
      return
    }
    if (!this.aborting && !this.parentCancelRequested) {
      // The body is not being cancelled: cancel it to abort whatever it runs now, without
      // cancelling the fiber that waits in the group (CPython cancels the parent task and
      // `uncancel()`s it in `__aexit__`).
      this.abort()
      this.parentCancelRequested = true
      cancelBody(this.body)
    }
  }
}

/**
 * The groups whose `__aexit__` a fiber is waiting in. CPython delivers a cancellation to the
 * innermost `await`; when that is the wait of an aborting group, the group swallows it (its
 * `__aexit__` loop ignores a CancelledError while `_aborting`). An outer group cancelling its
 * body does the same here: it does not interrupt a body that waits in an aborting inner group.
 */
const exitingIn = new WeakMap<Fiber.Fiber<unknown, unknown>, TaskGroup>()

const cancelBody = (body: Fiber.Fiber<unknown, unknown> | undefined): void => {
  if (body === undefined) return
  if (exitingIn.get(body)?.isAborting() === true) return
  // a child that completed eagerly inside the body's own `createTask`: as CPython's
  // `task.cancel()` on the running task, the cancellation lands at the body's next suspension
  if (Fiber.getCurrent() === body) body.currentDispatcher.scheduleTask(() => body.interruptUnsafe(), 0)
  else body.interruptUnsafe()
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
