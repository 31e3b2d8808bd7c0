#!/usr/bin/python3
"""Golden schedules and loops for the scheduler parity tests of issue 15.

Re-implements, in numpy and torch, the formulas of diffusers' EulerDiscreteScheduler, LMSDiscreteScheduler and
DPMSolverMultistepScheduler (src/diffusers/schedulers/scheduling_*.py, read at commit 58eb52c) in diffusers' own
computation order and dtypes, and prints JSON to stdout:

    NPY_DISABLE_CPU_FEATURES="AVX512F AVX512CD AVX512_SKX AVX512_CLX AVX512_CNL AVX512_ICL" \
        /usr/bin/python3 tools/reference/scheduler_goldens.py \
        > tests/DiffusionFunctions.Diffusion.Tests/Schedulers/Data/scheduler_goldens.json

(On an AVX-512 machine NumPy's float64 power is its SVML kernel, 1 ulp off libm's pow for some Karras sigmas; with the
AVX-512 paths disabled it is libm's pow, as on AVX2 machines and in .NET's Math.Pow. The script refuses to run otherwise.)

Made with Debian bookworm's python3-numpy 1.24 and python3-torch 1.13 (CPU). NumPy 1.x's value-based casting matters:
in `_sigma_to_t` a float64 scalar meets the float32 log-sigma array, so the distances and the weight are float32.

Two platform-dependent roundings are pinned instead of taken from this machine's libraries:
- betas: torch.linspace as the AVX2 kernel of the PyTorch the project follows (TorchFloat32.Linspace: float step, first
  half counted up from start, second half down from end, blocks of two 8-lane vectors). Debian's torch 1.13 kernel rounds
  128 of SD's 1000 scaled_linear betas differently (on this AVX-512 machine, and with ATEN_CPU_CAPABILITY=avx2 too).
- logs: np.log of float32 is NumPy's own SIMD approximation, which differs from the correctly rounded log in the last
  bit for 190 of SD's 1000 training sigmas (AVX2 and AVX-512 builds alike); the goldens use the correctly rounded log
  (math.log, then float32), as .NET's MathF.Log gives, so they pin the computation order, not one CPU's log kernel.
"""
import json
import math

import numpy as np
import torch

SD = {"beta_start": 0.00085, "beta_end": 0.012, "beta_schedule": "scaled_linear"}
LINEAR = {"beta_schedule": "linear"}
COSINE = {"beta_schedule": "squaredcos_cap_v2"}


def torch_linspace_avx2(start, end, n):
    start, end = np.float32(start), np.float32(end)
    step = np.float32((end - start) / np.float32(n - 1))
    half, out, i = n // 2, np.zeros(n, np.float32), 0

    def at(k):
        return np.float32(start + step * np.float32(k)) if k < half else np.float32(end - step * np.float32(n - k - 1))

    while i + 16 <= n:
        for _ in range(2):
            base = at(i)
            for lane in range(8):
                out[i + lane] = np.float32(base + np.float32(lane) * step)
            i += 8
    while i < n:
        out[i] = at(i)
        i += 1
    return torch.from_numpy(out)


def log32(values):
    """Correctly rounded float32 log of a float32 array (see the module note)."""
    return np.array([math.log(float(v)) for v in values], dtype=np.float32)


def betas_for(config):
    n = config.get("num_train_timesteps", 1000)
    start, end = config.get("beta_start", 0.0001), config.get("beta_end", 0.02)
    kind = config.get("beta_schedule", "linear")
    if kind == "linear":
        return torch_linspace_avx2(start, end, n)
    if kind == "scaled_linear":
        return torch_linspace_avx2(start ** 0.5, end ** 0.5, n) ** 2
    # squaredcos_cap_v2: Nichol and Dhariwal's alpha bar, betas in float64 capped at 0.999, then float32
    def alpha_bar(t):
        return math.cos((t + 0.008) / 1.008 * math.pi / 2) ** 2
    return torch.tensor([min(1 - alpha_bar((i + 1) / n) / alpha_bar(i / n), 0.999) for i in range(n)], dtype=torch.float32)


def alphas_cumprod_for(config):
    return torch.cumprod(1.0 - betas_for(config), dim=0)


def sigma_to_t(sigma, log_sigmas):
    log_sigma = np.float64(math.log(max(float(sigma), 1e-10)))
    dists = log_sigma - log_sigmas[:, np.newaxis]
    low_idx = np.cumsum((dists >= 0), axis=0).argmax(axis=0).clip(max=log_sigmas.shape[0] - 2)
    high_idx = low_idx + 1
    low, high = log_sigmas[low_idx], log_sigmas[high_idx]
    w = np.clip((low - log_sigma) / (low - high), 0, 1)
    return ((1 - w) * low_idx + w * high_idx).reshape(sigma.shape)


def karras(sigma_min, sigma_max, n, rho=7.0):
    ramp = np.linspace(0, 1, n)
    lo, hi = sigma_min ** (1 / rho), sigma_max ** (1 / rho)
    return (hi + ramp * (lo - hi)) ** rho


