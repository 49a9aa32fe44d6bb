"""
Reference twins of the sensor kernels — clarity over speed; never imported by camsim
====================================================================================

* :func:`seed_row` … :class:`Gen`: the counter-based generator of
  :mod:`camsim._kernels.noise` and its samplers (ziggurat normal; tabulated-cdf and
  PTRS Poisson, their tables rebuilt here) re-written with Python integers (explicit
  64-bit masking), so tests can check the kernel's random streams number for number.
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


# Tables of the kernel's samplers, rebuilt here from their definitions (Python floats).
TABLE_STEP, TABLE_COUNTS, GUIDE_CELLS = 0.125, 48, 32  # Poisson below PTRS_THRESHOLD
LOG_FACTORIALS = 1 << 14
ZIG_LAYERS, ZIG_R = 256, 3.654152885361009


def _poisson_cdf_rows() -> list[list[float]]:
    rows = [[1.0] * TABLE_COUNTS]
    for j in range(1, int(PTRS_THRESHOLD / TABLE_STEP)):
        lam = j * TABLE_STEP
        p = c = math.exp(-lam)
        row = [c]
        for k in range(1, TABLE_COUNTS):
            p *= lam / k
            c += p
            row.append(c)
        rows.append(row)
    return rows


def _ziggurat() -> tuple[list[float], list[float]]:
    r = ZIG_R
    v = r * math.exp(-0.5 * r * r) + math.sqrt(0.5 * math.pi) * math.erfc(r / math.sqrt(2.0))
    x = [v / math.exp(-0.5 * r * r), r]
    while len(x) < ZIG_LAYERS:
        x.append(math.sqrt(-2.0 * math.log(math.exp(-0.5 * x[-1] ** 2) + v / x[-1])))
    x.append(0.0)
    return x, [0.0] + [math.exp(-0.5 * t * t) for t in x[1:]]


CDF_ROWS = _poisson_cdf_rows()
ZIG_X, ZIG_F = _ziggurat()
LOG_FACTORIAL = [math.lgamma(k + 1.0) for k in range(LOG_FACTORIALS)]


def _search(u: float, k: int, p: float, cdf: float, lam: float) -> int:
    """Sequential-search inversion from count k (pmf p, cdf cdf)."""
    while u > cdf and p > 0.0:
        k += 1
        p *= lam / k
        cdf += p
    return k


class Gen:
    """One row's generator: xoshiro256** state and the kernel's samplers, step for step."""

    def __init__(self, seed: int, stream: int, row: int):
        self.s = seed_row(seed, stream, row)

    def uniform(self) -> float:
        return uniform(self.s)

    def normal(self) -> float:
        """Ziggurat: layer from bits 0-7, sign from bit 8, uniform from bits 11-63."""
        while True:
            r = next_u64(self.s)
            i, negative = r & 0xFF, bool(r & 0x100)
            x = ((r >> 11) + 0.5) / 2.0**53 * ZIG_X[i]
            if x < ZIG_X[i + 1]:
                break
            if i == 0:  # the tail beyond r (Marsaglia 1964)
                while True:
                    a = -math.log(self.uniform()) / ZIG_R
                    b = -math.log(self.uniform())
                    if 2.0 * b > a * a:
                        break
                x = ZIG_R + a
                break
            if ZIG_F[i] + self.uniform() * (ZIG_F[i + 1] - ZIG_F[i]) < math.exp(-0.5 * x * x):
                break
        return -x if negative else x

    def _poisson_small(self, lam: float) -> float:
        """Poisson(j·step) from the tabulated cdf (searched from the guide cell) + Poisson(δ) by inversion."""
        j = int(lam / TABLE_STEP)
        lam_g = j * TABLE_STEP
        delta = lam - lam_g
        u = self.uniform()
        row = CDF_ROWS[j]
        cell = int(u * GUIDE_CELLS) / GUIDE_CELLS
        k = min(next(n for n, c in enumerate(row + [2.0]) if c >= cell), TABLE_COUNTS - 1)  # the guide
        while k < TABLE_COUNTS - 1 and u > row[k]:
            k += 1
        if u > row[k]:
            last = TABLE_COUNTS - 1
            k = _search(u, k, math.exp(-lam_g + last * math.log(lam_g) - math.lgamma(last + 1.0)), row[k], lam_g)
        if delta > 0.0:
            u = self.uniform()
            if u > 1.0 - delta:
                p = math.exp(-delta)
                k += _search(u, 0, p, p, delta)
        return float(k)

    def poisson(self, lam: float) -> float:
        if not lam > 0.0:
            return 0.0
        if lam < PTRS_THRESHOLD:
            return self._poisson_small(lam)
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
            log_fact = LOG_FACTORIAL[k] if k < LOG_FACTORIALS else math.lgamma(k + 1.0)
            if math.log(v * inv_alpha / (a / (us * us) + b)) <= -lam + k * math.log(lam) - log_fact:
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
