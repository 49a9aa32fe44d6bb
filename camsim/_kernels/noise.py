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
from typing import NamedTuple

import numba as nb
import numpy as np

from .twin import twin

__all__ = [
    "POISSON_PTRS_THRESHOLD",
    "STREAM_FRAME",
    "STREAM_PRNU",
    "STREAM_DSNU",
    "STREAM_COLUMN_OFFSET",
    "STREAM_COLUMN_GAIN",
    "ReadoutParams",
    "seed_row",
    "next_u64",
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


class ReadoutParams(NamedTuple):
    """Scalar parameters of :func:`readout` (numba passes a NamedTuple by value)."""

    dark: float  # mean dark electrons per pixel for this exposure (0 = dark current off), e⁻
    shot: bool  # True: photo-electrons are Poisson; False: photo-electrons are their mean
    read: float  # read noise σ, e⁻ rms (0 = off)
    full_well: float  # well capacity, e⁻
    volts_per_e: float  # conversion gain × analog gain, V/e⁻
    offset: float  # analog offset, V
    swing: float  # voltage swing, V
    levels: float  # 2**bits for a quantising ADC, 0 for an analog sensor

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
def _seed(seed, stream, row):
    """xoshiro256** state for ``(seed, stream, row)`` as a 4-tuple of uint64 (see :func:`seed_row`)."""
    h = _mix64(seed)
    h = _mix64(h ^ (np.uint64(stream) * _STREAM_KEY + _GOLDEN))
    h = _mix64(h ^ (np.uint64(row) * _ROW_KEY + _GOLDEN))
    h = h + _GOLDEN
    s0 = _mix64(h)
    h = h + _GOLDEN
    s1 = _mix64(h)
    h = h + _GOLDEN
    s2 = _mix64(h)
    h = h + _GOLDEN
    s3 = _mix64(h)
    if s0 == 0 and s1 == 0 and s2 == 0 and s3 == 0:  # pragma: no cover
        s0 = _U1
    return (s0, s1, s2, s3)


@nb.njit(cache=True)
def seed_row(state, seed, stream, row):
    """
    Fill the 4-word xoshiro256** ``state`` (uint64 array) for ``(seed, stream, row)``.

    ``seed`` is a uint64; ``stream`` and ``row`` are non-negative integers. The key is
    hashed with the splitmix64 finaliser, then four splitmix64 outputs seed the state.
    """
    st = _seed(seed, stream, row)
    for k in range(4):
        state[k] = st[k]


# The generators below carry the xoshiro256** state as a tuple of four uint64 values
# (returned with each result) rather than in an array, so that it lives in registers
# inside the kernels' pixel loops; the array-state functions are thin wrappers with
# the same streams, number for number.

@nb.njit(cache=True)
def _next(st):
    """(next 64-bit output, advanced state) of xoshiro256**."""
    s0, s1, s2, s3 = st
    x = s1 * _U5
    result = ((x << _SH7) | (x >> _SH57)) * _U9
    t = s1 << _SH17
    s2 ^= s0
    s3 ^= s1
    s1 ^= s2
    s0 ^= s3
    s2 ^= t
    s3 = (s3 << _SH45) | (s3 >> _SH19)
    return result, (s0, s1, s2, s3)


@nb.njit(cache=True)
def _uniform(st):
    """(uniform double in (0, 1), advanced state): (top 53 bits + 0.5)·2⁻⁵³."""
    r, st = _next(st)
    # The top 53 bits fit an int64, whose conversion to double is one instruction
    # (uint64 → double is several); the value is the same.
    return (float(np.int64(r >> _SH11)) + 0.5) * _TWO_M53, st


@nb.njit(cache=True)
def _normal(st, spare, has_spare):
    """(standard normal, state, spare, has_spare): Marsaglia's polar method, second deviate kept."""
    if has_spare:
        return spare, st, 0.0, False
    while True:
        u, st = _uniform(st)
        v, st = _uniform(st)
        u = 2.0 * u - 1.0
        v = 2.0 * v - 1.0
        s = u * u + v * v
        if 0.0 < s < 1.0:
            break
    f = math.sqrt(-2.0 * math.log(s) / s)
    return u * f, st, v * f, True


@nb.njit(cache=True)
def _poisson(st, lam):
    """(exact Poisson deviate of mean ``lam`` as float64, state); see :func:`poisson`."""
    if not lam > 0.0:
        return 0.0, st
    if lam < POISSON_PTRS_THRESHOLD:
        # inversion by sequential search: one uniform, F accumulates the cdf
        u, st = _uniform(st)
        k = 0
        p = math.exp(-lam)
        cdf = p
        while u > cdf and p > 0.0:
            k += 1
            p *= lam / k
            cdf += p
        return float(k), st
    slam = math.sqrt(lam)
    b = 0.931 + 2.53 * slam
    a = -0.059 + 0.02483 * b
    v_r = 0.9277 - 3.6224 / (b - 2.0)
    while True:
        u, st = _uniform(st)
        u = u - 0.5
        v, st = _uniform(st)
        us = 0.5 - abs(u)
        k = math.floor((2.0 * a / us + b) * u + lam + 0.43)
        if us >= 0.07 and v <= v_r:
            return float(k), st
        if k < 0 or (us < 0.013 and v > us):
            continue
        # Only the ~10 % of draws that miss the acceptance box need these.
        inv_alpha = 1.1239 + 1.1328 / (b - 3.4)
        loglam = math.log(lam)
        if (math.log(v) + math.log(inv_alpha) - math.log(a / (us * us) + b)
                <= -lam + k * loglam - math.lgamma(k + 1.0)):
            return float(k), st


@nb.njit(cache=True)
def next_u64(state):
    """Next 64-bit output of xoshiro256** (advances ``state`` in place)."""
    r, st = _next((state[0], state[1], state[2], state[3]))
    for k in range(4):
        state[k] = st[k]
    return r


@nb.njit(cache=True)
def normal(state, spare):
    """
    Standard normal deviate by Marsaglia's polar method.

    ``spare`` is a float64 array of 2 per generator: ``spare[1] != 0`` means
    ``spare[0]`` holds the unused second deviate of the last pair.
    """
    z, st, sp, has = _normal((state[0], state[1], state[2], state[3]), spare[0], spare[1] != 0.0)
    for k in range(4):
        state[k] = st[k]
    spare[0] = sp
    spare[1] = 1.0 if has else 0.0
    return z


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
    k, st = _poisson((state[0], state[1], state[2], state[3]), lam)
    for i in range(4):
        state[i] = st[i]
    return k


def normal_field(seed, stream, rows, cols):
    """Standard normal deviates, float64 ``(rows, cols)``, row r from ``(seed, stream, r)``."""
    out = np.empty((rows, cols), dtype=np.float64)
    _normal_field.pick(rows * cols)(seed, stream, out)
    return out


@twin("normal_field")
def _normal_field(seed, stream, out):
    """:func:`normal_field` into ``out``, one row per ``prange`` iteration."""
    for i in nb.prange(out.shape[0]):
        _normal_row(seed, stream, i, out)


@nb.njit(cache=True)
def _normal_row(seed, stream, i, out):
    """Row ``i`` of :func:`normal_field`."""
    st = _seed(seed, stream, i)
    spare = 0.0
    has_spare = False
    for j in range(out.shape[1]):
        z, st, spare, has_spare = _normal(st, spare, has_spare)
        out[i, j] = z


@nb.njit(cache=True, parallel=True)
def poisson_field(lam, seed, stream):
    """Poisson deviates of means ``lam`` (float64 ``(rows, cols)``), row r from ``(seed, stream, r)``."""
    rows, cols = lam.shape
    out = np.empty((rows, cols), dtype=np.float64)
    for i in nb.prange(rows):
        st = _seed(seed, stream, i)
        for j in range(cols):
            k, st = _poisson(st, lam[i, j])
            out[i, j] = k
    return out


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
        Per-pixel response factor ``1 + σ_PRNU·N``, float64 ``(rows, cols)``. A
        read-only broadcast view (``np.broadcast_to(1.0, shape)``) is accepted and
        costs no memory traffic.
    col_gain
        Per-column gain factor ``1 + σ_gain·N``, float64 ``(cols,)``.
    offset
        Per-pixel additive offset (DSNU + column offset), float64 ``(rows, cols)``, e⁻
        (a broadcast view is accepted too).
    params
        :class:`ReadoutParams`.
    seed
        uint64 frame seed; row r draws from ``(seed, STREAM_FRAME, r)``.
    electrons, volts
        float32 ``(rows, cols)`` outputs, e⁻ and V.
    digital
        uint16 ``(rows, cols)`` output, DN.

    Notes
    -----
    Frames below :data:`camsim.threads.PARALLEL_MIN_NS` of work (cost per pixel in
    :data:`camsim._kernels.twin.NS_PER_ITEM`) run on the calling thread: a parallel
    region costs microseconds on an idle machine but milliseconds when another
    process holds a core (the region waits for a thread that is not scheduled),
    which is far more than the work. Results do not depend on the choice. Each row
    runs in two steps: the charge and read-noise draws, sequential in the row's
    random stream (the generator state is a local tuple, kept in registers),
    into a float64 row buffer; then volts and DN in loops without random numbers,
    which the compiler vectorises. With every temporal noise term off, the first
    step draws nothing and vectorises too. Every path performs the same
    floating-point operations in the same order as a single per-pixel loop (and as
    the Python twin in ``tests/camsim/reference_sensor.py``), so results are
    identical, number for number.
    """
    rows, cols = mean_e.shape
    _readout.pick(rows * cols)(mean_e, prnu, col_gain, offset, params, seed, electrons, volts, digital)


@twin("readout")
def _readout(mean_e, prnu, col_gain, offset, params, seed, electrons, volts, digital):
    """:func:`readout`, one row per ``prange`` iteration."""
    for i in nb.prange(mean_e.shape[0]):
        _readout_row(i, mean_e, prnu, col_gain, offset, params, seed, electrons, volts, digital)


@nb.njit(cache=True)
def _readout_row(i, mean_e, prnu, col_gain, offset, params, seed, electrons, volts, digital):
    """Row ``i`` of :func:`readout`."""
    cols = mean_e.shape[1]
    dark = params.dark
    shot = params.shot
    read = params.read
    full_well = params.full_well
    volts_per_e = params.volts_per_e
    v_offset = params.offset
    swing = params.swing
    levels = params.levels
    quantise = levels > 0.0
    noisy_read = read > 0.0
    random = shot or dark > 0.0 or noisy_read  # False: no random numbers are drawn at all
    top = float(int(levels) - 1)
    signal = np.empty(cols, dtype=np.float64)  # s of this row, e⁻
    if random:
        # Charge and read noise: sequential in the row's random stream.
        st = _seed(seed, STREAM_FRAME, i)
        spare = 0.0
        has_spare = False
        for j in range(cols):
            lam = mean_e[i, j] * prnu[i, j]
            if lam < 0.0:
                lam = 0.0
            if shot:
                q, st = _poisson(st, lam + dark)
            else:
                k, st = _poisson(st, dark)
                q = lam + k
            if q > full_well:
                q = full_well
            s = q * col_gain[j] + offset[i, j]
            if noisy_read:
                z, st, spare, has_spare = _normal(st, spare, has_spare)
                s += read * z
            signal[j] = s
    else:
        # Noise-free: the same arithmetic, without the generator (so it vectorises).
        for j in range(cols):
            lam = mean_e[i, j] * prnu[i, j]
            if lam < 0.0:
                lam = 0.0
            q = lam + 0.0
            if q > full_well:
                q = full_well
            signal[j] = q * col_gain[j] + offset[i, j]
    # Volts and ADC: no random numbers, so these loops vectorise.
    for j in range(cols):
        s = signal[j]
        electrons[i, j] = s
        v = s * volts_per_e + v_offset
        if v < 0.0:
            v = 0.0
        elif v > swing:
            v = swing
        volts[i, j] = v
        signal[j] = v  # the buffer now holds V for the ADC
    if quantise:
        for j in range(cols):
            dn = math.floor(signal[j] / swing * levels + 0.5)
            if dn > top:
                dn = top
            digital[i, j] = np.uint16(dn)
