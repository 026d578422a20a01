#!/usr/bin/env node
// The `effect-asyncio` command: ps, pstree, monitor (src/cli.ts). Imported by the package's own
// name, so that Node's export conditions choose: dist/ when installed, src/ under the
// `@effect-asyncio/source` condition (the repository's tests).
try {
  await import("@effect-asyncio/core/cli")
} catch (error) {
  // @effect/platform-node is an optional peer dependency: say so rather than show a stack
  if (error?.code === "ERR_MODULE_NOT_FOUND" && String(error.message).includes("@effect/platform-node")) {
    process.stderr.write(
      "effect-asyncio: the CLI needs @effect/platform-node: npm install @effect/platform-node\n"
    )
    process.exit(1)
  }
  throw error
}
