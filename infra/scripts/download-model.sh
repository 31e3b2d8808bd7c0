#!/usr/bin/env bash
# Downloads a Stable Diffusion 1.5 ONNX export (diffusers / Optimum layout) into models/sd15-onnx, for users with
# internet access. Resumes interrupted downloads (curl -C -) and checks every file against a SHA-256 before the folder is
# moved into place, so a half-downloaded or corrupted model is never used.
#
# Usage: infra/scripts/download-model.sh [manifest] [target folder]
#   manifest: one line per file, "<sha256>  <relative path>  <url>" (default: models/sd15-onnx.manifest, shipped).
#   target:   where the model lands (default: models/sd15-onnx).
#
# Checksums. Where the publisher lists a file's SHA-256 (on Hugging Face, the "LFS" SHA-256 on each file's page), write
# it in the manifest. Where none is published, write "-": the first download then records the file's SHA-256 in
# <manifest>.sha256 (trust on first use; printed, and worth committing), and every later download of that file is
# checked against the recorded value, so a changed or corrupted file upstream is refused from then on.
# Environment: HF_TOKEN (optional) is sent as a bearer token for gated repositories.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
manifest="${1:-$root/models/sd15-onnx.manifest}"
target="${2:-$root/models/sd15-onnx}"
partial="$target.partial"
recorded="$manifest.sha256"

if [[ ! -f "$manifest" ]]; then
  echo "download-model: no manifest at $manifest (lines: '<sha256 or ->  <relative path>  <url>')." >&2
  exit 2
fi
if [[ -f "$target/model_index.json" ]]; then
  echo "download-model: $target already holds a model; remove it to download again." >&2
  exit 0
fi

mkdir -p "$partial"
touch "$recorded"
auth=()
if [[ -n "${HF_TOKEN:-}" ]]; then auth=(-H "Authorization: Bearer $HF_TOKEN"); fi

while read -r sha path url; do
  [[ -z "${sha:-}" || "$sha" == \#* ]] && continue
  source="manifest"
  if [[ "$sha" == "-" ]]; then
    sha="$(awk -v p="$path" '$2 == p { print $1 }' "$recorded")"
    source="recorded on first download ($recorded)"
  fi
  file="$partial/$path"
  mkdir -p "$(dirname "$file")"
  if [[ -n "$sha" && -f "$file" ]] && echo "$sha  $file" | sha256sum --check --status; then
    echo "download-model: $path already complete"
    continue
  fi
  echo "download-model: $path"
  # -C - resumes from the bytes already on disk; --retry covers dropped connections.
  curl --fail --location --retry 5 --retry-delay 2 -C - "${auth[@]}" -o "$file" "$url"
  if [[ -z "$sha" ]]; then
    got="$(sha256sum "$file" | cut -d' ' -f1)"
    echo "$got  $path" >> "$recorded"
    echo "download-model: no published SHA-256 for $path; recorded $got in $recorded (verified on every later download)"
  elif ! echo "$sha  $file" | sha256sum --check --status; then
    echo "download-model: checksum mismatch for $path (expected $sha, $source); deleting it." >&2
    rm -f "$file"
    exit 1
  fi
done < "$manifest"

if [[ ! -f "$partial/model_index.json" ]]; then
  echo "download-model: the manifest has no model_index.json; not a diffusers model folder." >&2
  exit 1
fi
mv "$partial" "$target"
echo "download-model: model ready at $target (the local run and the worker pick it up: --model, DiffusionFunctions__Worker__ModelPath)"
