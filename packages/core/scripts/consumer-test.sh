#!/usr/bin/env bash
# The package as an app gets it (`.ci/run`, or by hand: bash packages/core/scripts/consumer-test.sh).
#
# Packs @effect-asyncio/core (its `prepack` builds dist), checks what the tarball holds, installs it
# with npm into a fresh project in a temporary directory outside the workspace, with effect from the
# registry at the lowest and at the newest version the peer range admits (EFFECT_VERSIONS="4.x.y ..."
# to choose), and for each: type-checks scripts/consumer/main.ts under NodeNext, under bundler
# resolution and with every .d.ts checked (all with strict flags), runs it with every Node on PATH
# that `engines` admits, checks that `npm ls effect` shows one copy of effect, and that
# @effect/language-service (which the README recommends) flags a task created without `yield*`.
# Needs Node, npm and the registry; installs the workspace (pnpm through npx) if it is not installed.
set -euo pipefail

core="$(cd "$(dirname "$0")/.." && pwd)"
root="$(cd "$core/../.." && pwd)"
program="$core/scripts/consumer"

fail() {
  echo "consumer: FAIL: $*" >&2
  exit 1
}
field() { node -p "const [file, ...path] = process.argv.slice(1); path.reduce((o, k) => o[k], require(file))" "$@"; }

if [ ! -x "$root/node_modules/.bin/tsx" ]; then
  (cd "$root" && npx -y pnpm@12.21.0 install --frozen-lockfile)
fi

range="$(field "$core/package.json" peerDependencies effect)"
if [ -z "${EFFECT_VERSIONS:-}" ]; then
  # every published version in the range, oldest first: test the two ends
  EFFECT_VERSIONS="$(npm view "effect@$range" version --json | node -e '
    const parsed = JSON.parse(require("node:fs").readFileSync(0, "utf8"))
    const versions = (Array.isArray(parsed) ? parsed : [parsed]).sort((a, b) => {
      const [x, y] = [a, b].map((v) => v.split(".").map(Number))
      return x[0] - y[0] || x[1] - y[1] || x[2] - y[2]
    })
    console.log([...new Set([versions[0], versions[versions.length - 1]])].join(" "))')"
fi
typescript="$(field "$root/package.json" devDependencies typescript)"
types_node="$(field "$root/package.json" devDependencies @types/node)"
language_service="$(field "$root/package.json" devDependencies @effect/language-service)"
min_node="$(field "$core/package.json" engines node | sed -E 's/^>=([0-9]+).*/\1/')"
echo "consumer: effect peer range $range, testing effect $EFFECT_VERSIONS (typescript $typescript)"

work="$(mktemp -d "${TMPDIR:-/tmp}/effect-asyncio-consumer.XXXXXX")"
trap 'rm -rf "$work"' EXIT

# --- the tarball -------------------------------------------------------------------------------
(cd "$core" && npm pack --pack-destination "$work" >"$work/pack.log" 2>&1) || {
  cat "$work/pack.log" >&2
  fail "npm pack"
}
tarball="$(ls "$work"/*.tgz)"
tar -tzf "$tarball" | sed 's#^package/##' | sort >"$work/files"
for file in package.json README.md LICENSE CHANGELOG.md dist/index.js dist/index.d.ts dist/testing.js \
  dist/testing.d.ts dist/internal/workerHost.js dist/monitor.js dist/cli.js bin/effect-asyncio.js src/index.ts; do
  grep -qx "$file" "$work/files" || fail "the tarball has no $file"
done
if grep -E '^(test|bench|difftest|scripts)/' "$work/files" >/dev/null; then
  fail "the tarball ships tests or scripts: $(grep -E '^(test|bench|difftest|scripts)/' "$work/files" | head -3)"
fi
# stripInternal leaves out every declaration tagged @internal, its comment with it
if tar -xzOf "$tarball" --wildcards 'package/dist/*.d.ts' | grep -q '@internal'; then
  fail "a .d.ts of dist/ still carries an @internal declaration"
fi
# scripts/build.ts imports effect's modules, not its barrel, which esbuild does not tree-shake
if tar -xzOf "$tarball" --wildcards 'package/dist/*.js' | grep -q '^import .* from "effect";'; then
  fail "a .js of dist/ imports effect's barrel"
fi
echo "consumer: $(basename "$tarball"): $(wc -l <"$work/files") files, README, LICENSE, CHANGELOG, dist"

# --- the app -----------------------------------------------------------------------------------
app="$work/app"
mkdir "$app"
cp -R "$program"/. "$app/"
printf '{ "name": "consumer", "private": true, "type": "module" }\n' >"$app/package.json"
npm() { command npm --prefix "$app" --no-audit --no-fund --loglevel=error "$@"; }

