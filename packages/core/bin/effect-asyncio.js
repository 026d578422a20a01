#!/usr/bin/env node
// The `effect-asyncio` command: ps, pstree, monitor (src/cli.ts). Imported by the package's own
// name, so that Node's export conditions choose: dist/ when installed, src/ under the
// `@effect-asyncio/source` condition (the repository's tests).
import "@effect-asyncio/core/cli"
