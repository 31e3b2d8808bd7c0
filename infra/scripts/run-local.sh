#!/usr/bin/env bash
# The one-command local run: from a fresh clone with only the .NET SDK and Node.js to a generated PNG.
#   - starts Azurite with infra/scripts/start-azurite.sh (installing it from npm into .tools/ when missing), or uses a
#     running one on 127.0.0.1:10000;
#   - uses the shipped model models/tiny-shapes (64x64 logo-like scenes), or --model DIR (for example models/sd15-onnx
#     from infra/scripts/download-model.sh, with --size 512);
#   - starts both function apps with 'func start' when Azure Functions Core Tools are installed, otherwise runs the same
#     function classes in-process (and says so);
#   - submits a sample prompt over HTTP, polls with progress, downloads the PNG and prints where it landed;
#   - stops everything it started.
# Usage: infra/scripts/run-local.sh [--prompt TEXT] [--steps N] [--size N] [--seed N] [--model DIR] [--out DIR] [--in-process]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
exec dotnet run --project src/DiffusionFunctions.LocalRunner -c Release -p:ArtifactsPath="${DFX_ARTIFACTS:-$root/artifacts}" -- "$@"
