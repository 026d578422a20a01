import * as asyncio from "@effect-asyncio/core"
import { Effect } from "effect"
import type { Log } from "../harness.js"

export const main = (log: Log) =>
  Effect.gen(function* () {
    const cond = new asyncio.Condition()
    const state = { n: 0 }

    const consumer = () =>
      cond.use(
        Effect.gen(function* () {
          const r = yield* cond.waitFor(() => state.n >= 3)
          log("predicate holds", r, state.n)
        })
      )

    const producer = () =>
      Effect.gen(function* () {
        for (let i = 0; i < 4; i++) {
          yield* asyncio.sleep(1)
          yield* cond.use(
            Effect.gen(function* () {
              state.n += 1
              log("n =", state.n)
              yield* cond.notifyAll()
            })
          )
        }
      })

    yield* asyncio.gather(consumer(), producer())
  })
