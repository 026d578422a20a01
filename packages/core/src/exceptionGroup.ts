/**
 * Python's `ExceptionGroup` and `except*` (PEP 654), typed.
 *
 * An `ExceptionGroup<E>` is a view over the failures of an Effect `Cause`: its typed errors
 * (`exceptions`, of type `E`, some of which may be nested groups) and its defects (`defects`),
 * in the order they happened. Interruptions are never part of a group, as `CancelledError`
 * never is in asyncio's. `ExceptionGroup.fromCause` is the one place a `Cause` becomes a group.
 *
 * `exceptStar(tag, handler)` is `except* Tag as eg:`: the handler receives the matching
 * subgroup, what does not match is re-raised as a smaller group, and the error type loses the
 * handled tags. Several `exceptStar` in a row behave like several `except*` clauses.
 *
 * @since 0.1.0
 */
import { Cause, Data, Effect } from "effect"
import type * as Arr from "effect/Array"
import type { Tags } from "effect/Types"
import { TypeError, ValueError } from "./exceptions.js"
import * as validate from "./internal/validate.js"

/** One failure of a group, in order: a typed error or a defect. */
type Reason<E> = Cause.Fail<E> | Cause.Die

/**
 * The tags of the typed errors in `E`, looking inside nested groups.
 *
 * @example
 * ```ts
 * import * as asyncio from "@effect-asyncio/core"
 *
 * type Nested = asyncio.ExceptionGroup<asyncio.ValueError | asyncio.ExceptionGroup<asyncio.TypeError>>
 * const tag: asyncio.LeafTags<Nested> = "TypeError" // "ValueError" | "TypeError"
 * console.log(tag) // TypeError
 * ```
 * @category Exception groups
 * @since 0.1.0
 */
export type LeafTags<E> = E extends ExceptionGroup<infer X> ? LeafTags<X> : Tags<E>

/**
 * The part of `E` whose tag is in `K`, nested groups kept with their matching part.
 *
 * @example
 * ```ts
 * import * as asyncio from "@effect-asyncio/core"
 *
 * type Errors = asyncio.ValueError | asyncio.TypeError
 * const eg = asyncio.ExceptionGroup.make<Errors>("two", [
 *   new asyncio.ValueError({ message: "bad" }),
 *   new asyncio.TypeError({ message: "worse" })
 * ])
 * const values: asyncio.ExceptionGroup<asyncio.Matched<Errors, "ValueError">> | undefined = eg.split("ValueError")[0]
 * console.log(values?.exceptions.map((error) => error.message)) // ["bad"]
 * ```
 * @category Exception groups
 * @since 0.1.0
 */
export type Matched<E, K> =
  E extends ExceptionGroup<infer X>
    ? ExceptionGroup<Matched<X, K>>
    : E extends { readonly _tag: infer T }
      ? T extends K
        ? E
        : never
      : never

/**
 * The part of `E` whose tag is not in `K`, nested groups kept with their remaining part.
 * A group keeps its defects, so a fully handled group may remain as `ExceptionGroup<never>`.
 *
 * @example
 * ```ts
 * import * as asyncio from "@effect-asyncio/core"
 *
 * type Errors = asyncio.ValueError | asyncio.TypeError
 * const eg = asyncio.ExceptionGroup.make<Errors>("two", [
 *   new asyncio.ValueError({ message: "bad" }),
 *   new asyncio.TypeError({ message: "worse" })
 * ])
 * const rest: asyncio.ExceptionGroup<asyncio.Rest<Errors, "ValueError">> | undefined = eg.split("ValueError")[1]
 * console.log(rest?.exceptions.map((error) => error.message)) // ["worse"]
 * ```
 * @category Exception groups
 * @since 0.1.0
 */
export type Rest<E, K> =
  E extends ExceptionGroup<infer X>
    ? [LeafErrors<Rest<X, K>>] extends [never]
      ? never
      : ExceptionGroup<Rest<X, K>>
    : E extends { readonly _tag: infer T }
      ? T extends K
        ? never
        : E
      : E

/**
 * What selects errors of a group, as `split`'s and `except*`'s condition: one tag, several
 * tags, or a predicate on the typed (leaf) errors.
 *
 * @example
 * ```ts
 * import * as asyncio from "@effect-asyncio/core"
 *
 * type Errors = asyncio.ValueError | asyncio.TypeError
 * // the three forms `split`, `subgroup` and `exceptStar` accept
 * const conditions: ReadonlyArray<asyncio.ExceptionGroupCondition<Errors>> = [
 *   "ValueError",
 *   ["ValueError", "TypeError"],
 *   (error) => error.message === "bad"
 * ]
 * console.log(conditions.map((condition) => typeof condition)) // ["string", "object", "function"]
 * ```
 * @category Exception groups
 * @since 0.1.0
 */
