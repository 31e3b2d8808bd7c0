#!/usr/bin/python3
"""Writes golden safety-checker inputs: what transformers' CLIPImageProcessor (Stable Diffusion 1.x's
feature_extractor/preprocessor_config.json) makes of four test images, computed with Pillow and NumPy alone.

Reference tool only (not part of the product or the test run): needs Debian's python3-pil and python3-numpy.
Regenerate with

    /usr/bin/python3 tools/reference/safety_checker_input_goldens.py tests/DiffusionFunctions.Diffusion.Tests/Imaging/Data

CLIPImageProcessor's steps, as transformers documents and implements them: the shortest edge resized to 224 and the long
edge to int(224 * long / short) (truncated), PIL.Image.resize with BICUBIC and no reducing_gap; a centre crop of 224 x 224
(offsets rounded down); x * rescale_factor; (x - mean) / std in float32.

The test images are generated from integer formulas that the C# test (SafetyCheckerTestImages) repeats exactly:
smooth gradient, photographic noise (gradient + xorshift32 noise), high detail (zone plate, 1-pixel checkerboard and
stripes), and a non-square 640 x 480 noise image. Written per image: clip_input_<name>.png, the 224 x 224 crop in 8-bit
levels (before rescale and normalisation), and clip_input_goldens.json with sizes and normalised float32 samples.
"""
import json
import os
import sys

import numpy as np
import PIL
from PIL import Image

SIZE = 224
MEAN = np.array([0.48145466, 0.4578275, 0.40821073], dtype=np.float32)
STD = np.array([0.26862954, 0.26130258, 0.27577711], dtype=np.float32)
RESCALE = 0.00392156862745098
SAMPLES = [(0, 0), (0, 223), (223, 0), (223, 223), (111, 111), (17, 200), (150, 33), (77, 154)]


def gradient(w, h):
    y, x = np.mgrid[0:h, 0:w].astype(np.int64)
    r = x * 255 // (w - 1)
    g = y * 255 // (h - 1)
    b = 255 - (x + y) * 255 // (w + h - 2)
    return np.stack([r, g, b], axis=-1)


def xorshift_noise(w, h, seed):
    state = seed
    out = np.empty(w * h * 3, dtype=np.int64)
    mask = 0xFFFFFFFF
    for i in range(w * h * 3):
        state ^= (state << 13) & mask
        state ^= state >> 17
        state ^= (state << 5) & mask
        total = (state & 0xFF) + ((state >> 8) & 0xFF) + ((state >> 16) & 0xFF) + ((state >> 24) & 0xFF)
        out[i] = (total - 510) >> 2
    return out.reshape(h, w, 3)


def noisy(w, h, seed):
    return np.clip(gradient(w, h) + xorshift_noise(w, h, seed), 0, 255)


def high_detail(w, h):
    y, x = np.mgrid[0:h, 0:w].astype(np.int64)
    r = ((x * x + y * y) >> 5) & 1
    g = (x ^ y) & 1
    b = (x >> 1) & 1
    return np.stack([r, g, b], axis=-1) * 255


IMAGES = {
    "smooth": lambda: gradient(512, 512),
    "noise": lambda: noisy(512, 512, 2463534242),
    "detail": lambda: high_detail(512, 512),
    "nonsquare": lambda: noisy(640, 480, 88675123),
}


def resized_size(w, h):
    short, long = min(w, h), max(w, h)
    new_long = int(SIZE * long / short)
    return (SIZE, new_long) if w <= h else (new_long, SIZE)


def main(out_dir):
    goldens = {"pillow": PIL.__version__, "numpy": np.__version__, "samples": SAMPLES, "images": {}}
    for name, make in IMAGES.items():
        pixels = make().astype(np.uint8)
        h, w = pixels.shape[:2]
        rw, rh = resized_size(w, h)
        resized = Image.fromarray(pixels, "RGB").resize((rw, rh), resample=Image.BICUBIC, reducing_gap=None)
        top, left = (rh - SIZE) // 2, (rw - SIZE) // 2
        crop = np.asarray(resized)[top:top + SIZE, left:left + SIZE]
        Image.fromarray(crop, "RGB").save(os.path.join(out_dir, f"clip_input_{name}.png"), optimize=True)
        rescaled = (crop.astype(np.float64) * RESCALE).astype(np.float32)
        normalised = ((rescaled - MEAN) / STD).transpose(2, 0, 1)
        goldens["images"][name] = {
            "source": [w, h],
            "resized": [rw, rh],
            "crop": [left, top],
            "values": [[float(normalised[c, y, x]) for c in range(3)] for y, x in SAMPLES],
        }
    with open(os.path.join(out_dir, "clip_input_goldens.json"), "w", encoding="utf-8") as f:
        json.dump(goldens, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main(sys.argv[1])
