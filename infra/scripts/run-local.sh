#!/usr/bin/env bash
# The one-command local run: from a fresh clone with only the .NET SDK and Node.js to a generated PNG, or (--serve) to
# an API that stays up on 127.0.0.1:7071 until Ctrl-C.
#   - checks the model folder, then starts a private Azurite (infra/scripts/azurite-private.mjs: free ports, a data
#     folder removed at the end; installed from npm into .tools/ when missing);
#   - uses the shipped model models/tiny-shapes (64x64 logo-like scenes), or --model DIR (for example models/sd15-onnx
#     from infra/scripts/download-model.sh, with --size 512);
#   - starts both function apps with 'func start' when Azure Functions Core Tools are installed, otherwise runs the same
#     function classes in-process (and says so);
#   - without --serve: submits a sample prompt over HTTP, polls with progress, downloads the PNG, prints where it landed;
#     with --serve: prints the base URL, a key and a curl line, serves the playground, and waits for Ctrl-C or SIGTERM;
#   - stops everything it started.
# Usage: infra/scripts/run-local.sh --help
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
artifacts="${DFX_ARTIFACTS:-$root/artifacts}"
# Build, then exec the program itself (not 'dotnet run'), so that this script's process is the run: a SIGTERM or SIGINT
# sent to it reaches the run, which stops the apps and Azurite in order.
echo "run-local: building src/DiffusionFunctions.LocalRunner (Release; a few minutes on a fresh clone) ..." >&2
log="$(mktemp "${TMPDIR:-/tmp}/dfx-run-local-build.XXXXXX")"
trap 'rm -f "$log"' EXIT
if ! dotnet build src/DiffusionFunctions.LocalRunner -c Release -nologo -p:ArtifactsPath="$artifacts" >"$log" 2>&1; then
  cat "$log" >&2
  rm -f "$log"
  echo "run-local: the build failed (its output is above)" >&2
  exit 1
fi
rm -f "$log"
trap - EXIT
exec dotnet "$artifacts/bin/DiffusionFunctions.LocalRunner/release/DiffusionFunctions.LocalRunner.dll" "$@"
