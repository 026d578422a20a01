import { defineConfig } from "vitest/config"
import projects from "./vitest.workspace.ts"

export default defineConfig({
  test: {
    projects,
    // PostgreSQL for the cluster's tests and example (scripts/postgres.sh), once per run
    globalSetup: ["./packages/cluster/test/utils/postgres-setup.ts"],
    reporters: ["default"]
  }
})