export type Condition<E> = string | ReadonlyArray<string> | ((error: LeafErrors<E>) => boolean)

/**
 * The typed errors of `E`, looking inside nested groups.
 *
 * @example
 * ```ts
 * import * as asyncio from "@effect-asyncio/core"
 *
 * type Nested = asyncio.ExceptionGroup<asyncio.ValueError | asyncio.ExceptionGroup<asyncio.TypeError>>
 * const leaf: asyncio.LeafErrors<Nested> = new asyncio.TypeError({ message: "inside" }) // ValueError | TypeError
 * console.log(leaf._tag) // TypeError
 * ```
 * @category Exception groups
 * @since 0.1.0
 */
export type LeafErrors<E> = E extends ExceptionGroup<infer X> ? LeafErrors<X> : E

type TagOf<K> = K extends ReadonlyArray<infer T> ? T : K

/**
 * Python's `ExceptionGroup`: several failures raised together, e.g. by a `TaskGroup` whose
 * children failed. `exceptions` are the typed errors (nested groups among them), `defects` the
 * defects (`Effect.die`, thrown exceptions), both in the order they happened. `message` reads
 * like Python's `str(eg)`: `"unhandled errors in a TaskGroup (2 sub-exceptions)"`.
 *
 * It is a `Data.TaggedError` (tag `"ExceptionGroup"`): yield it to fail, catch it with
 * `Effect.catchTag("ExceptionGroup", ...)` or, better, with `exceptStar`. It is not a
 * `Schema.TaggedError`: a schema class cannot carry the type parameter `E` (its field would be
 * `Schema.Unknown`, erasing the narrowing that `split` and `exceptStar` give), and a group holds
 * live error objects and defects that have no encoding anyway.
 *
 * @example
 * ```ts
 * import * as asyncio from "@effect-asyncio/core"
 *
 * const eg = asyncio.ExceptionGroup.make("several", [
 *   new asyncio.ValueError({ message: "bad" }),
 *   new asyncio.TypeError({ message: "worse" })
 * ])
 * const [values, rest] = eg.split("ValueError")
 * console.log(values?.exceptions.length, rest?.exceptions[0]?._tag) // 1 TypeError
 * console.log(String(eg))
 * // ExceptionGroup: several (2 sub-exceptions)
 * // +-+---------------- 1 ----------------
 * //   | ValueError: bad
 * //   +---------------- 2 ----------------
 * //   | TypeError: worse
 * //   +------------------------------------
 * ```
 * @category Exception groups
 * @since 0.1.0
 */
