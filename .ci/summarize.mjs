// Reads vitest's JSON report and prints the closing line CI is judged by.
// Fails when the report is missing, when any test failed, or when a test was skipped or left
// as a todo (a skipped test must not hide in a green run).
import { readFileSync } from "node:fs"

const file = process.argv[2]
let report
try {
  report = JSON.parse(readFileSync(file, "utf8"))
} catch (error) {
  console.error(`no vitest report at ${file}: ${error.message}`)
  console.log("tests: 0 passed, 1 failed")
  process.exit(1)
}
const passed = report.numPassedTests
const failed = report.numFailedTests + (report.numRuntimeErrorTests ?? 0)
const skipped = report.numPendingTests + report.numTodoTests
const failedSuites = report.numFailedTestSuites
if (skipped > 0) console.error(`${skipped} skipped or todo tests: CI does not accept them`)
if (failedSuites > 0) console.error(`${failedSuites} test files failed to run`)
console.log(`tests: ${passed} passed, ${failed + failedSuites} failed`)
process.exit(failed + failedSuites + skipped > 0 || passed === 0 ? 1 : 0)
