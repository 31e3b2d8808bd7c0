#!/usr/bin/env bash
# CI check for the README's run command: runs infra/scripts/run-local.sh into a throw-away folder and checks that a
# PNG landed there (PNG signature). Needs Azurite (started by run-local.sh, or a running one). Exit 0 on success.
# Usage: infra/scripts/check-run-local.sh [extra run-local options]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="$(mktemp -d "${TMPDIR:-/tmp}/dfx-run-local.XXXXXX")"
trap 'rm -rf "$out"' EXIT
log="$out/run-local.log"
"$root/infra/scripts/run-local.sh" --out "$out" "$@" 2>&1 | tee "$log"
png="$(sed -n 's/^local-run: PNG written to //p' "$log" | tail -n 1)"
if [[ -z "$png" || ! -f "$png" ]]; then
  echo "check-run-local: no PNG was reported or written" >&2
  exit 1
fi
if [[ "$(head -c 8 "$png" | od -An -tx1 | tr -d ' \n')" != "89504e470d0a1a0a" ]]; then
  echo "check-run-local: $png is not a PNG" >&2
  exit 1
fi
echo "check-run-local: OK, $(stat -c %s "$png") byte PNG at $png"