def sigma_schedule(sampler, config, steps):
    """Timesteps and sigmas as Euler (linspace, linear interpolation), LMS or DPM-Solver set them."""
    ac = alphas_cumprod_for(config)
    n = config.get("num_train_timesteps", 1000)
    sigmas = np.array(((1 - ac) / ac) ** 0.5)
    log_sigmas = log32(sigmas)
    if sampler in ("euler", "lms"):
        timesteps = np.linspace(0, n - 1, steps, dtype=np.float32)[::-1].copy()
        sigmas = np.interp(timesteps, np.arange(0, len(sigmas)), sigmas)
        if config.get("use_karras_sigmas"):
            sigmas = karras(sigmas[-1].item(), sigmas[0].item(), steps)
            timesteps = np.array([sigma_to_t(s, log_sigmas) for s in sigmas])
        sigmas = np.concatenate([sigmas, [0.0]]).astype(np.float32)
        return timesteps.astype(np.float32), sigmas
    # DPM-Solver, linspace spacing over n + 1 points, final sigma zero
    timesteps = np.linspace(0, n - 1, steps + 1).round()[::-1][:-1].copy().astype(np.int64)
    if config.get("use_karras_sigmas") or config.get("use_lu_lambdas"):
        if config.get("use_karras_sigmas"):
            flipped = np.flip(sigmas).copy()
            sigmas = karras(flipped[-1].item(), flipped[0].item(), steps)
        else:
            lambdas = np.flip(log_sigmas.copy())
            lo, hi = lambdas[-1].item(), lambdas[0].item()
            sigmas = np.array([math.exp(v) for v in (hi + np.linspace(0, 1, steps) * (lo - hi)) ** 1.0])
        timesteps = np.array([sigma_to_t(s, log_sigmas) for s in sigmas])
        if config.get("beta_schedule") != "squaredcos_cap_v2":
            timesteps = timesteps.round()
    else:
        sigmas = np.interp(timesteps, np.arange(0, len(sigmas)), sigmas)
    sigmas = np.concatenate([sigmas, [0]]).astype(np.float32)
    return torch.from_numpy(timesteps).to(dtype=torch.int64).numpy().astype(np.float32), sigmas


def dummy_sample():
    return torch.arange(4 * 3 * 8 * 8, dtype=torch.float32).reshape(3, 8, 8, 4).permute(3, 0, 1, 2) / (4 * 3 * 8 * 8)


def dpm_loop(config, steps, record_noise=False):
    """DPM-Solver++ / SDE-DPM-Solver++ of order 1-3 on the dummy sample and model x * t / (t + 1), epsilon prediction."""
    timesteps, sigmas = sigma_schedule("dpm", config, steps)
    sigmas = torch.from_numpy(sigmas)
    order = config.get("solver_order", 2)
    sde = config.get("algorithm_type") == "sde-dpmsolver++"
    heun = config.get("solver_type") == "heun"
    lower_order_final = config.get("lower_order_final", True)
    generator = torch.Generator().manual_seed(0)
    sample = dummy_sample()
    outputs, lower_order_nums, noises = [], 0, []

    def alpha_sigma(s):
        alpha = 1 / ((s ** 2 + 1) ** 0.5)
        return alpha, s * alpha

    def lam(s):
        a, sg = alpha_sigma(s)
        return torch.log(a) - torch.log(sg)

    for i, t in enumerate(torch.from_numpy(timesteps.astype(np.int64))):
        model_output = sample * t / (t + 1)
        alpha_s0, sigma_s0 = alpha_sigma(sigmas[i])
        x0 = (sample - sigma_s0 * model_output) / alpha_s0
        outputs = (outputs + [x0])[-3:]
        noise = torch.randn(sample.shape, generator=generator, dtype=torch.float32) if sde else None
        if noise is not None and record_noise:
            noises.append(noise.flatten().tolist())
        last = len(timesteps)
        final = i == last - 1 and ((lower_order_final and last < 15) or True)  # final_sigmas_type zero
        second = i == last - 2 and lower_order_final and last < 15
        alpha_t, sigma_t = alpha_sigma(sigmas[i + 1])
        h = lam(sigmas[i + 1]) - lam(sigmas[i])
        if order == 1 or lower_order_nums < 1 or final:
            if sde:
                sample = (sigma_t / sigma_s0 * torch.exp(-h)) * sample + (alpha_t * (1 - torch.exp(-2.0 * h))) * x0 \
                    + sigma_t * torch.sqrt(1.0 - torch.exp(-2 * h)) * noise
            else:
                sample = (sigma_t / sigma_s0) * sample - (alpha_t * (torch.exp(-h) - 1.0)) * x0
        elif order == 2 or lower_order_nums < 2 or second:
            m0, m1 = outputs[-1], outputs[-2]
            r0 = (lam(sigmas[i]) - lam(sigmas[i - 1])) / h
            d0, d1 = m0, (1.0 / r0) * (m0 - m1)
            if sde:
                e = 1 - torch.exp(-2.0 * h)
                d1_scale = (alpha_t * ((1.0 - torch.exp(-2.0 * h)) / (-2.0 * h) + 1.0)) if heun else 0.5 * (alpha_t * e)
                sample = (sigma_t / sigma_s0 * torch.exp(-h)) * sample + (alpha_t * e) * d0 + d1_scale * d1 \
                    + sigma_t * torch.sqrt(1.0 - torch.exp(-2 * h)) * noise
            elif heun:
                sample = (sigma_t / sigma_s0) * sample - (alpha_t * (torch.exp(-h) - 1.0)) * d0 \
                    + (alpha_t * ((torch.exp(-h) - 1.0) / h + 1.0)) * d1
            else:
                sample = (sigma_t / sigma_s0) * sample - (alpha_t * (torch.exp(-h) - 1.0)) * d0 \
                    - 0.5 * (alpha_t * (torch.exp(-h) - 1.0)) * d1
        else:
            m0, m1, m2 = outputs[-1], outputs[-2], outputs[-3]
            h0 = lam(sigmas[i]) - lam(sigmas[i - 1])
            h1 = lam(sigmas[i - 1]) - lam(sigmas[i - 2])
            r0, r1 = h0 / h, h1 / h
            d1_0, d1_1 = (1.0 / r0) * (m0 - m1), (1.0 / r1) * (m1 - m2)
            d1 = d1_0 + (r0 / (r0 + r1)) * (d1_0 - d1_1)
            d2 = (1.0 / (r0 + r1)) * (d1_0 - d1_1)
            if sde:
                e = 1.0 - torch.exp(-2.0 * h)
                sample = (sigma_t / sigma_s0 * torch.exp(-h)) * sample + (alpha_t * e) * m0 \
                    + (alpha_t * (e / (-2.0 * h) + 1.0)) * d1 \
                    + (alpha_t * ((1.0 - torch.exp(-2.0 * h) - 2.0 * h) / (2.0 * h) ** 2 - 0.5)) * d2 \
                    + sigma_t * torch.sqrt(1.0 - torch.exp(-2 * h)) * noise
            else:
                sample = (sigma_t / sigma_s0) * sample - (alpha_t * (torch.exp(-h) - 1.0)) * m0 \
                    + (alpha_t * ((torch.exp(-h) - 1.0) / h + 1.0)) * d1 \
                    - (alpha_t * ((torch.exp(-h) - 1.0 + h) / h ** 2 - 0.5)) * d2
        lower_order_nums = min(lower_order_nums + 1, order)
    flat = sample.flatten()
    result = {"config": config, "steps": steps, "timesteps": [float(t) for t in timesteps],
              "sum_abs": float(torch.sum(torch.abs(flat.double()))), "head": [float(v) for v in flat[:8]]}
    if record_noise:
        result["noise"] = noises
    return result


