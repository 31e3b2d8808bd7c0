#!/usr/bin/env bash
# Stops the Azurite that infra/scripts/start-azurite.sh started (its PID is what that script printed): SIGTERM, then,
# if the process is still there after 5 s (Azurite's shutdown can close the ports and hang), SIGKILL.
# Usage: infra/scripts/stop-azurite.sh <pid>
set -euo pipefail
pid="${1:?usage: stop-azurite.sh <pid printed by start-azurite.sh>}"
[[ "$pid" =~ ^[0-9]+$ ]] || { echo "stop-azurite: '$pid' is not a process id" >&2; exit 2; }
if ! kill -0 "$pid" 2>/dev/null; then
  echo "stop-azurite: no process $pid (already stopped)" >&2
  exit 0
fi

# Not our child, so `wait` cannot join it: poll for its exit.
kill "$pid" 2>/dev/null || true
for _ in $(seq 1 50); do
  kill -0 "$pid" 2>/dev/null || { echo "stop-azurite: stopped Azurite (pid $pid)" >&2; exit 0; }
  sleep 0.1
done
kill -9 "$pid" 2>/dev/null || true
echo "stop-azurite: Azurite (pid $pid) ignored SIGTERM for 5 s; killed" >&2
