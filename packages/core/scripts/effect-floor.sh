#!/usr/bin/env bash
# Which effect releases the core really supports: for each version given, a clone of this
# repository's HEAD in a temporary directory with effect overridden to that version, the core's
# type-check and its test suite. The peer range's lower bound (packages/core/package.json) is the
# lowest version that passes; CI tests only the packed package at both ends of the range
# (consumer-test.sh), so run this when the range moves:
#
#   bash packages/core/scripts/effect-floor.sh 4.0.4 4.0.5
#
# Last run (2026-12-01): 4.0.0-4.0.4 type-check but fail 8-9 tests (virtual-time shutdown
# interleavings, loop.stop() in a callback, KeyboardInterrupt from a callback, SIGINT); 4.0.5,
# 4.0.6 and 4.1.0 pass.
set -uo pipefail

root="$(cd "$(dirname "$0")/../../.." && pwd)"
[ "$#" -gt 0 ] || {
  echo "usage: $0 VERSION..." >&2
  exit 2
}
work="$(mktemp -d "${TMPDIR:-/tmp}/effect-floor.XXXXXX")"
trap 'rm -rf "$work"' EXIT

status=0
for version in "$@"; do
  clone="$work/$version"
  git clone -q "$root" "$clone"
  printf '\noverrides:\n  effect: %s\n' "$version" >>"$clone/pnpm-workspace.yaml"
  if ! (cd "$clone" && npx -y pnpm@12.21.0 install --no-frozen-lockfile >"$work/install.log" 2>&1); then
    echo "effect $version: install failed" && tail -5 "$work/install.log"
    status=1
    continue
  fi
  typecheck="pass"
  (cd "$clone/packages/core" && ../../node_modules/.bin/tsc -p tsconfig.json --noEmit >"$work/tsc.log" 2>&1) ||
    typecheck="FAIL ($(grep -c 'error TS' "$work/tsc.log") errors)"
  tests="pass"
  (cd "$clone" && node_modules/.bin/vitest run --project core >"$work/test.log" 2>&1) ||
    tests="FAIL ($(sed 's/\x1b\[[0-9;]*m//g' "$work/test.log" | grep -E '^ +Tests ' | sed 's/^ *//'))"
  echo "effect $version: typecheck $typecheck, tests $tests"
  [ "$typecheck$tests" = passpass ] || status=1
  rm -rf "$clone"
done
exit "$status"
