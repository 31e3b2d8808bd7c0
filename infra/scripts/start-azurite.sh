#!/usr/bin/env bash
# Starts Azurite on 127.0.0.1 (blob 10000, queue 10001, table 10002) with a throw-away data folder,
# waits until all three endpoints answer, and prints its PID on stdout. Stop it with: infra/scripts/stop-azurite.sh <pid>.
# Usage: infra/scripts/start-azurite.sh [data-dir]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
"$root/infra/scripts/install-azurite.sh"
data="${1:-$(mktemp -d "${TMPDIR:-/tmp}/azurite.XXXXXX")}"
mkdir -p "$data"
log="$data/azurite.log"

for port in 10000 10001 10002; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "start-azurite: port $port on 127.0.0.1 is already in use (another Azurite?). Stop it first." >&2
    exit 1
  fi
done

"$root/.tools/azurite/node_modules/.bin/azurite" \
  --silent --skipApiVersionCheck --loose \
  --blobHost 127.0.0.1 --queueHost 127.0.0.1 --tableHost 127.0.0.1 \
  --location "$data" --debug "$log.debug" >"$log" 2>&1 &
pid=$!

for _ in $(seq 1 300); do
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "start-azurite: Azurite exited early; its log:" >&2
    cat "$log" >&2
    exit 1
  fi
  ready=1
  for port in 10000 10001 10002; do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || ready=0
  done
  if [[ $ready == 1 ]]; then
    echo "start-azurite: Azurite is up (pid $pid, data $data)" >&2
    echo "$pid"
    exit 0
  fi
  sleep 0.1
done
echo "start-azurite: Azurite did not answer within 30 s" >&2
kill "$pid" 2>/dev/null || true
exit 1
