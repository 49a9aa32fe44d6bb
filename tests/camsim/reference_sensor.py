"""
Reference twins of the sensor kernels — clarity over speed; never imported by camsim
====================================================================================

* :func:`seed_row` … :func:`poisson`: the counter-based generator of
  :mod:`camsim._kernels.noise` re-written with Python integers (explicit 64-bit
  masking), so tests can check the kernel's random streams number for number.
* :func:`readout`: the per-pixel read-out chain as a Python loop over that generator.
* :func:`readout_noise_free`: the same chain with every noise term off, vectorised.
* :func:`readout_numpy`: the chain with NumPy's ``default_rng`` instead of our
  generator — a statistical reference (same distributions, different numbers).
* :func:`overlap_matrix` / :func:`area_resample`: dense overlap weights built from
  interval arithmetic and the BLAS product ``W_r @ image @ W_c.T``.
"""

from __future__ import annotations

import math

import numpy as np

MASK = (1 << 64) - 1
GOLDEN = 0x9E3779B97F4A7C15
STREAM_KEY = 0xD1B54A32D192ED03
ROW_KEY = 0xA0761D6478BD642F
PTRS_THRESHOLD = 10.0
STREAM_FRAME = 0


def mix64(z: int) -> int:
    z &= MASK
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return z ^ (z >> 31)


def seed_row(seed: int, stream: int, row: int) -> list[int]:
    h = mix64(seed)
    h = mix64(h ^ ((stream * STREAM_KEY + GOLDEN) & MASK))
    h = mix64(h ^ ((row * ROW_KEY + GOLDEN) & MASK))
    state = []
    for _ in range(4):
        h = (h + GOLDEN) & MASK
        state.append(mix64(h))
    return state


def _rotl(x: int, k: int) -> int:
    return ((x << k) | (x >> (64 - k))) & MASK


def next_u64(s: list[int]) -> int:
    result = (_rotl((s[1] * 5) & MASK, 7) * 9) & MASK
    t = (s[1] << 17) & MASK
    s[2] ^= s[0]
    s[3] ^= s[1]
    s[1] ^= s[2]
    s[0] ^= s[3]
    s[2] ^= t
    s[3] = _rotl(s[3], 45)
    return result


def uniform(s: list[int]) -> float:
    return ((next_u64(s) >> 11) + 0.5) / 2.0**53


class Gen:
    """One row's generator: xoshiro256** state plus the polar method's spare normal."""

    def __init__(self, seed: int, stream: int, row: int):
        self.s = seed_row(seed, stream, row)
        self.spare = None

    def uniform(self) -> float:
        return uniform(self.s)

    def normal(self) -> float:
        if self.spare is not None:
            z, self.spare = self.spare, None
            return z
        while True:
            u = 2.0 * self.uniform() - 1.0
            v = 2.0 * self.uniform() - 1.0
            r2 = u * u + v * v
            if 0.0 < r2 < 1.0:
                break
        f = math.sqrt(-2.0 * math.log(r2) / r2)
        self.spare = v * f
        return u * f

    def poisson(self, lam: float) -> float:
        if not lam > 0.0:
            return 0.0
        if lam < PTRS_THRESHOLD:  # inversion: smallest k with cdf(k) >= u
            u = self.uniform()
            k, p = 0, math.exp(-lam)
            cdf = p
            while u > cdf and p > 0.0:
                k += 1
                p *= lam / k
                cdf += p
            return float(k)
        # Hörmann (1993) PTRS
        b = 0.931 + 2.53 * math.sqrt(lam)
        a = -0.059 + 0.02483 * b
        inv_alpha = 1.1239 + 1.1328 / (b - 3.4)
        v_r = 0.9277 - 3.6224 / (b - 2.0)
        while True:
            u = self.uniform() - 0.5
            v = self.uniform()
            us = 0.5 - abs(u)
            k = math.floor((2.0 * a / us + b) * u + lam + 0.43)
            if us >= 0.07 and v <= v_r:
                return float(k)
            if k < 0 or (us < 0.013 and v > us):
                continue
            if (math.log(v) + math.log(inv_alpha) - math.log(a / (us * us) + b)
                    <= -lam + k * math.log(lam) - math.lgamma(k + 1.0)):
                return float(k)


