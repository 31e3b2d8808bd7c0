#!/usr/bin/env bash
# Copies a model folder from blob storage to local disk with the app's managed identity, and checks every file against
# the folder's SHA256SUMS manifest (sha256sum format: "<64 hex>  <relative path>"). Runs as the worker's init container
# (bicep/modules/worker.bicep), so the worker starts only on a complete, verified model. No account key anywhere.
#   MODEL_SOURCE_URL   https://<account>.blob.core.windows.net/<container>/<folder>   (no trailing slash)
#   MODEL_DIR          destination folder (the worker's DiffusionFunctions__Worker__ModelPath)
#   AZURE_CLIENT_ID    client id of the user-assigned identity (Storage Blob Data Reader on the container)
#   IDENTITY_ENDPOINT, IDENTITY_HEADER   set by Azure Container Apps for managed identities
set -euo pipefail

fail() { echo "fetch-model: $*" >&2; exit 1; }

: "${MODEL_SOURCE_URL:?MODEL_SOURCE_URL is not set}"
: "${MODEL_DIR:?MODEL_DIR is not set}"
: "${IDENTITY_ENDPOINT:?IDENTITY_ENDPOINT is not set (no managed identity on this container)}"
: "${IDENTITY_HEADER:?IDENTITY_HEADER is not set (no managed identity on this container)}"

token_json=$(curl -fsS --retry 5 --retry-all-errors -H "X-IDENTITY-HEADER: ${IDENTITY_HEADER}" \
  "${IDENTITY_ENDPOINT}?api-version=2019-08-01&resource=https%3A%2F%2Fstorage.azure.com%2F&client_id=${AZURE_CLIENT_ID:-}") \
  || fail "no token from the managed identity endpoint"
token=$(printf '%s' "$token_json" | sed -n 's/.*"access_token"[[:space:]]*:[[:space:]]*"\([^"]*\)".*/\1/p')
[ -n "$token" ] || fail "the managed identity endpoint returned no access_token"

get_blob() { # $1 = path under MODEL_SOURCE_URL, $2 = output file
  curl -fsS --retry 5 --retry-all-errors -H "Authorization: Bearer ${token}" -H "x-ms-version: 2023-11-03" \
    -o "$2" "${MODEL_SOURCE_URL}/$1"
}

mkdir -p "$MODEL_DIR"
manifest="$MODEL_DIR/SHA256SUMS"
get_blob SHA256SUMS "$manifest.part" || fail "cannot read ${MODEL_SOURCE_URL}/SHA256SUMS"
mv "$manifest.part" "$manifest"

count=0
while IFS= read -r line || [ -n "$line" ]; do
  [ -z "$line" ] && continue
  [[ "$line" =~ ^([0-9a-f]{64})\ [\ *]([A-Za-z0-9._/-]+)$ ]] || fail "malformed manifest line: $line"
  hash="${BASH_REMATCH[1]}"; path="${BASH_REMATCH[2]}"
  case "/$path/" in */../*|*/./*|//*) fail "manifest path not allowed: $path";; esac
  target="$MODEL_DIR/$path"
  if [ -f "$target" ] && [ "$(sha256sum "$target" | cut -d' ' -f1)" = "$hash" ]; then
    count=$((count + 1)); continue   # already here and intact (a restarted replica)
  fi
  mkdir -p "$(dirname "$target")"
  get_blob "$path" "$target.part" || { rm -f "$target.part"; fail "cannot download $path"; }
  actual=$(sha256sum "$target.part" | cut -d' ' -f1)
  if [ "$actual" != "$hash" ]; then
    rm -f "$target.part"
    fail "checksum mismatch for $path: manifest $hash, downloaded $actual"
  fi
  mv "$target.part" "$target"
  count=$((count + 1))
done < "$manifest"

[ "$count" -gt 0 ] || fail "the manifest lists no files"
[ -f "$MODEL_DIR/model_index.json" ] || fail "the model has no model_index.json"
echo "fetch-model: $count files verified in $MODEL_DIR"
