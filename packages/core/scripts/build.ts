/**
 * `pnpm build`: compiles `src/` into `dist/` as `tsc -p tsconfig.build.json` does, with one change
 * to the JavaScript it emits: an import of effect's barrel becomes imports of effect's modules,
 *
 *     import { Effect, Exit } from "effect"
 *  →  import * as Effect from "effect/Effect"; import * as Exit from "effect/Exit"
 *
 * Why: esbuild does not tree-shake effect's barrel (`export * as Schema from "./Schema.js"`...): an
 * app bundle that uses only `Semaphore` weighed 375 KB minified through the barrel and weighs 88 KB
 * through the modules (`pnpm bundle-size`; Rollup and rolldown shake both forms alike). Effect's
 * own packages import its modules for that reason. The sources keep the barrel, as the examples
 * and the docs do; the `.d.ts` keep it too (types cost nothing in a bundle).
 *
 * `dist/` is emptied first, so no output of a deleted module survives. Exit code 1 on any
 * diagnostic, as tsc.
 */
import { rmSync } from "node:fs"
import { createRequire } from "node:module"
import { dirname, join, resolve } from "node:path"
import { fileURLToPath } from "node:url"
import ts from "typescript"

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), "..")
const require = createRequire(join(packageDir, "package.json"))

const config = ts.getParsedCommandLineOfConfigFile(join(packageDir, "tsconfig.build.json"), undefined, {
  ...ts.sys,
  onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
    throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n"))
  }
})
if (config === undefined) throw new Error("cannot read tsconfig.build.json")

/** The module of effect that exports `name` (its barrel re-exports each module as a namespace). */
const moduleOf = (name: string): string => {
  const specifier = `effect/${name}`
  try {
    require.resolve(specifier)
  } catch {
    throw new Error(`"${name}" imported from "effect" is not a module of effect (${specifier})`)
  }
  return specifier
}

/** After type elision: `import { A, B as C } from "effect"` → `import * as A from "effect/A"`... */
const deepImports: ts.TransformerFactory<ts.SourceFile> = (context) => (source) => {
  const { factory } = context
  const statements = source.statements.flatMap((statement): Array<ts.Statement> => {
    if (
      !ts.isImportDeclaration(statement) ||
      !ts.isStringLiteral(statement.moduleSpecifier) ||
      statement.moduleSpecifier.text !== "effect"
    )
      return [statement]
    const bindings = statement.importClause?.namedBindings
    if (
      statement.importClause?.name !== undefined ||
      bindings === undefined ||
      !ts.isNamedImports(bindings)
    ) {
      throw new Error(`${source.fileName}: only named imports of "effect" are rewritten`)
    }
    return bindings.elements.map((element) =>
      ts.setTextRange(
        factory.createImportDeclaration(
          undefined,
          factory.createImportClause(undefined, undefined, factory.createNamespaceImport(element.name)),
          factory.createStringLiteral(moduleOf((element.propertyName ?? element.name).text))
        ),
        statement
      )
    )
  })
  return factory.updateSourceFile(source, statements)
}

rmSync(join(packageDir, "dist"), { recursive: true, force: true })
const program = ts.createProgram({ rootNames: config.fileNames, options: config.options })
const emitted = program.emit(undefined, undefined, undefined, false, { after: [deepImports] })
const diagnostics = [...ts.getPreEmitDiagnostics(program), ...emitted.diagnostics]
if (diagnostics.length > 0) {
  const host: ts.FormatDiagnosticsHost = {
    getCanonicalFileName: (fileName) => fileName,
    getCurrentDirectory: () => packageDir,
    getNewLine: () => "\n"
  }
  console.error(ts.formatDiagnosticsWithColorAndContext(diagnostics, host))
  process.exitCode = 1
}
