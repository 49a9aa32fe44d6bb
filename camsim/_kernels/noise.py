"""
Noise kernels — counter-based random numbers, exact Poisson, pixel read-out chain
=================================================================================

Private numba kernels behind :meth:`camsim.Sensor.expose`. The wrapper in
:mod:`camsim.sensor` validates shapes, dtypes and units; nothing here checks input.

Random numbers are reproducible and independent of the number of threads: every
image row owns a generator whose state is derived from ``(seed, stream, row)`` only,
so a ``prange`` over rows gives the same numbers whatever thread runs which row.
The generator is xoshiro256** (Blackman & Vigna) seeded through the splitmix64
finaliser; uniform doubles carry 53 random bits and lie strictly inside (0, 1);
normal deviates come from Marsaglia's polar method (the second deviate of each pair
is kept for the next call in the same row). Poisson deviates are exact: inversion
by sequential search of the cdf for means below :data:`POISSON_PTRS_THRESHOLD`,
Hörmann's PTRS transformed rejection at and above.

Each kernel has a plain-Python/NumPy twin in ``tests/camsim/reference_sensor.py``.

References
----------
- Hörmann, W. (1993). The transformed rejection method for generating Poisson
  random variables. *Insurance: Mathematics and Economics* 12(1), 39–45 (PTRS).
- Blackman, D. & Vigna, S. (2021). Scrambled linear pseudorandom number
  generators. *ACM Trans. Math. Softw.* 47(4) (xoshiro256**; splitmix64 seeding).
- Marsaglia, G. & Bray, T. A. (1964). A convenient method for generating normal
  variables. *SIAM Review* 6(3), 260–264 (polar method).
- Devroye, L. (1986). *Non-Uniform Random Variate Generation*, §X.3 (Poisson by
  sequential-search inversion).
- EMVA Standard 1288, Release 4.0 (2021), §2 — the linear camera model the read-out
  chain follows.
- ISETCam ``sensorAddNoise``, ``noiseShot``, ``noiseFPN``, ``noiseColumnFPN``,
  ``analog2digital``.
"""

from __future__ import annotations

import math

import numba as nb
import numpy as np

__all__ = [
    "POISSON_PTRS_THRESHOLD",
    "STREAM_FRAME",
    "STREAM_PRNU",
    "STREAM_DSNU",
    "STREAM_COLUMN_OFFSET",
    "STREAM_COLUMN_GAIN",
    "P_DARK",
    "P_SHOT",
    "P_READ",
    "P_FULL_WELL",
    "P_VOLTS_PER_E",
    "P_OFFSET",
    "P_SWING",
    "P_LEVELS",
    "N_PARAMS",
    "seed_row",
    "next_u64",
    "uniform",
    "normal",
    "poisson",
    "normal_field",
    "poisson_field",
    "readout",
]

POISSON_PTRS_THRESHOLD = 10.0  # mean at and above which PTRS replaces inversion (Hörmann 1993)

# Random streams: one per independent use of a seed.
STREAM_FRAME = 0  # temporal noise of one exposure (shot + read), from the frame seed
STREAM_PRNU = 1  # fixed patterns, from the sensor seed
STREAM_DSNU = 2
STREAM_COLUMN_OFFSET = 3
STREAM_COLUMN_GAIN = 4

# Indices into the float64 parameter vector of :func:`readout`.
P_DARK = 0  # mean dark electrons per pixel for this exposure (0 = dark current off), e⁻
P_SHOT = 1  # 1.0: photo-electrons are Poisson; 0.0: photo-electrons are their mean
P_READ = 2  # read noise σ, e⁻ rms (0 = off)
P_FULL_WELL = 3  # well capacity, e⁻
P_VOLTS_PER_E = 4  # conversion gain × analog gain, V/e⁻
P_OFFSET = 5  # analog offset, V
P_SWING = 6  # voltage swing, V
P_LEVELS = 7  # 2**bits for a quantising ADC, 0 for an analog sensor
N_PARAMS = 8

# splitmix64 / xoshiro256** constants (uint64 typed globals become numba constants).
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)
_STREAM_KEY = np.uint64(0xD1B54A32D192ED03)
_ROW_KEY = np.uint64(0xA0761D6478BD642F)
_U1 = np.uint64(1)
_U5 = np.uint64(5)
_U9 = np.uint64(9)
_SH7, _SH57 = np.uint64(7), np.uint64(57)
_SH11 = np.uint64(11)
_SH17 = np.uint64(17)
_SH27 = np.uint64(27)
_SH30 = np.uint64(30)
_SH31 = np.uint64(31)
_SH45, _SH19 = np.uint64(45), np.uint64(19)
_TWO_M53 = 1.0 / 9007199254740992.0  # 2**-53


