/**
 * `tracing: true`: every task is an Effect span, so that whatever tracer the program runs with
 * (effect's OTLP exporter, `@effect/opentelemetry`) shows tasks, and what each does, nested.
 *
 * A task's span opens when the task is created, as a child of the span its creator is in (the
 * creator task's span, or a span the creator opened inside it), and is the parent span of the
 * task's fiber, so the spans its body opens nest under it. It ends when the task is done, with
 * the task's outcome. Attributes: `asyncio.task.id` (`futureId`), `asyncio.task.name`,
 * `asyncio.task.parent_id` (the creator task's id), `asyncio.task.outcome` (`ok`, `failed`,
 * `cancelled`) and `asyncio.task.cancel_message`.
 *
 * Nothing here runs unless the loop was made with `tracing`: `loop.spawn` reads one field.
 */
import { Cause, type Clock, Context, Exit, Option, Tracer } from "effect"
import { CurrentTask, idOf } from "./future.js"
import type { TaskImpl, TaskObserver } from "./task.js"
import { messageOf } from "./validate.js"

export class TaskSpans implements TaskObserver {
  private readonly spans = new Map<TaskImpl<unknown, unknown>, Tracer.Span>()

  constructor(private readonly clock: Clock.Clock) {}

  /** The span of a task about to be created from `parent` (the creator's context). */
  open(parent: Context.Context<never>, name: string): Tracer.Span {
    const tracer = Context.get(parent, Tracer.Tracer)
    const parentSpan = Context.getOption(parent, Tracer.ParentSpan)
    const span = tracer.span({
      name,
      parent: parentSpan,
      annotations: Context.empty(),
      links: [],
      startTime: this.clock.currentTimeNanosUnsafe(),
      kind: "internal",
      root: false,
      sampled: Option.isSome(parentSpan) ? parentSpan.value.sampled : true
    })
    span.attribute("asyncio.task.name", name)
    const creator = Context.get(parent, CurrentTask)
    if (creator !== undefined) span.attribute("asyncio.task.parent_id", idOf(creator))
    return span
  }

  /** The task made with `span` exists: its id is known, its end is awaited. */
  attach(task: TaskImpl<unknown, unknown>, span: Tracer.Span): void {
    span.attribute("asyncio.task.id", idOf(task))
    this.spans.set(task, span)
  }

  taskCreated(): void {}

  taskDone(task: TaskImpl<unknown, unknown>): void {
    const span = this.spans.get(task)
    if (span === undefined) return
    this.spans.delete(task)
    let exit: Exit.Exit<unknown, unknown>
    if (task.cancelled()) {
      span.attribute("asyncio.task.outcome", "cancelled")
      const message = task.cancelMessage ?? cancelledExcMessage(task)
      if (message !== undefined && message !== "") {
        span.attribute("asyncio.task.cancel_message", messageOf(message))
      }
      exit = Exit.failCause(Cause.interrupt())
    } else {
      exit = task.exit ?? Exit.void
      span.attribute("asyncio.task.outcome", Exit.isSuccess(exit) ? "ok" : "failed")
    }
    span.end(this.clock.currentTimeNanosUnsafe(), exit)
  }

  /** The spans of tasks still pending (the loop closes: they end as they are). */
  endAll(): void {
    for (const task of [...this.spans.keys()]) this.taskDone(task)
  }
}

/** The message of the CancelledError a cancelled task's body raised, without taking it. */
const cancelledExcMessage = (task: TaskImpl<unknown, unknown>): string | undefined => {
  const error = task.cancelledExc
  return error === undefined ? undefined : error.message
}
