import { defineProject } from "vitest/config"

// Workspace packages resolve to their TypeScript sources (the "@effect-asyncio/source" export
// condition, a name of this project's own so that no app sets it by accident), so tests and
// examples need no build step; the published package uses dist/.
const source = "@effect-asyncio/source"
const resolve = { conditions: [source, "node", "import", "module", "default"] }

/**
 * The test projects, one per package. vitest 5 no longer reads this file by itself:
 * `vitest.config.ts` imports it into `test.projects`.
 */
export default [
  defineProject({
    resolve,
    ssr: { resolve: { conditions: resolve.conditions, externalConditions: [source] } },
    test: {
      name: "core",
      root: "./packages/core",
      include: ["test/**/*.test.ts"]
    }
  }),
  defineProject({
    resolve,
    ssr: { resolve: { conditions: resolve.conditions, externalConditions: [source] } },
    test: {
      name: "cluster",
      root: "./packages/cluster",
      include: ["test/**/*.test.ts"],
      // the fleet tests start processes and PostgreSQL: generous, but bounded
      testTimeout: 120_000,
      hookTimeout: 120_000
    }
  }),
  defineProject({
    resolve,
    ssr: { resolve: { conditions: resolve.conditions, externalConditions: [source] } },
    test: {
      name: "examples",
      root: "./packages/examples",
      include: ["test/**/*.test.ts"]
    }
  })
]