def main():
    from numpy.core._multiarray_umath import __cpu_features__
    if __cpu_features__.get("AVX512F"):
        raise SystemExit("run with NPY_DISABLE_CPU_FEATURES set as the module docstring shows")
    schedules = []
    for sampler in ("euler", "lms"):
        for betas in (SD, LINEAR, COSINE):
            for steps in (4, 10, 25, 50):
                config = dict(betas, use_karras_sigmas=True)
                timesteps, sigmas = sigma_schedule(sampler, config, steps)
                schedules.append({"sampler": sampler, "config": config, "steps": steps,
                                  "timesteps": [float(t) for t in timesteps], "sigmas": [float(s) for s in sigmas]})
    for option in ("use_karras_sigmas", "use_lu_lambdas"):
        for betas in (SD, LINEAR, COSINE):
            for steps in (4, 10, 25, 50):
                config = dict(betas, **{option: True})
                timesteps, sigmas = sigma_schedule("dpm", config, steps)
                schedules.append({"sampler": "dpm", "config": config, "steps": steps,
                                  "timesteps": [float(t) for t in timesteps], "sigmas": [float(s) for s in sigmas]})
    loops = [
        dpm_loop(dict(LINEAR, algorithm_type="sde-dpmsolver++"), 8, record_noise=True),
        dpm_loop(dict(LINEAR, algorithm_type="sde-dpmsolver++", solver_type="heun"), 10),
        dpm_loop(dict(SD, algorithm_type="sde-dpmsolver++", use_karras_sigmas=True), 20),
        dpm_loop(dict(LINEAR, solver_order=3), 10),
        dpm_loop(dict(SD, solver_order=3, lower_order_final=False), 20),
        dpm_loop(dict(LINEAR, solver_order=3, algorithm_type="sde-dpmsolver++"), 12),
        dpm_loop(dict(COSINE, use_karras_sigmas=True), 10),
        dpm_loop(dict(COSINE, use_karras_sigmas=True, solver_order=3), 25),
        dpm_loop(dict(SD, use_lu_lambdas=True), 10),
        dpm_loop(dict(COSINE, use_lu_lambdas=True, algorithm_type="sde-dpmsolver++"), 10),
    ]
    json.dump({"generator": "tools/reference/scheduler_goldens.py", "numpy": np.__version__, "torch": torch.__version__,
               "note": "betas from the AVX2 torch.linspace kernel, correctly rounded logs; see the script's docstring",
               "schedules": schedules, "loops": loops}, __import__("sys").stdout, indent=1)


if __name__ == "__main__":
    main()