export class ExceptionGroup<out E = unknown> extends Data.TaggedError("ExceptionGroup")<{
  readonly message: string
}> {
  /** The typed errors, in order (nested groups are among them). */
  readonly exceptions: ReadonlyArray<E>
  /** The defects, in order. */
  readonly defects: ReadonlyArray<unknown>
  /** Every failure, typed or defect, in the order they happened. */
  readonly reasons: ReadonlyArray<Reason<E>>
  /** Python's `eg.message`: the message without the count. */
  readonly groupMessage: string

  /**
   * A group of `reasons` (`Cause.makeFailReason` / `Cause.makeDieReason`); prefer `make` or
   * `fromCause`. A group is never empty: without reasons the constructor throws `ValueError`,
   * as Python's does.
   */
  constructor(message: string, reasons: ReadonlyArray<Reason<E>>) {
    validate.string(message, "ExceptionGroup() message")
    validate.array(reasons, "ExceptionGroup() reasons")
    for (const reason of reasons) {
      if (!isReason(reason)) {
        throw new TypeError({
          message: `ExceptionGroup() reasons must be Fail or Die reasons of a Cause, got ${validate.describe(reason)}`
        })
      }
    }
    if (reasons.length === 0) {
      throw new ValueError({ message: "second argument (exceptions) must be a non-empty sequence" })
    }
    const count = `${reasons.length} sub-exception${reasons.length === 1 ? "" : "s"}`
    super({ message: `${message} (${count})` })
    this.groupMessage = message
    this.reasons = reasons
    this.exceptions = reasons.filter(Cause.isFailReason).map((reason) => reason.error)
    this.defects = reasons.filter(Cause.isDieReason).map((reason) => reason.defect)
  }

  /**
   * `ExceptionGroup(message, exceptions)`: a group of typed errors, then defects.
   */
  static make<E>(
    message: string,
    exceptions: ReadonlyArray<E>,
    defects: ReadonlyArray<unknown> = []
  ): ExceptionGroup<E> {
    validate.string(message, "ExceptionGroup.make() message")
    validate.array(exceptions, "ExceptionGroup.make() exceptions")
    validate.array(defects, "ExceptionGroup.make() defects")
    return new ExceptionGroup<E>(message, [
      ...exceptions.map((error) => Cause.makeFailReason(error)),
      ...defects.map((defect) => Cause.makeDieReason(defect))
    ])
  }

  /**
   * The group of a cause's failures and defects, in order; interruptions are left out (a
   * cancellation is never part of a group). `undefined` when the cause holds nothing else.
   * This is the one place where a `Cause` becomes an `ExceptionGroup`.
   */
  static fromCause<E>(cause: Cause.Cause<E>, message = ""): ExceptionGroup<E> | undefined {
    validate.cause(cause, "ExceptionGroup.fromCause() cause")
    validate.string(message, "ExceptionGroup.fromCause() message")
    const reasons = cause.reasons.filter(
      (reason): reason is Reason<E> => Cause.isFailReason(reason) || Cause.isDieReason(reason)
    )
    return reasons.length === 0 ? undefined : new ExceptionGroup(message, reasons)
  }

  /**
   * `eg.split(condition)`: `[matched, rest]`, each a group with the same message and nesting
   * or `undefined` when empty. The condition (a tag, tags, or a predicate) is tested on the
   * typed leaf errors; nested groups are split recursively; defects always go to `rest`.
   */
  split<const K extends LeafTags<E> | Arr.NonEmptyReadonlyArray<LeafTags<E>>>(
    condition: K
  ): [ExceptionGroup<Matched<E, TagOf<K>>> | undefined, ExceptionGroup<Rest<E, TagOf<K>>> | undefined]
  split<B extends LeafErrors<E>>(
    refinement: (error: LeafErrors<E>) => error is B
  ): [ExceptionGroup<Matched<E, Tags<B>>> | undefined, ExceptionGroup<Rest<E, Tags<B>>> | undefined]
  split(
    predicate: (error: LeafErrors<E>) => boolean
  ): [ExceptionGroup<E> | undefined, ExceptionGroup<E> | undefined]
  split(condition: Condition<E>): [ExceptionGroup<unknown> | undefined, ExceptionGroup<unknown> | undefined] {
    validate.condition(condition, "ExceptionGroup.split()")
    return splitGroup(this, toPredicate(condition))
  }

  /** `eg.subgroup(condition)`: the matching part of `split`. */
  subgroup<const K extends LeafTags<E> | Arr.NonEmptyReadonlyArray<LeafTags<E>>>(
    condition: K
  ): ExceptionGroup<Matched<E, TagOf<K>>> | undefined
  subgroup(predicate: (error: LeafErrors<E>) => boolean): ExceptionGroup<E> | undefined
  subgroup(condition: Condition<E>): ExceptionGroup<unknown> | undefined {
    validate.condition(condition, "ExceptionGroup.subgroup()")
    return splitGroup(this, toPredicate(condition))[0]
  }

  /** `eg.derive(exceptions)`: a group with this one's message over other failures. */
  derive<E2>(exceptions: ReadonlyArray<E2>, defects: ReadonlyArray<unknown> = []): ExceptionGroup<E2> {
    return ExceptionGroup.make(this.groupMessage, exceptions, defects)
  }

  /** The group as a `Cause`, to fail with exactly these reasons. */
  toCause(): Cause.Cause<E> {
    return Cause.fromReasons(this.reasons)
  }

  /** A tree like Python's traceback of a group (without the frames). */
  override toString(): string {
    return formatGroup(this).join("\n")
  }
}

/** The leaf predicate a split condition stands for. */
const toPredicate = <E>(condition: Condition<E>): ((error: unknown) => boolean) => {
  if (typeof condition === "function") return condition as (error: unknown) => boolean
  const tags: ReadonlyArray<string> = typeof condition === "string" ? [condition] : condition
  return (error) => hasTag(error) && tags.includes(error._tag)
}

