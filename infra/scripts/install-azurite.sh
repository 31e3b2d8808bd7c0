#!/usr/bin/env bash
# Installs Azurite (the Azure Storage emulator) from npm into the git-ignored .tools/azurite folder, once.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
version="${AZURITE_VERSION:-3.37.0}"
prefix="$root/.tools/azurite"
bin="$prefix/node_modules/.bin/azurite"
mkdir -p "$prefix"
# Test processes run in parallel and each may call this on a fresh clone: one installs, the others wait for it.
exec 9>"$prefix/.install.lock"
flock 9
if [[ -x "$bin" ]] && "$bin" --version 2>/dev/null | grep -qx "$version"; then
  exit 0
fi
command -v npm >/dev/null || { echo "install-azurite: npm is required (install Node.js 20+)" >&2; exit 1; }
echo "install-azurite: installing azurite@$version into $prefix" >&2
npm install --prefix "$prefix" --no-audit --no-fund --loglevel=error "azurite@$version" >&2
"$bin" --version >/dev/null
