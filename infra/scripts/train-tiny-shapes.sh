#!/usr/bin/env bash
# Trains the shipped tiny-shapes model from scratch on CPU and writes it to models/tiny-shapes (or the folder given).
# The recipe in three stages, each a run of src/DiffusionFunctions.Training with fixed step counts and seed 1234 (every
# stage reseeds from it), with nothing else running on the machine:
#   1. autoencoder: 3207 joint steps (AdamW, cosine from 2e-3);
#   2. autoencoder, second cosine cycle from the stage-1 weights: 2377 joint steps from 1e-3, then 300 decoder-only steps;
#   3. text encoder + UNet on the stage-2 latents: UNET_STEPS (3845) steps (AdamW, warm-up + cosine from 1e-3, EMA 0.998).
# These are the shipped model's step counts; the shipped weights are this script's output from a fresh clone: 3,421 s
# (57.0 min) end to end on 2 idle cores, build included (stages 1,089 s, 868 s, 1,450 s; about 0.33 s per autoencoder
# step at batch 16, 0.36-0.38 s per UNet step at batch 32). The machine's speed varies by about 10 % between runs.
# It prints each stage's time and the total; the model card has the run's losses and earlier, slower recipes.
#
# Usage: infra/scripts/train-tiny-shapes.sh [output folder] [work folder]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="${1:-$root/models/tiny-shapes}"
work="${2:-${TMPDIR:-/tmp}/tiny-shapes-work}"
unet_steps="${UNET_STEPS:-3845}"
threads="${THREADS:-2}"
mkdir -p "$work"

dotnet build -c Release "$root/src/DiffusionFunctions.Training" >/dev/null
train() { dotnet "$root/artifacts/bin/DiffusionFunctions.Training/release/DiffusionFunctions.Training.dll" train --threads "$threads" "$@"; }

stage() {
  local name="$1" started=$SECONDS
  shift
  train "$@"
  echo "train-tiny-shapes: $name took $((SECONDS - started)) s"
}

stage "stage 1 (autoencoder)" --out "$work/stage1" --work "$work/stage1" --ae-steps 3207 --decoder-steps 0 --unet-steps 0
stage "stage 2 (autoencoder, second cycle)" --out "$work/stage2" --work "$work/stage2" \
  --autoencoder-from "$work/stage1/checkpoint.bin" --ae-lr 1e-3 --ae-steps 2377 --decoder-steps 300 --unet-steps 0
stage "stage 3 (text encoder + UNet)" --out "$out" --work "$work/stage3" \
  --autoencoder-from "$work/stage2/checkpoint.bin" --ae-steps 0 --decoder-steps 0 --unet-steps "$unet_steps"
echo "train-tiny-shapes: model written to $out in $SECONDS s end to end, build included (report: $out/training-report.json)"