@nb.njit(cache=True)
def _mix64(z):
    """splitmix64 output finaliser (a bijection on uint64)."""
    z = (z ^ (z >> _SH30)) * _MIX1
    z = (z ^ (z >> _SH27)) * _MIX2
    return z ^ (z >> _SH31)


@nb.njit(cache=True)
def seed_row(state, seed, stream, row):
    """
    Fill the 4-word xoshiro256** ``state`` (uint64 array) for ``(seed, stream, row)``.

    ``seed`` is a uint64; ``stream`` and ``row`` are non-negative integers. The key is
    hashed with the splitmix64 finaliser, then four splitmix64 outputs seed the state.
    """
    h = _mix64(seed)
    h = _mix64(h ^ (np.uint64(stream) * _STREAM_KEY + _GOLDEN))
    h = _mix64(h ^ (np.uint64(row) * _ROW_KEY + _GOLDEN))
    for k in range(4):
        h = h + _GOLDEN
        state[k] = _mix64(h)
    if state[0] == 0 and state[1] == 0 and state[2] == 0 and state[3] == 0:  # pragma: no cover
        state[0] = _U1


@nb.njit(cache=True)
def next_u64(state):
    """Next 64-bit output of xoshiro256** (advances ``state`` in place)."""
    s1 = state[1]
    x = s1 * _U5
    result = ((x << _SH7) | (x >> _SH57)) * _U9
    t = s1 << _SH17
    state[2] ^= state[0]
    state[3] ^= s1
    state[1] ^= state[2]
    state[0] ^= state[3]
    state[2] ^= t
    s3 = state[3]
    state[3] = (s3 << _SH45) | (s3 >> _SH19)
    return result


@nb.njit(cache=True)
def uniform(state):
    """Uniform double in the open interval (0, 1): (top 53 bits + 0.5)·2⁻⁵³."""
    return (float(next_u64(state) >> _SH11) + 0.5) * _TWO_M53


@nb.njit(cache=True)
def normal(state, spare):
    """
    Standard normal deviate by Marsaglia's polar method.

    ``spare`` is a float64 array of 2 per generator: ``spare[1] != 0`` means
    ``spare[0]`` holds the unused second deviate of the last pair.
    """
    if spare[1] != 0.0:
        spare[1] = 0.0
        return spare[0]
    while True:
        u = 2.0 * uniform(state) - 1.0
        v = 2.0 * uniform(state) - 1.0
        s = u * u + v * v
        if 0.0 < s < 1.0:
            break
    f = math.sqrt(-2.0 * math.log(s) / s)
    spare[0] = v * f
    spare[1] = 1.0
    return u * f


@nb.njit(cache=True)
def poisson(state, lam):
    """
    Exact Poisson deviate of mean ``lam`` (returned as float64).

    ``lam <= 0`` returns 0 without consuming random numbers. Below
    :data:`POISSON_PTRS_THRESHOLD`, inversion: the smallest k whose cdf
    ``Σ_{i≤k} e^-lam·lam^i/i!`` reaches one uniform (the search stops if the pmf
    underflows, a case of probability < 1e-300). At and above it, Hörmann's PTRS: a
    transformed-rejection proposal from a hat built on the inverse of a Cauchy-like
    transformation, with a quick acceptance box and an exact log-density test.
    """
    if not lam > 0.0:
        return 0.0
    if lam < POISSON_PTRS_THRESHOLD:
        # inversion by sequential search: one uniform, F accumulates the cdf
        u = uniform(state)
        k = 0
        p = math.exp(-lam)
        cdf = p
        while u > cdf and p > 0.0:
            k += 1
            p *= lam / k
            cdf += p
        return float(k)
    slam = math.sqrt(lam)
    loglam = math.log(lam)
    b = 0.931 + 2.53 * slam
    a = -0.059 + 0.02483 * b
    inv_alpha = 1.1239 + 1.1328 / (b - 3.4)
    v_r = 0.9277 - 3.6224 / (b - 2.0)
    while True:
        u = uniform(state) - 0.5
        v = uniform(state)
        us = 0.5 - abs(u)
        k = math.floor((2.0 * a / us + b) * u + lam + 0.43)
        if us >= 0.07 and v <= v_r:
            return float(k)
        if k < 0 or (us < 0.013 and v > us):
            continue
        if (math.log(v) + math.log(inv_alpha) - math.log(a / (us * us) + b)
                <= -lam + k * loglam - math.lgamma(k + 1.0)):
            return float(k)