const isReason = (value: unknown): value is Reason<unknown> => {
  try {
    return Cause.isReason(value) && (Cause.isFailReason(value) || Cause.isDieReason(value))
  } catch {
    return false
  }
}

const hasTag = (error: unknown): error is { readonly _tag: string } =>
  typeof error === "object" && error !== null && "_tag" in error && typeof error._tag === "string"

/** PEP 654's split: recursive, keeps nesting and message, drops empty branches. */
const splitGroup = (
  group: ExceptionGroup<unknown>,
  predicate: (error: unknown) => boolean
): [ExceptionGroup<unknown> | undefined, ExceptionGroup<unknown> | undefined] => {
  const matched: Array<Reason<unknown>> = []
  const rest: Array<Reason<unknown>> = []
  for (const reason of group.reasons) {
    if (Cause.isDieReason(reason)) {
      rest.push(reason)
    } else if (validate.isInstance(reason.error, ExceptionGroup)) {
      const [inner, outer] = splitGroup(reason.error, predicate)
      if (inner !== undefined) matched.push(Cause.makeFailReason(inner))
      // a nested rest left with defects only is a defect itself (see `Rest`)
      if (outer !== undefined) {
        rest.push(hasTypedErrors(outer) ? Cause.makeFailReason(outer) : Cause.makeDieReason(outer))
      }
    } else if (predicate(reason.error)) {
      matched.push(reason)
    } else {
      rest.push(reason)
    }
  }
  const derive = (reasons: ReadonlyArray<Reason<unknown>>) =>
    reasons.length === 0 ? undefined : new ExceptionGroup(group.groupMessage, reasons)
  return [derive(matched), derive(rest)]
}

const describeError = (error: unknown): string => {
  try {
    if (validate.isInstance(error, Error)) {
      const name = hasTag(error) ? error._tag : error.name
      return error.message === "" ? name : `${name}: ${error.message}`
    }
    if (hasTag(error)) return error._tag
  } catch {
    // an error whose name or message cannot be read: described
  }
  return validate.describe(error)
}

/** Python's traceback layout for groups: numbered boxes, nested groups indented. */
const formatGroup = (group: ExceptionGroup<unknown>): Array<string> => {
  const lines = [`ExceptionGroup: ${group.message}`]
  group.reasons.forEach((reason, index) => {
    const label = `---------------- ${index + 1} ----------------`
    lines.push(index === 0 ? `+-+${label}` : `  +${label}`)
    const inner =
      Cause.isFailReason(reason) && validate.isInstance(reason.error, ExceptionGroup)
        ? formatGroup(reason.error).map((line, i) => (i === 0 ? `| ${line}` : line))
        : [
            `| ${Cause.isDieReason(reason) ? `${describeError(reason.defect)} [defect]` : describeError(reason.error)}`
          ]
    for (const line of inner) lines.push(`  ${line}`)
  })
  const last = group.reasons[group.reasons.length - 1]
  const lastIsGroup =
    last !== undefined && Cause.isFailReason(last) && validate.isInstance(last.error, ExceptionGroup)
  if (!lastIsGroup) lines.push("  +------------------------------------")
  return lines
}

/**
 * `except* Tag as eg:` (PEP 654). When `self` fails with an `ExceptionGroup`, the part that
 * matches (a tag, several tags, or a predicate on the leaf errors) goes to `handler`, and what
 * does not match is re-raised as a smaller group with the same message. A plain matching error
 * (not a group) is wrapped in a group of one for the handler, as `except*` does. Defects are
 * never matched: they stay in the rest, and a rest of defects only is re-raised as a defect.
 * Interruptions pass untouched. The handler's own failure is raised after the rest, in one cause:
 * a later `exceptStar` handles the rest and lets that failure pass, as a later `except*` clause
 * of the same `try` does.
 *
 * The resulting error type excludes the handled tags. Several `exceptStar` in a row act as
 * several `except*` clauses of one `try`: each sees what the previous ones left.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import * as asyncio from "@effect-asyncio/core"
 *
 * const program = asyncio.TaskGroup.run((tg) =>
 *   Effect.gen(function* () {
 *     yield* tg.createTask(Effect.fail(new asyncio.ValueError({ message: "bad value" })))
 *     yield* tg.createTask(Effect.fail(new asyncio.TypeError({ message: "bad type" })))
 *   })
 * ).pipe(
 *   asyncio.exceptStar("ValueError", (eg) => Effect.sync(() => console.log("values:", eg.exceptions.length))), // values: 1
 *   asyncio.exceptStar("TypeError", (eg) => Effect.sync(() => console.log("types:", eg.exceptions.length))) // types: 1
 * )
 * asyncio.run(program)
 * ```
 * @category Exception groups
 * @since 0.1.0
 */
