import { writeHeapSnapshot } from "node:v8"
import { PROGRAMS } from "./scenarios.js"

const [contender, program, nArg, out] = process.argv.slice(2)
const run = (PROGRAMS as any)[program!][contender!]
await run(2000, () => {})
;(globalThis as any).gc()
writeHeapSnapshot(out + ".base.heapsnapshot")
let done = false
await run(Number(nArg), () => {
  if (!done) {
    done = true
    ;(globalThis as any).gc()
    writeHeapSnapshot(out + ".heapsnapshot")
  }
})
process.exit(0)