# each Node on PATH (the workspace's Node 24 in CI, the system's) that `engines` admits
nodes=()
seen=""
while IFS= read -r candidate; do
  version="$("$candidate" --version)"
  case " $seen " in *" $version "*) continue ;; esac
  seen="$seen $version"
  major="${version#v}"
  major="${major%%.*}"
  [ "$major" -ge "$min_node" ] && nodes+=("$candidate")
done < <(type -ap node)

first=1
for effect in $EFFECT_VERSIONS; do
  if [ "$first" = 1 ]; then
    npm install --save-exact "$tarball" "effect@$effect" "typescript@$typescript" "@types/node@$types_node" \
      "@effect/language-service@$language_service" >/dev/null
    first=0
  else
    npm install --save-exact "effect@$effect" >/dev/null
  fi
  installed="$(cd "$app" && node -p 'require("effect/package.json").version')"
  [ "$installed" = "$effect" ] || fail "effect $installed installed, $effect asked"
  # one copy of effect: the app's, which the library shares (npm ls exits non-zero on a peer conflict)
  copies="$(npm ls effect --all --parseable | sort -u)"
  [ "$(printf '%s\n' "$copies" | grep -c .)" = 1 ] || fail "effect $effect: several copies of effect: $copies"
  for config in tsconfig.json tsconfig.bundler.json tsconfig.libcheck.json; do
    (cd "$app" && node_modules/.bin/tsc -p "$config") || fail "effect $effect: tsc -p $config"
  done
  flagged="$(cd "$app/lsp" && ../node_modules/.bin/effect-language-service diagnostics --project "$app/lsp/tsconfig.json" \
    --format json 2>/dev/null | node -e '
      const { diagnostics } = JSON.parse(require("node:fs").readFileSync(0, "utf8"))
      const line = require("node:fs").readFileSync("floating.ts", "utf8").split("\n")
        .findIndex((text) => text.includes("flagged: floatingEffect")) + 1
      console.log(diagnostics.some((d) => d.name === "floatingEffect" && d.line === line) ? "yes" : "no")')" || true
  [ "$flagged" = yes ] || fail "effect $effect: @effect/language-service did not flag the floating createTask"
  ran=""
  for node in "${nodes[@]}"; do
    (cd "$app" && "$node" out/main.js >"$work/run.log" 2>&1) || {
      cat "$work/run.log" >&2
      fail "effect $effect: the program failed on node $("$node" --version)"
    }
    ran="$ran $("$node" --version)"
  done
  # the bin: without the optional peer @effect/platform-node it says what to install
  cli="$(cd "$app" && node_modules/.bin/effect-asyncio ps 1 2>&1)" && fail "effect $effect: the CLI ran without @effect/platform-node"
  case "$cli" in
    *"needs @effect/platform-node"*) ;;
    *) fail "effect $effect: the CLI without @effect/platform-node printed: $cli" ;;
  esac
  echo "consumer: effect $effect: tsc NodeNext, bundler and every .d.ts ok; ran on node${ran};" \
    "one copy of effect; floatingEffect flagged; the bin asks for @effect/platform-node"
done
# --- threads and processes: with @effect/platform-node, the optional peer ----------------------
# Installed into the same app (effect at the newest version tested, which its peer range ^4.1.0
# needs): the built worker program runs threads.ts's functions in worker threads and in a child
# process, on each Node that platform-node admits (22.19 or newer).
platform_node="$(field "$core/package.json" devDependencies @effect/platform-node)"
platform_range="$(field "$core/package.json" peerDependencies @effect/platform-node)"
effect_now="$(cd "$app" && node -p 'require("effect/package.json").version')"
if [ "$(printf '%s\n' "$effect_now" | awk -F. '{ print ($1 > 4 || ($1 == 4 && $2 >= 1)) ? 1 : 0 }')" = 1 ]; then
  npm install --save-exact "@effect/platform-node@$platform_node" >/dev/null
  copies="$(npm ls effect --all --parseable | sort -u)"
  [ "$(printf '%s\n' "$copies" | grep -c .)" = 1 ] || fail "with @effect/platform-node: several copies of effect: $copies"
  ran=""
  for node in "${nodes[@]}"; do
    version="$("$node" --version)"
    if [ "$(printf '%s\n' "${version#v}" | awk -F. '{ print ($1 > 22 || ($1 == 22 && $2 >= 19)) ? 1 : 0 }')" != 1 ]; then
      continue
    fi
    (cd "$app" && "$node" out/threads.js >"$work/threads.log" 2>&1) || {
      cat "$work/threads.log" >&2
      fail "effect $effect_now, @effect/platform-node $platform_node: threads.ts failed on node $version"
    }
    ran="$ran $version"
  done
  [ -n "$ran" ] || fail "no Node on PATH runs @effect/platform-node (22.19 or newer)"
  echo "consumer: @effect/platform-node $platform_node (peer range $platform_range) with effect $effect_now:" \
    "threads and a process ran on node${ran}; one copy of effect"
else
  echo "consumer: effect $effect_now is below @effect/platform-node's range: threads not run"
fi
echo "consumer: ok"
