#!/usr/bin/env bash
# Debian's Chromium, for the live page's browser test (packages/core/test/monitorPage.test.ts,
# driven by playwright-core with this executable: nothing downloads a browser). Installs it with
# apt-get when it is missing (as root, or with sudo); prints the executable's path. CI runs it.
set -euo pipefail

if command -v chromium >/dev/null 2>&1; then
  command -v chromium
  exit 0
fi
sudo=""
if [ "$(id -u)" != "0" ]; then sudo="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq >/dev/null
$sudo apt-get install -y -qq --no-install-recommends chromium >/dev/null
command -v chromium