@nb.njit(cache=True, parallel=True)
def normal_field(seed, stream, rows, cols):
    """Standard normal deviates, float64 ``(rows, cols)``, row r from ``(seed, stream, r)``."""
    out = np.empty((rows, cols), dtype=np.float64)
    for i in nb.prange(rows):
        state = np.empty(4, dtype=np.uint64)
        spare = np.zeros(2, dtype=np.float64)
        seed_row(state, seed, stream, i)
        for j in range(cols):
            out[i, j] = normal(state, spare)
    return out


@nb.njit(cache=True, parallel=True)
def poisson_field(lam, seed, stream):
    """Poisson deviates of means ``lam`` (float64 ``(rows, cols)``), row r from ``(seed, stream, r)``."""
    rows, cols = lam.shape
    out = np.empty((rows, cols), dtype=np.float64)
    for i in nb.prange(rows):
        state = np.empty(4, dtype=np.uint64)
        seed_row(state, seed, stream, i)
        for j in range(cols):
            out[i, j] = poisson(state, lam[i, j])
    return out


@nb.njit(cache=True, parallel=True)
def readout(mean_e, prnu, col_gain, offset, params, seed, electrons, volts, digital):
    """
    One exposure of the pixel array: charge generation, well, read-out, ADC.

    Per pixel, in this order (e⁻ unless stated):

    1. photo-electron mean ``λ = max(0, mean_e · prnu)`` (PRNU is a per-pixel
       quantum-efficiency factor, so it acts on the mean before shot noise);
    2. charge ``q = Poisson(λ + dark)`` (photon and dark shot noise in one draw), or
       ``λ + Poisson(dark)`` when photon shot noise is off;
    3. well: ``q = min(q, full_well)``;
    4. read-out referred to the pixel: ``s = q · col_gain[col] + offset[row, col]
       + read · N(0, 1)`` (``offset`` = DSNU + column offset) → ``electrons``;
    5. volts ``V = clip(s · volts_per_e + analog_offset, 0, swing)`` → ``volts``;
    6. ADC (``levels = 2**bits > 0``): ``DN = min(floor(V / swing · levels + ½),
       levels − 1)`` → ``digital`` (left untouched for an analog sensor).

    Parameters
    ----------
    mean_e
        Noise-free photo-electrons, float64 ``(rows, cols)``, e⁻.
    prnu
        Per-pixel response factor ``1 + σ_PRNU·N``, float64 ``(rows, cols)``.
    col_gain
        Per-column gain factor ``1 + σ_gain·N``, float64 ``(cols,)``.
    offset
        Per-pixel additive offset (DSNU + column offset), float64 ``(rows, cols)``, e⁻.
    params
        float64 ``(N_PARAMS,)`` indexed by the ``P_*`` constants.
    seed
        uint64 frame seed; row r draws from ``(seed, STREAM_FRAME, r)``.
    electrons, volts
        float32 ``(rows, cols)`` outputs, e⁻ and V.
    digital
        uint16 ``(rows, cols)`` output, DN.
    """
    rows, cols = mean_e.shape
    dark = params[P_DARK]
    shot = params[P_SHOT] != 0.0
    read = params[P_READ]
    full_well = params[P_FULL_WELL]
    volts_per_e = params[P_VOLTS_PER_E]
    v_offset = params[P_OFFSET]
    swing = params[P_SWING]
    levels = params[P_LEVELS]
    top = int(levels) - 1
    for i in nb.prange(rows):
        state = np.empty(4, dtype=np.uint64)
        spare = np.zeros(2, dtype=np.float64)
        seed_row(state, seed, STREAM_FRAME, i)
        for j in range(cols):
            lam = mean_e[i, j] * prnu[i, j]
            if lam < 0.0:
                lam = 0.0
            if shot:
                q = poisson(state, lam + dark)
            else:
                q = lam + poisson(state, dark)
            if q > full_well:
                q = full_well
            s = q * col_gain[j] + offset[i, j]
            if read > 0.0:
                s += read * normal(state, spare)
            electrons[i, j] = s
            v = s * volts_per_e + v_offset
            if v < 0.0:
                v = 0.0
            elif v > swing:
                v = swing
            volts[i, j] = v
            if levels > 0.0:
                dn = int(math.floor(v / swing * levels + 0.5))
                if dn > top:
                    dn = top
                digital[i, j] = dn