export const exceptStar: {
  <const K extends LeafTags<E> | Arr.NonEmptyReadonlyArray<LeafTags<E>>, E, A2, E2, R2>(
    condition: K,
    handler: (group: ExceptionGroup<NoInfer<Matched<LeafOrGroup<E>, TagOf<K>>>>) => Effect.Effect<A2, E2, R2>
  ): <A, R>(self: Effect.Effect<A, E, R>) => Effect.Effect<A | A2, Rest<E, TagOf<K>> | E2, R | R2>
  <E, B extends LeafErrors<E>, A2, E2, R2>(
    refinement: (error: NoInfer<LeafErrors<E>>) => error is B,
    handler: (group: ExceptionGroup<NoInfer<Matched<LeafOrGroup<E>, Tags<B>>>>) => Effect.Effect<A2, E2, R2>
  ): <A, R>(self: Effect.Effect<A, E, R>) => Effect.Effect<A | A2, Rest<E, Tags<B>> | E2, R | R2>
  <E, A2, E2, R2>(
    predicate: (error: NoInfer<LeafErrors<E>>) => boolean,
    handler: (group: ExceptionGroup<NoInfer<LeafOrGroup<E>>>) => Effect.Effect<A2, E2, R2>
  ): <A, R>(self: Effect.Effect<A, E, R>) => Effect.Effect<A | A2, E | E2, R | R2>
} =
  <E, A2, E2, R2>(
    condition: Condition<E>,
    handler: (group: ExceptionGroup<never>) => Effect.Effect<A2, E2, R2>
  ) =>
  <A, R>(self: Effect.Effect<A, E, R>): Effect.Effect<A | A2, unknown, R | R2> => {
    // checked before `self` runs: a bad condition or handler is a bug whether or not it fails
    try {
      validate.condition(condition, "exceptStar()")
      validate.func(handler, "exceptStar() handler")
      validate.body(self, "exceptStar()")
    } catch (error) {
      return Effect.die(error)
    }
    const predicate = toPredicate(condition)
    return Effect.catchCause(self, (cause) => {
      // the exception being handled is the cause's first failure; what follows it (an earlier
      // handler's own failure, raised beside the rest) passes untouched, as Python's later
      // `except*` clauses never see what an earlier clause raised
      const index = cause.reasons.findIndex((reason) => !Cause.isInterruptReason(reason))
      const first = cause.reasons[index]
      if (first === undefined || !Cause.isFailReason(first)) return Effect.failCause(cause)
      const error: unknown = first.error
      const group = validate.isInstance(error, ExceptionGroup)
        ? error
        : ExceptionGroup.make<unknown>("", [error])
      const [matched, rest] = splitGroup(group, predicate)
      if (matched === undefined) return Effect.failCause(cause)
      const others = cause.reasons.filter((reason, i) => i > index && !Cause.isInterruptReason(reason))
      // what is left to raise once the handler is done: the rest first, then the others
      const left = Cause.fromReasons([...(rest === undefined ? [] : restCause(rest).reasons), ...others])
      // a handler that returns a non-effect raised TypeError, as Python's would
      const handled = validate.returned(handler(matched as ExceptionGroup<never>), "exceptStar() handler")
      if (left.reasons.length === 0) return handled
      return Effect.matchCauseEffect(handled, {
        onSuccess: () => Effect.failCause(left),
        // Python raises the handler's exception together with the rest
        onFailure: (handlerCause) => Effect.failCause(Cause.combine(left, handlerCause))
      })
    })
  }

/**
 * The rest of a group, re-raised: a typed failure while it holds typed errors; once only
 * defects are left it is a defect itself, so the error type can drop it.
 */
const restCause = (rest: ExceptionGroup<unknown>): Cause.Cause<unknown> =>
  hasTypedErrors(rest) ? Cause.fail(rest) : Cause.die(rest)

const hasTypedErrors = (group: ExceptionGroup<unknown>): boolean =>
  group.exceptions.some((error) => !validate.isInstance(error, ExceptionGroup) || hasTypedErrors(error))

/** The handler sees a group: a plain error becomes a group of one. */
type LeafOrGroup<E> = E extends ExceptionGroup<infer X> ? X : E