def normal_field(seed: int, stream: int, rows: int, cols: int) -> np.ndarray:
    out = np.empty((rows, cols))
    for i in range(rows):
        g = Gen(seed, stream, i)
        for j in range(cols):
            out[i, j] = g.normal()
    return out


def _p(params):
    dark, shot, read, fw, vpe, off, swing, levels = (float(x) for x in params)
    return dark, shot != 0.0, read, fw, vpe, off, swing, levels


def readout(mean_e, prnu, col_gain, offset, params, seed):
    """Python-loop twin of ``camsim._kernels.noise.readout``; returns (electrons, volts, digital)."""
    dark, shot, read, fw, vpe, voff, swing, levels = _p(params)
    rows, cols = mean_e.shape
    e = np.empty((rows, cols), np.float32)
    v = np.empty((rows, cols), np.float32)
    d = np.zeros((rows, cols), np.uint16)
    for i in range(rows):
        g = Gen(seed, STREAM_FRAME, i)
        for j in range(cols):
            lam = max(0.0, float(mean_e[i, j]) * float(prnu[i, j]))
            q = g.poisson(lam + dark) if shot else lam + g.poisson(dark)
            q = min(q, fw)
            s = q * float(col_gain[j]) + float(offset[i, j])
            if read > 0.0:
                s += read * g.normal()
            e[i, j] = s
            volt = min(max(s * vpe + voff, 0.0), swing)
            v[i, j] = volt
            if levels > 0:
                d[i, j] = min(math.floor(volt / swing * levels + 0.5), int(levels) - 1)
    return e, v, d


def readout_noise_free(mean_e, prnu, col_gain, offset, params):
    """Vectorised twin with shot, dark and read noise off (``params.dark``, ``params.read`` = 0)."""
    _, _, _, fw, vpe, voff, swing, levels = _p(params)
    q = np.minimum(np.maximum(mean_e * prnu, 0.0), fw)
    s = q * col_gain[None, :] + offset
    volts = np.clip(s * vpe + voff, 0.0, swing)
    digital = None
    if levels > 0:
        digital = np.minimum(np.floor(volts / swing * levels + 0.5), levels - 1).astype(np.uint16)
    return s.astype(np.float32), volts.astype(np.float32), digital


def readout_numpy(mean_e, prnu, col_gain, offset, params, rng):
    """Statistical twin: the same chain with ``numpy.random.Generator`` draws (float64 outputs)."""
    dark, shot, read, fw, vpe, voff, swing, levels = _p(params)
    lam = np.maximum(mean_e * prnu, 0.0)
    q = rng.poisson(lam + dark).astype(float) if shot else lam + rng.poisson(dark, lam.shape)
    q = np.minimum(q, fw)
    s = q * col_gain[None, :] + offset + (read * rng.standard_normal(lam.shape) if read > 0 else 0.0)
    volts = np.clip(s * vpe + voff, 0.0, swing)
    digital = np.minimum(np.floor(volts / swing * levels + 0.5), levels - 1) if levels > 0 else None
    return s, volts, digital


def overlap_matrix(n_in: int, spacing: float, n_out: int, pitch: float, aperture: float) -> np.ndarray:
    """Dense (n_out, n_in) overlap lengths (m) of centred apertures with centred cells."""
    cell_lo = (np.arange(n_in) - n_in / 2.0) * spacing
    cell_hi = cell_lo + spacing
    centre = (np.arange(n_out) + 0.5 - n_out / 2.0) * pitch
    lo, hi = centre - aperture / 2.0, centre + aperture / 2.0
    return np.clip(np.minimum(hi[:, None], cell_hi[None, :]) - np.maximum(lo[:, None], cell_lo[None, :]), 0.0, None)


def area_resample(image, spacing, out_shape, pitch, aperture):
    """``W_r @ image @ W_c.T`` with dense overlap matrices (BLAS)."""
    w_r = overlap_matrix(image.shape[0], spacing, out_shape[0], pitch, aperture)
    w_c = overlap_matrix(image.shape[1], spacing, out_shape[1], pitch, aperture)
    return w_r @ image @ w_c.T
