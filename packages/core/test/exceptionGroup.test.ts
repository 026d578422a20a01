import { assert, describe, it } from "@effect/vitest"
import * as asyncio from "@effect-asyncio/core"
import { Cause, Effect, Exit } from "effect"
import { expectTypeOf } from "vitest"
import { runOk, runVirtual } from "./utils/virtual.js"

const value = (message: string) => new asyncio.ValueError({ message })
const type = (message: string) => new asyncio.TypeError({ message })

type VE = asyncio.ValueError
type TE = asyncio.TypeError

describe("ExceptionGroup", () => {
  it("counts its sub-exceptions in its message, as Python's str(eg)", () => {
    const one = asyncio.ExceptionGroup.make("msg", [value("a")])
    const two = asyncio.ExceptionGroup.make("msg", [value("a")], [new Error("boom")])
    assert.strictEqual(one.message, "msg (1 sub-exception)")
    assert.strictEqual(two.message, "msg (2 sub-exceptions)")
    assert.strictEqual(two.groupMessage, "msg")
    assert.strictEqual(two._tag, "ExceptionGroup")
    assert.strictEqual(two.exceptions.length, 1)
    assert.strictEqual(two.defects.length, 1)
  })

  it("an empty group is a ValueError, as in Python", () => {
    assert.throws(() => asyncio.ExceptionGroup.make("msg", []), /non-empty sequence/)
  })

  it("fromCause keeps failures and defects in order and leaves interruptions out", () => {
    const cause = Cause.fromReasons<VE>([
      Cause.makeFailReason(value("a")),
      Cause.makeInterruptReason(),
      Cause.makeDieReason("defect"),
      Cause.makeFailReason(value("b"))
    ])
    const eg = asyncio.ExceptionGroup.fromCause(cause, "m")
    assert.isDefined(eg)
    assert.deepStrictEqual(
      eg?.reasons.map((reason) => reason._tag),
      ["Fail", "Die", "Fail"]
    )
    assert.deepStrictEqual(
      eg?.exceptions.map((e) => e.message),
      ["a", "b"]
    )
    assert.deepStrictEqual(eg?.defects, ["defect"])
    assert.isUndefined(asyncio.ExceptionGroup.fromCause(Cause.interrupt()))
  })

  it("split by tag, by tags and by predicate, with narrowed types", () => {
    const eg = asyncio.ExceptionGroup.make<VE | TE>("m", [value("a"), type("b"), value("c")], ["d"])
    const [values, rest] = eg.split("ValueError")
    expectTypeOf(values).toEqualTypeOf<asyncio.ExceptionGroup<VE> | undefined>()
    expectTypeOf(rest).toEqualTypeOf<asyncio.ExceptionGroup<TE> | undefined>()
    assert.deepStrictEqual(
      values?.exceptions.map((e) => e.message),
      ["a", "c"]
    )
    assert.deepStrictEqual(
      rest?.exceptions.map((e) => e.message),
      ["b"]
    )
    // defects are never matched
    assert.deepStrictEqual(rest?.defects, ["d"])
    assert.strictEqual(values?.groupMessage, "m")

    const [both, none] = eg.split(["ValueError", "TypeError"])
    assert.strictEqual(both?.exceptions.length, 3)
    assert.strictEqual(none?.exceptions.length, 0)
    assert.strictEqual(none?.defects.length, 1)

    const isA = (e: VE | TE): e is VE => e.message === "a"
    const [a] = eg.split(isA)
    expectTypeOf(a).toEqualTypeOf<asyncio.ExceptionGroup<VE> | undefined>()
    assert.strictEqual(a?.exceptions.length, 1)
    const [unmatched, all] = eg.split(() => false)
    assert.isUndefined(unmatched)
    assert.strictEqual(all?.reasons.length, 4)
  })

  it("split keeps the nesting of nested groups", () => {
    const inner = asyncio.ExceptionGroup.make<VE | TE>("inner", [value("a"), type("b")])
    const eg = asyncio.ExceptionGroup.make<VE | asyncio.ExceptionGroup<VE | TE>>("outer", [value("c"), inner])
    const [values, rest] = eg.split("ValueError")
    expectTypeOf(values).toEqualTypeOf<asyncio.ExceptionGroup<VE | asyncio.ExceptionGroup<VE>> | undefined>()
    expectTypeOf(rest).toEqualTypeOf<asyncio.ExceptionGroup<asyncio.ExceptionGroup<TE>> | undefined>()
    assert.strictEqual(values?.exceptions.length, 2)
    const nested = values?.exceptions[1]
    assert.instanceOf(nested, asyncio.ExceptionGroup)
    if (nested instanceof asyncio.ExceptionGroup) {
      assert.strictEqual(nested.groupMessage, "inner")
      assert.strictEqual(nested.exceptions.length, 1)
    }
    assert.strictEqual(rest?.exceptions.length, 1)
  })

  it("subgroup and derive", () => {
    const eg = asyncio.ExceptionGroup.make<VE | TE>("m", [value("a"), type("b")])
    const sub = eg.subgroup("TypeError")
    expectTypeOf(sub).toEqualTypeOf<asyncio.ExceptionGroup<TE> | undefined>()
    assert.strictEqual(sub?.exceptions[0]?.message, "b")
    assert.isUndefined(eg.subgroup(() => false))
    const derived = eg.derive([1, 2])
    expectTypeOf(derived).toEqualTypeOf<asyncio.ExceptionGroup<number>>()
    assert.strictEqual(derived.message, "m (2 sub-exceptions)")
  })

  it("toString looks like Python's traceback of a group", () => {
    const eg = asyncio.ExceptionGroup.make<VE | TE>("several", [value("bad"), type("worse")])
    assert.strictEqual(
      String(eg),
      [
        "ExceptionGroup: several (2 sub-exceptions)",
        "+-+---------------- 1 ----------------",
        "  | ValueError: bad",
        "  +---------------- 2 ----------------",
        "  | TypeError: worse",
        "  +------------------------------------"
      ].join("\n")
    )
    const nested = asyncio.ExceptionGroup.make("outer", [
      asyncio.ExceptionGroup.make("inner", [value("x")], [new Error("boom")])
    ])
    assert.strictEqual(
      String(nested),
      [
        "ExceptionGroup: outer (1 sub-exception)",
        "+-+---------------- 1 ----------------",
        "  | ExceptionGroup: inner (2 sub-exceptions)",
        "  +-+---------------- 1 ----------------",
        "    | ValueError: x",
        "    +---------------- 2 ----------------",
        "    | Error: boom [defect]",
        "    +------------------------------------"
      ].join("\n")
    )
  })

  it.effect("is yieldable: yield* fails with it", () =>
    Effect.gen(function* () {
      const eg = asyncio.ExceptionGroup.make("m", [value("a")])
      const error = yield* Effect.flip(
        Effect.gen(function* () {
          return yield* eg
        })
      )
      assert.strictEqual(error, eg)
      const caught = yield* Effect.catchTag(Effect.fail(eg), "ExceptionGroup", (e) =>
        Effect.succeed(e.exceptions.length)
      )
      assert.strictEqual(caught, 1)
    })
  )
})

