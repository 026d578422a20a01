/**
 * What `npm pack` / `pnpm pack` / `publish` run first (`prepack`) and last (`postpack --clean`).
 *
 * prepack runs after `scripts/build.ts` (which builds `dist/` from scratch, so that a clean clone
 * packs and no output of a deleted module ships): it checks that the package's LICENSE is the
 * repository's, and copies the repository's README.md into the package with its relative links
 * made absolute (npm shows the package's README; `packages/examples/...` means nothing there).
 * postpack (`--clean`) removes that copy (it is gitignored: the repository's is the one to edit).
 */
import { readFileSync, rmSync, writeFileSync } from "node:fs"
import { dirname, join, resolve } from "node:path"
import { fileURLToPath } from "node:url"

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), "..")
const rootDir = resolve(packageDir, "../..")
const readmeCopy = join(packageDir, "README.md")

if (process.argv.includes("--clean")) {
  rmSync(readmeCopy, { force: true })
  process.exit(0)
}

if (readFileSync(join(packageDir, "LICENSE"), "utf8") !== readFileSync(join(rootDir, "LICENSE"), "utf8")) {
  throw new Error("packages/core/LICENSE differs from the repository's LICENSE: copy it over")
}

const packageJson: { repository: { url: string } } = JSON.parse(
  readFileSync(join(packageDir, "package.json"), "utf8")
)
const repository = packageJson.repository.url.replace(/^git\+/, "").replace(/\.git$/, "")
// `[text](path)` and `![alt](path)` with a path inside the repository (no scheme, no anchor)
const readme = readFileSync(join(rootDir, "README.md"), "utf8").replace(
  /(!?)\[([^\]]*)\]\((?![a-z]+:|#)([^)\s]+)\)/g,
  (_match, image: string, text: string, path: string) =>
    `${image}[${text}](${repository}/${image === "" ? "blob" : "raw"}/main/${path})`
)
writeFileSync(readmeCopy, readme)
