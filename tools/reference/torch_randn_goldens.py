#!/usr/bin/python3
"""Writes golden torch.randn values for TorchGenerator's tests.

Reference tool only (not part of the product or the test run): needs a real PyTorch
(e.g. Debian's python3-torch 1.13, CPU build, AVX2 kernels). Regenerate with

    /usr/bin/python3 tools/reference/torch_randn_goldens.py \
        > tests/DiffusionFunctions.Diffusion.Tests/Randomness/Data/torch_randn_goldens.json

Every value is the float32 result written as the shortest decimal that round-trips.
Large draws keep only their head, tail and float64 sums so the file stays small.
"""
import json
import sys

import torch

HEAD = 48


def values(t):
    return [float(v) for v in t.flatten().tolist()]


def record(seed, sizes):
    g = torch.Generator("cpu").manual_seed(seed)
    draws = []
    for n in sizes:
        x = torch.randn(n, generator=g, dtype=torch.float32)
        v = values(x)
        entry = {"count": n}
        if n <= 128:
            entry["values"] = v
        else:
            entry["head"] = v[:HEAD]
            entry["tail"] = v[-HEAD:]
            entry["sum"] = float(x.double().sum().item())
            entry["sum_abs"] = float(x.double().abs().sum().item())
        draws.append(entry)
    return {"seed": str(seed), "initial_seed": str(g.initial_seed()), "draws": draws}


def main():
    cases = []
    for n in [1, 5, 15, 16, 17, 31, 32, 33, 100, 4 * 64 * 64]:
        cases.append(record(0, [n]))
    # Successive draws from one generator: the scalar path's cached Box-Muller value and the vector path share a stream.
    cases.append(record(0, [5, 3, 20, 1, 17, 2, 768]))
    cases.append(record(0, [1, 1, 1, 16]))
    for seed in [42, 2**32 + 5, 5, 1234567890123, 2**64 - 1, 2**63]:
        cases.append(record(seed, [7, 4 * 64 * 64, 9]))
    out = {
        "generator": "torch.Generator('cpu').manual_seed(seed); torch.randn(count, generator=g) per draw, float32",
        "torch_version": torch.__version__,
        "cpu_capability": next((l.split(":")[1].strip() for l in torch.__config__.show().splitlines() if "CPU capability" in l), "unknown"),
        "cases": cases,
    }
    json.dump(out, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
