/**
 * Task groups: asyncio's `taskgroups.py` (Python 3.11-3.13, and `cancel()` of CPython main, 3.15),
 * structured concurrency.
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
import { EventLoop, type EventLoopService, loopImpl, publicLoop } from "./events.js"
import { ExceptionGroup } from "./exceptionGroup.js"
import {
  type CancelledError,
  type KeyboardInterrupt,
  RuntimeError,
  type SystemExit,
  TypeError
} from "./exceptions.js"
import { EventLoopImpl } from "./internal/eventLoop.js"
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
  isBaseException,
  raiseCancellation,
  withdrawCancellation
} from "./internal/loop.js"
import { isCancellation } from "./internal/outcome.js"
import type { TaskImpl } from "./internal/task.js"
import * as validate from "./internal/validate.js"
import { type CreateTaskOptions, coroutineOf, refuseTask, spawnTask, type Task } from "./tasks.js"

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
type Escaping = CancelledError | KeyboardInterrupt | SystemExit

/**
 * What a group whose body fails with `E` fails with: one `ExceptionGroup` of the failures;
 * or, as CPython, a `CancelledError` the body raised, or a `KeyboardInterrupt` (`SystemExit`) alone.
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
 * A task group opened from Promise-based code: `await using tg = await asyncio.TaskGroup.open(loop)`
 * is `async with asyncio.TaskGroup() as tg:` for an `async` function (an HTTP handler). The
 * group's parent is a task of `loop` that waits until the scope ends; leaving the scope (or
 * `close()`) waits for every child, and rejects with the group's error (`ExceptionGroup`) if a
 * child failed. `createTask` starts a child at once and returns it (`await task.toPromise()`
 * for its result); it throws `RuntimeError` when the group is closed or shutting down.
 *
 * The body of the `await using` block is Promise code, not a task: a failing child cancels the
 * other children at once, but the block runs on until it ends (nothing can interrupt a Promise),
 * and an exception of the block is not part of the group (JavaScript then throws a
 * `SuppressedError` holding both).
 *
 * @example
 * ```ts
 * import * as asyncio from "@effect-asyncio/core"
 *
 * const runner = new asyncio.Runner()
 * const loop = runner.getLoop()
 * const served = runner.run(asyncio.sleep(1)) // the loop runs while main does
 * const handler = async () => {
 *   await using tg: asyncio.TaskGroupScope = await asyncio.TaskGroup.open(loop)
 *   const a = tg.createTask(asyncio.sleep(0.1, "a"))
 *   const b = tg.createTask(Promise.resolve("b"))
 *   return [await a.toPromise(), await b.toPromise()]
 * } // every child is done here
 * console.log(await handler()) // ["a", "b"]
 * await served
 * await runner.close()
 * ```
 * @category Task groups
 * @since 0.2.0
 */
