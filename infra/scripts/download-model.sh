#!/usr/bin/env bash
# Downloads a Stable Diffusion 1.5 ONNX export (diffusers / Optimum layout) into models/sd15-onnx, for users with
# internet access. Resumes interrupted downloads (curl -C -) and checks every file against a SHA-256 list before the
# folder is moved into place, so a half-downloaded or corrupted model is never used.
#
# Usage: infra/scripts/download-model.sh [manifest]
#   manifest: a text file with one line per file: "<sha256>  <relative path>  <url>" (default: models/sd15-onnx.manifest).
#   Write the manifest from the model host's published checksums (for a Hugging Face repository, the "LFS" SHA-256 shown
#   on each file's page, with URLs of the form https://huggingface.co/<repo>/resolve/<revision>/<path>). Pin a revision.
# Environment: HF_TOKEN (optional) is sent as a bearer token for gated repositories.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
manifest="${1:-$root/models/sd15-onnx.manifest}"
target="$root/models/sd15-onnx"
partial="$root/models/downloads/sd15-onnx"

if [[ ! -f "$manifest" ]]; then
  echo "download-model: no manifest at $manifest (lines: '<sha256>  <relative path>  <url>')." >&2
  exit 2
fi
if [[ -f "$target/model_index.json" ]]; then
  echo "download-model: $target already holds a model; remove it to download again." >&2
  exit 0
fi

mkdir -p "$partial"
auth=()
if [[ -n "${HF_TOKEN:-}" ]]; then auth=(-H "Authorization: Bearer $HF_TOKEN"); fi

while read -r sha path url; do
  [[ -z "${sha:-}" || "$sha" == \#* ]] && continue
  file="$partial/$path"
  mkdir -p "$(dirname "$file")"
  if [[ -f "$file" ]] && echo "$sha  $file" | sha256sum --check --status; then
    echo "download-model: $path already complete"
    continue
  fi
  echo "download-model: $path"
  # -C - resumes from the bytes already on disk; --retry covers dropped connections.
  curl --fail --location --retry 5 --retry-delay 2 -C - "${auth[@]}" -o "$file" "$url"
  if ! echo "$sha  $file" | sha256sum --check --status; then
    echo "download-model: checksum mismatch for $path; deleting it, run again to re-download." >&2
    rm -f "$file"
    exit 1
  fi
done < "$manifest"

if [[ ! -f "$partial/model_index.json" ]]; then
  echo "download-model: the manifest has no model_index.json; not a diffusers model folder." >&2
  exit 1
fi
mv "$partial" "$target"
echo "download-model: model ready at $target (the local run and the worker pick it up: DiffusionFunctions__Worker__ModelPath)"
