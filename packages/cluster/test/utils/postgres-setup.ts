/**
 * vitest's global setup (vitest.config.ts): one PostgreSQL for the whole run, shared by the
 * cluster's fleet tests and the cluster example's test, each in a database of its own. It is
 * started unless it runs already (.ci/run starts it first), and stopped at the end only if it
 * was started here, so two test files never race to start or stop it.
 */
import { postgres, postgresRunning } from "./fleet.js"

export default function setup(): () => void {
  const startedHere = !postgresRunning()
  if (startedHere) postgres("start")
  return () => {
    if (startedHere) postgres("stop")
  }
}