describe("exceptStar", () => {
  const failing = Effect.fail(
    asyncio.ExceptionGroup.make<VE | TE | asyncio.RuntimeError>("m", [
      value("a"),
      type("b"),
      value("c"),
      new asyncio.RuntimeError({ message: "d" })
    ])
  )

  it.effect("the handler gets the matching subgroup, the rest is raised again", () =>
    Effect.gen(function* () {
      const seen: Array<string> = []
      const handled = failing.pipe(
        asyncio.exceptStar("ValueError", (eg) =>
          Effect.sync(() => {
            expectTypeOf(eg).toEqualTypeOf<asyncio.ExceptionGroup<VE>>()
            for (const e of eg.exceptions) seen.push(e.message)
          })
        )
      )
      expectTypeOf(handled).toEqualTypeOf<
        Effect.Effect<void, asyncio.ExceptionGroup<TE | asyncio.RuntimeError>>
      >()
      const rest = yield* Effect.flip(handled)
      assert.deepStrictEqual(seen, ["a", "c"])
      assert.deepStrictEqual(
        rest.exceptions.map((e) => e._tag),
        ["TypeError", "RuntimeError"]
      )
      assert.strictEqual(rest.groupMessage, "m")
    })
  )

  it.effect("several in a row act as several except* clauses; all handled means no error", () =>
    Effect.gen(function* () {
      const seen: Array<string> = []
      const handled = failing.pipe(
        asyncio.exceptStar("ValueError", (eg) =>
          Effect.sync(() => {
            seen.push(`V${eg.exceptions.length}`)
          })
        ),
        asyncio.exceptStar(["TypeError", "RuntimeError"], (eg) =>
          Effect.sync(() => {
            expectTypeOf(eg).toEqualTypeOf<asyncio.ExceptionGroup<TE | asyncio.RuntimeError>>()
            seen.push(`TR${eg.exceptions.length}`)
          })
        )
      )
      expectTypeOf(handled).toEqualTypeOf<Effect.Effect<void, never>>()
      yield* handled
      assert.deepStrictEqual(seen, ["V2", "TR2"])
    })
  )

  it.effect("a clause that matches nothing does not run", () =>
    Effect.gen(function* () {
      let ran = false
      const only = Effect.fail(asyncio.ExceptionGroup.make<TE>("m", [type("b")]))
      const error = yield* Effect.flip(
        only.pipe(
          asyncio.exceptStar(
            (e) => e.message === "zzz",
            () => Effect.sync(() => (ran = true))
          )
        )
      )
      assert.isFalse(ran)
      assert.strictEqual(error.exceptions.length, 1)
    })
  )

  it.effect("a plain error is wrapped in a group of one, as except* does", () =>
    Effect.gen(function* () {
      let count = -1
      const plain: Effect.Effect<string, VE | TE> = Effect.fail(value("x"))
      const handled = plain.pipe(
        asyncio.exceptStar("ValueError", (eg) => Effect.sync(() => (count = eg.exceptions.length)))
      )
      expectTypeOf(handled).toEqualTypeOf<Effect.Effect<string | number, TE>>()
      yield* handled
      assert.strictEqual(count, 1)
      const other: Effect.Effect<string, VE | TE> = Effect.fail(type("y"))
      const untouched = yield* Effect.flip(other.pipe(asyncio.exceptStar("ValueError", () => Effect.void)))
      assert.strictEqual(untouched._tag, "TypeError")
    })
  )

  it.effect("the handler's own failure is raised after the rest; a later clause sees only the rest", () =>
    Effect.gen(function* () {
      const exit = yield* Effect.exit(
        failing.pipe(asyncio.exceptStar("ValueError", () => Effect.fail(value("from handler"))))
      )
      assert.isTrue(Exit.isFailure(exit))
      if (Exit.isFailure(exit)) {
        const errors = exit.cause.reasons.filter(Cause.isFailReason).map((r) => r.error)
        assert.instanceOf(errors[0], asyncio.ExceptionGroup)
        assert.strictEqual((errors[1] as VE).message, "from handler")
      }
      // as Python: `except* ValueError: raise ValueError(...)` then `except* TypeError:` sees the
      // TypeError of the rest, and the handler's ValueError passes through both clauses
      const seen: Array<string> = []
      const chained = yield* Effect.exit(
        failing.pipe(
          asyncio.exceptStar("ValueError", () => Effect.fail(value("from handler"))),
          asyncio.exceptStar(["TypeError", "RuntimeError"], (eg) =>
            Effect.sync(() => {
              for (const e of eg.exceptions) seen.push(e._tag)
            })
          )
        )
      )
      assert.deepStrictEqual(seen, ["TypeError", "RuntimeError"])
      assert.isTrue(Exit.isFailure(chained))
      if (Exit.isFailure(chained)) {
        const errors = chained.cause.reasons.filter(Cause.isFailReason).map((r) => r.error)
        assert.strictEqual(errors.length, 1)
        assert.strictEqual((errors[0] as VE).message, "from handler")
      }
    })
  )

  it.effect("a rest of defects only is a defect (defects stay defects)", () =>
    Effect.gen(function* () {
      const eg = asyncio.ExceptionGroup.make<VE>("m", [value("a")], [new Error("boom")])
      const handled = Effect.fail(eg).pipe(asyncio.exceptStar("ValueError", () => Effect.void))
      expectTypeOf(handled).toEqualTypeOf<Effect.Effect<void, never>>()
      const exit = yield* Effect.exit(handled)
      assert.isTrue(Exit.isFailure(exit))
      if (Exit.isFailure(exit)) {
        const defect = exit.cause.reasons.find(Cause.isDieReason)?.defect
        assert.instanceOf(defect, asyncio.ExceptionGroup)
        if (defect instanceof asyncio.ExceptionGroup) assert.strictEqual(defect.defects.length, 1)
      }
    })
  )

  it.effect("a defect alone or an interruption is not for except*", () =>
    Effect.gen(function* () {
      let ran = false
      const died = yield* Effect.exit(
        Effect.die("boom").pipe(
          asyncio.exceptStar(
            () => true,
            () => Effect.sync(() => (ran = true))
          )
        )
      )
      assert.isTrue(Exit.isFailure(died))
      const interrupted = yield* Effect.exit(
        Effect.interrupt.pipe(
          asyncio.exceptStar(
            () => true,
            () => Effect.sync(() => (ran = true))
          )
        )
      )
      assert.isTrue(Exit.isFailure(interrupted) && Cause.hasInterruptsOnly(interrupted.cause))
      assert.isFalse(ran)
    })
  )

  it.effect("on a TaskGroup: the error type loses the handled tags", () =>
    Effect.gen(function* () {
      const group = asyncio.TaskGroup.run((tg) =>
        Effect.gen(function* () {
          yield* tg.createTask(Effect.fail(value("v")))
          yield* tg.createTask(Effect.fail(type("t")))
          return "body"
        })
      )
      // a body cut short by tg.cancel() has no result: `undefined`
      expectTypeOf(group).toEqualTypeOf<
        Effect.Effect<
          string | undefined,
          asyncio.ExceptionGroup<VE | TE | asyncio.RuntimeError> | asyncio.RuntimeError,
          asyncio.EventLoop
        >
      >()
      const handled = group.pipe(asyncio.exceptStar("ValueError", () => Effect.succeed("handled")))
      expectTypeOf(handled).toEqualTypeOf<
        Effect.Effect<
          string | undefined,
          asyncio.ExceptionGroup<TE | asyncio.RuntimeError> | asyncio.RuntimeError,
          asyncio.EventLoop
        >
      >()
      const { exit } = yield* runVirtual(handled)
      assert.isTrue(Exit.isFailure(exit))
      if (Exit.isFailure(exit)) {
        const rest = exit.cause.reasons.find(Cause.isFailReason)?.error
        assert.instanceOf(rest, asyncio.ExceptionGroup)
        if (rest instanceof asyncio.ExceptionGroup) {
          assert.deepStrictEqual(
            rest.exceptions.map((e: { _tag: string }) => e._tag),
            ["TypeError"]
          )
        }
      }
    })
  )
})

describe("the tutorial's TaskGroup example", () => {
  it.effect("four items, item 3 fails, except* ValueError prints the count and each message", () =>
    Effect.gen(function* () {
      const lines: Array<string> = []
      const print = (line: string) => Effect.sync(() => lines.push(line))

      // --- the seed's program, line for line ---
      const processItem = (item: number) =>
        Effect.gen(function* () {
          yield* asyncio.sleep(1)
          if (item === 3) return yield* new asyncio.ValueError({ message: `Item ${item} failed` })
          return item * 2
        })
      const main = asyncio.TaskGroup.run((tg) =>
        Effect.forEach([1, 2, 3, 4], (i) => tg.createTask(processItem(i)))
      ).pipe(
        Effect.andThen(print("All tasks completed")),
        asyncio.exceptStar("ValueError", (eg) =>
          Effect.gen(function* () {
            yield* print(`Caught ${eg.exceptions.length} exceptions`)
            for (const exc of eg.exceptions) yield* print(`  - ${exc.message}`)
          })
        )
      )
      // --- end ---

      const { elapsed } = yield* runOk(main)
      assert.deepStrictEqual(lines, ["Caught 1 exceptions", "  - Item 3 failed"])
      assert.strictEqual(elapsed, 1)
    })
  )
})