export interface TaskGroupScope extends AsyncDisposable {
  /** `tg.create_task(coro, name=...)`, synchronously: the child, started now. */
  createTask<A, E>(effect: Effect.Effect<A, E, EventLoop>, options?: CreateTaskOptions): Task<A, E>
  createTask<A>(promise: PromiseLike<A>, options?: CreateTaskOptions): Task<A, Cause.UnknownError>
  /** `tg.cancel()` (3.15): the children are cancelled; the scope then ends without an error. */
  cancel(): void
  /** Ends the scope (what leaving `await using` does): waits for the children, rejects with the group's error. */
  close(): Promise<void>
  /** The group itself. */
  readonly group: TaskGroup
}

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
 * `tg.cancel()` (CPython 3.15) cancels the children and the body and ends the group without
 * `CancelledError`; a body cut short that way has no result, so `run` gives `A | undefined`.
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
 * ).pipe(
 *   // `undefined` only for a body cut short by tg.cancel(), which this one never calls
 *   Effect.flatMap(Effect.fromNullishOr),
 *   Effect.flatMap(([task1, task2]) => Effect.all([task1.result(), task2.result()]))
 * )
 * // both tasks have completed now:
 * asyncio.run(program).then(console.log) // ["one", "two"]
 *
 * // the first of two racers to finish cancels the group: the other one is cancelled
 * const race = Effect.gen(function* () {
 *   let winner = ""
 *   const racer = (tg: asyncio.TaskGroup, name: string, seconds: number) =>
 *     Effect.andThen(asyncio.sleep(seconds), Effect.andThen(Effect.sync(() => (winner = name)), tg.cancel()))
 *   yield* asyncio.TaskGroup.run((tg) =>
 *     Effect.all([tg.createTask(racer(tg, "slow", 2)), tg.createTask(racer(tg, "fast", 1))])
 *   )
 *   return winner // after 1 second, and no CancelledError
 * })
 * asyncio.run(race).then(console.log) // fast
 * ```
 * @category Task groups
 * @since 0.1.0
 */
export class TaskGroup {
  constructor() {
    // a method passed as a callback (`loop.callSoon(tg.cancelUnsafe)`) keeps its group
    this.cancelUnsafe = this.cancelUnsafe.bind(this)
  }

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
  /** CPython 3.15's `_cancel_on_enter`: `cancel()` was called before the group was entered */
  private cancelOnEnter = false

  /**
   * `async with asyncio.TaskGroup() as tg: body`: runs `body(tg)` in a new group, waits for all
   * its tasks, and returns the body's result or fails with the group's error.
   */
  static run<A, E, R>(
    body: (tg: TaskGroup) => Effect.Effect<A, E, R>
  ): Effect.Effect<A | undefined, TaskGroupError<E> | RuntimeError, R | EventLoop> {
    // a new group each time the effect runs: an effect can run many times, a group once
    return Effect.suspend(() => new TaskGroup().run(body))
  }

  /**
   * Opens a group from Promise-based code (see `TaskGroupScope`): a task of `loop` enters it and
   * waits there until the scope ends. Resolves once the group is entered (the loop must be
   * running); rejects with `TypeError` for anything but a loop made by this library.
   */
  static open(loop: EventLoopService): Promise<TaskGroupScope> {
    if (!validate.isInstance(loop, EventLoopImpl)) {
      return Promise.reject(
        new TypeError({ message: `TaskGroup.open() expects an event loop, got ${validate.describe(loop)}` })
      )
    }
    const impl: EventLoopImpl = loop
    const group = new TaskGroup()
    const closed = new LabelledFuture<void>(impl, () => "the end of a TaskGroup.open() scope")
    return new Promise<TaskGroupScope>((resolve, reject) => {
      let scope: TaskGroupScope | undefined
      const body = Effect.suspend(() => {
        scope = new OpenGroup(group, impl, closed, parent)
        resolve(scope)
        return closed
      })
      let parent: Promise<unknown>
      try {
        parent = impl.submit(group.run(() => body)).promise
      } catch (error) {
        reject(error)
        return
      }
      // the group failed before it was entered
      parent.catch((error: unknown) => {
        if (scope === undefined) reject(error)
      })
    })
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
   * `RuntimeError`. A body cut short by `cancel()` has no result: the group then returns
   * `undefined` (Python's `async with` has no value, only the code after it).
   */
  run<A, E, R>(
    body: (tg: this) => Effect.Effect<A, E, R>
  ): Effect.Effect<A | undefined, TaskGroupError<E> | RuntimeError, R | EventLoop> {
    return Effect.withFiber((fiber): Effect.Effect<A | undefined, TaskGroupError<E> | RuntimeError, R> => {
      // a body that is not a function is refused before the group is entered
      validate.func(body, "TaskGroup.run() body")
      // __aenter__
      if (this.entered) return runtimeError(`TaskGroup ${this} has already been entered`)
      this.loop ??= loopImpl(Context.get(fiber.context as Context.Context<EventLoop>, EventLoop))
      const parentTask = fiber.getRef(CurrentTask)
      if (parentTask === undefined) return runtimeError(`TaskGroup ${this} cannot determine the parent task`)
      this.parentTask = parentTask
      this.entered = true
      // 3.15: a group cancelled before it was entered is cancelled on entry (its body at its
      // first wait, as `parent_task.cancel()` from `__aenter__`)
      if (this.cancelOnEnter) this.cancelUnsafe()
      return catchingCancellation(
        // a body function that returns a non-effect: the body raised TypeError (CPython puts it in
        // the group, as any exception of the body)
        Effect.suspend(() => validate.returned(body(this), "TaskGroup.run() body")),
        (exit, restore) => this.exit(fiber, exit, restore)
      ) as Effect.Effect<A | undefined, TaskGroupError<E>, R>
    })
  }

  /**
   * `tg.cancel()` (CPython 3.15, gh-108951): cancels every child that is not done and the body
   * (the task running the group), and the group then exits *without* raising `CancelledError`:
   * the code after it runs on. Errors of children still make the group fail with its
   * `ExceptionGroup`, and a cancellation of the task from outside still propagates (gh-155433).
   *
   * Called before the group is entered, the group is cancelled on entry; called after it exited,
   * it does nothing; calling it again does nothing. Once cancelled, `createTask` fails with
   * `RuntimeError` ("is shutting down"), as in CPython main (gh-150355 asks to allow it; open).
   */
  cancel(): Effect.Effect<void> {
    return Effect.sync(() => this.cancelUnsafe())
  }

  /** `tg.cancel()`, synchronously, for callbacks (nothing of the group runs inside it). */
  cancelUnsafe(): void {
    if (!this.entered) {
      this.cancelOnEnter = true
      return
    }
    if (this.exiting && this.tasks.size === 0) return
    if (!this.aborting) {
      this.abort()
      const parentTask = this.parentTask
      if (parentTask !== undefined && !this.parentCancelRequested) {
        this.parentCancelRequested = true
        parentTask.cancelNow()
      }
    }
  }

  /**
   * `tg.create_task(coro, name=...)`: starts `effect` as a task of this group and returns it.
   * Fails with `RuntimeError` (and does not run the effect) when the group has not been entered,
   * is finished, or is shutting down (after a failure, or `cancel()`). A Promise is accepted too
   * (as `createTask` takes one): its task waits for it, and cancelling the group stops the
   * waiting, not the Promise.
   */
  createTask<A, E, R>(
    effect: Effect.Effect<A, E, R>,
    options?: CreateTaskOptions
  ): Effect.Effect<Task<A, E>, RuntimeError | ChildErrors<E>, Exclude<R, EventLoop>>
  createTask<A>(
    promise: PromiseLike<A>,
    options?: CreateTaskOptions
  ): Effect.Effect<Task<A, Cause.UnknownError>, RuntimeError | ChildErrors<Cause.UnknownError>>
  createTask<A, E, R>(
    effect: Effect.Effect<A, E, R> | PromiseLike<A>,
    options?: CreateTaskOptions
  ): Effect.Effect<Task<A, E>, RuntimeError | ChildErrors<E>, Exclude<R, EventLoop>> {
    const site = debugMode.seen ? creationSite() : undefined
    return Effect.withFiber((parent) => {
      const loop = this.loop
      if (!this.entered || loop === undefined) return runtimeError(`TaskGroup ${this} has not been entered`)
      if (this.exiting && this.tasks.size === 0) return runtimeError(`TaskGroup ${this} is finished`)
      if (this.aborting) return runtimeError(`TaskGroup ${this} is shutting down`)
      const refused = refuseTask(loop, effect, options, "TaskGroup.createTask")
      if (refused !== undefined) return refused
      const task = spawnTask(parent.context, loop, coroutineOf(effect as Effect.Effect<A, E>), options, site)
      const child = task as TaskImpl<unknown, unknown>
      // asyncio 3.14: the child is awaited by the group's parent task (call graphs)
      addToAwaitedBy(child, this.parentTask as TaskImpl<unknown, unknown>)
      if (child.done()) {
        this.onTaskDone(child)
      } else {
        this.tasks.add(child)
        child.addDoneCallback(this.onTaskDone)
        // gh-155418 (CPython main): an eager child can cancel the group before it joins `tasks`
        if (this.aborting) child.cancelNow()
      }
      return Effect.succeed(task as Task<A, E>)
    }) as Effect.Effect<Task<A, E>, RuntimeError, Exclude<R, EventLoop>>
  }

  /** CPython's `__aexit__`, given how the body ended, in the parent task's fiber. */
  private exit<A, E>(
    fiber: Fiber.Fiber<unknown, unknown>,
    bodyExit: Exit.Exit<A, E>,
    restore: <X, Y, Z>(effect: Effect.Effect<X, Y, Z>) => Effect.Effect<X, Y, Z>
  ): Effect.Effect<A | undefined, unknown> {
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
      let pendingCancellation: Cause.Cause<unknown> | undefined
      while (this.tasks.size > 0) {
        this.onCompletedFut ??= new LabelledFuture<boolean>(loop, () => this.describeWait())
        const waited = yield* Effect.exit(restore(awaitFuture(this.onCompletedFut)))
        if (Exit.isFailure(waited)) {
          if (!withdrawCancellation(fiber)) return yield* Effect.failCause(waited.cause)
          pendingCancellation = waited.cause
          // Our parent task is being cancelled while the children still run.
          if (!this.aborting) {
            propagateCancellation = waited.cause
            this.abort()
          }
        }
        this.onCompletedFut = undefined
      }

      if (this.baseError !== undefined) return yield* Effect.failCause(Cause.fromReasons([this.baseError]))

      if (this.parentCancelRequested) {
        // If this flag is set we *must* call uncancel().
        if (parentTask.uncancel() === 0) {
          // If there are no pending cancellations left, don't propagate CancelledError.
          propagateCancellation = undefined
        } else {
          // gh-155433 (CPython main): the remaining cancellation is not ours, don't drop it
          propagateCancellation ??= pendingCancellation
        }
      }

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
          parentTask.cancelNow()
        }
        const group = ExceptionGroup.fromCause(Cause.fromReasons(this.errors.splice(0)), GROUP_MESSAGE)
        if (group !== undefined) return yield* Effect.fail(group)
      }
      // Suppress any remaining exception (exceptions deserving to be raised were raised above):
      // the body was cut short by the group's own `cancel()`, and has no result
      return Exit.isSuccess(bodyExit) ? bodyExit.value : undefined
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
      if (!task.done()) task.cancelNow()
    }
  }

  /** CPython's `_on_task_done`, as a done callback of every child. */
  private readonly onTaskDone = (task: TaskImpl<unknown, unknown>): void => {
    this.tasks.delete(task)
    discardFromAwaitedBy(task, this.parentTask as TaskImpl<unknown, unknown>)
    const onCompleted = this.onCompletedFut
    if (onCompleted !== undefined && this.tasks.size === 0 && !onCompleted.done()) {
      onCompleted.resolveNow(true)
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
      parentTask.cancelNow()
    }
  }
}

const runtimeError = (message: string) => Effect.fail(new RuntimeError({ message }))

/** The failures of a cause (typed errors and defects), without its interruptions. */
const failuresOf = (cause: Cause.Cause<unknown>): Array<Failure> =>
  cause.reasons.filter((reason): reason is Failure => Cause.isFailReason(reason) || Cause.isDieReason(reason))

/** CPython's `_is_base_error`: `(SystemExit, KeyboardInterrupt)` escape a group as they are. */
const isBaseError = (failure: Failure): boolean =>
  isBaseException(Cause.isFailReason(failure) ? failure.error : failure.defect)

/** `TaskGroup.open(loop)`'s scope: the group, entered by a task that waits for `closed`. */
class OpenGroup implements TaskGroupScope {
  constructor(
    readonly group: TaskGroup,
    private readonly loop: EventLoopImpl,
    private readonly closed: FutureImpl<void>,
    private readonly parent: Promise<unknown>
  ) {}

  createTask<A, E>(
    effect: Effect.Effect<A, E, EventLoop> | PromiseLike<A>,
    options?: CreateTaskOptions
  ): Task<A, E> {
    const created = this.group.createTask(effect as Effect.Effect<A, E, EventLoop>, options)
    // createTask needs no wait: it runs to the end here, in a fiber of its own with the loop
    const exit = Effect.runSyncExit(Effect.provideService(created, EventLoop, publicLoop(this.loop)))
    if (Exit.isSuccess(exit)) return exit.value
    throw Cause.squash(exit.cause)
  }

  cancel(): void {
    this.group.cancelUnsafe()
  }

  async close(): Promise<void> {
    if (!this.closed.done()) this.closed.resolveNow(undefined)
    await this.parent
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close()
  }
}
