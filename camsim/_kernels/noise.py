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
normal deviates come from the ziggurat method (see :func:`normal`). Poisson deviates are exact: below
:data:`POISSON_PTRS_THRESHOLD`, inversion of tabulated cdfs on a grid of means plus a
sequential-search inversion for the remainder of the mean (see :func:`poisson`);
Hörmann's PTRS transformed rejection at and above.

Each kernel has a plain-Python/NumPy twin in ``tests/camsim/reference_sensor.py``.

References
----------
- Hörmann, W. (1993). The transformed rejection method for generating Poisson
  random variables. *Insurance: Mathematics and Economics* 12(1), 39–45 (PTRS).
- Blackman, D. & Vigna, S. (2021). Scrambled linear pseudorandom number
  generators. *ACM Trans. Math. Softw.* 47(4) (xoshiro256**; splitmix64 seeding).
- Marsaglia, G. & Tsang, W. W. (2000). The ziggurat method for generating random
  variables. *J. Statistical Software* 5(8) (normal deviates).
- Marsaglia, G. (1964). Generating a variable from the tail of the normal
  distribution. *Technometrics* 6(1), 101–102.
- Devroye, L. (1986). *Non-Uniform Random Variate Generation*, §X.3 (Poisson by
  sequential-search inversion), §III.2.4 (guide tables), §X.1 (sums of Poisson
  variables).
- Chen, H.-C. & Asau, Y. (1974). On generating random variates from an empirical
  distribution. *AIIE Transactions* 6(2), 163–166 (guide tables).
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
    "POISSON_TABLE_STEP",
    "POISSON_TABLE_COUNTS",
    "POISSON_GUIDE_CELLS",
    "POISSON_LOG_FACTORIALS",
    "ZIGGURAT_LAYERS",
    "ZIGGURAT_R",
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
POISSON_TABLE_STEP = 0.125  # spacing of the tabulated means below the threshold, e⁻ (a power of two)
POISSON_TABLE_COUNTS = 48  # counts tabulated per mean; P(Poisson(10) ≥ 48) < 1e-17
POISSON_GUIDE_CELLS = 32  # guide-table cells per tabulated mean (a power of two)
POISSON_LOG_FACTORIALS = 1 << 14  # log k! tabulated for k below this (PTRS)
ZIGGURAT_LAYERS = 256  # layers of the normal ziggurat (Marsaglia & Tsang 2000)
ZIGGURAT_R = 3.654152885361009  # start of its tail: 256 equal areas close at x = 0 (tested)

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
_LAYER_MASK = np.uint64(0xFF)  # bits 0-7 of a draw: the ziggurat layer
_SIGN_BIT = np.uint64(0x100)  # bit 8: the sign (bits 11-63 give the uniform)


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


def _ziggurat_tables():
    """
    (x, f) of the ziggurat (see :func:`normal`): ``x[0] = v / f(r)``, ``x[1] = r``,
    ``x[i + 1] = f⁻¹(f(x[i]) + v / x[i])``, ``x[ZIGGURAT_LAYERS] = 0``; ``f[i] = exp(−x[i]²/2)``
    (``f[0] = 0``: the base strip reaches the axis), computed in Python floats.
    """
    r = ZIGGURAT_R
    v = r * math.exp(-0.5 * r * r) + math.sqrt(0.5 * math.pi) * math.erfc(r / math.sqrt(2.0))
    x = np.zeros(ZIGGURAT_LAYERS + 1)
    x[0] = v / math.exp(-0.5 * r * r)
    x[1] = r
    for i in range(1, ZIGGURAT_LAYERS - 1):
        x[i + 1] = math.sqrt(-2.0 * math.log(math.exp(-0.5 * x[i] * x[i]) + v / x[i]))
    f = np.array([math.exp(-0.5 * t * t) for t in x])
    f[0] = 0.0
    return x, f


_ZIG_X, _ZIG_F = _ziggurat_tables()


@nb.njit(cache=True)
def _normal_tail(st):
    """(deviate of the standard normal beyond :data:`ZIGGURAT_R`, state): Marsaglia (1964)."""
    while True:
        u, st = _uniform(st)
        w, st = _uniform(st)
        a = -math.log(u) / ZIGGURAT_R
        b = -math.log(w)
        if 2.0 * b > a * a:
            return ZIGGURAT_R + a, st


@nb.njit(cache=True, inline="always")
def _normal(st):
    """(standard normal, state): the ziggurat (Marsaglia & Tsang 2000); see :func:`normal`."""
    while True:
        r, st = _next(st)
        i = int(r & _LAYER_MASK)
        negative = (r & _SIGN_BIT) != 0
        x = (float(np.int64(r >> _SH11)) + 0.5) * _TWO_M53 * _ZIG_X[i]
        if x < _ZIG_X[i + 1]:  # inside the layer's rectangle: 98.5 % of draws
            break
        if i == 0:
            x, st = _normal_tail(st)
            break
        u, st = _uniform(st)
        if _ZIG_F[i] + u * (_ZIG_F[i + 1] - _ZIG_F[i]) < math.exp(-0.5 * x * x):  # under the curve
            break
    return -x if negative else x, st


def _poisson_tables():
    """
    (cdf, guide) of the table-driven inversion (see :func:`poisson`), built in Python floats.

    ``cdf[j, k]`` = P(Poisson(j·h) ≤ k) for the grid means ``j·h`` (h = :data:`POISSON_TABLE_STEP`,
    ``j·h`` < :data:`POISSON_PTRS_THRESHOLD`), k < :data:`POISSON_TABLE_COUNTS`, summed in order
    from the pmf recursion ``p_k = p_{k−1}·λ/k``, ``p_0 = e^−λ``;
    ``guide[j, m]`` = the smallest k with ``cdf[j, k] ≥ m / POISSON_GUIDE_CELLS``.
    """
    n_grid = int(POISSON_PTRS_THRESHOLD / POISSON_TABLE_STEP)
    cdf = np.ones((n_grid, POISSON_TABLE_COUNTS))
    guide = np.zeros((n_grid, POISSON_GUIDE_CELLS), dtype=np.int64)
    for j in range(1, n_grid):
        lam = j * POISSON_TABLE_STEP
        p = math.exp(-lam)
        c = p
        for k in range(POISSON_TABLE_COUNTS):
            if k > 0:
                p *= lam / k
                c += p
            cdf[j, k] = c
        for m in range(POISSON_GUIDE_CELLS):
            guide[j, m] = min(int(np.searchsorted(cdf[j], m / POISSON_GUIDE_CELLS)), POISSON_TABLE_COUNTS - 1)
    return cdf, guide


_POISSON_CDF, _POISSON_GUIDE = _poisson_tables()
# log k! for the PTRS acceptance test (Python's lgamma; numba's libm lgamma beyond the table).
_LOG_FACTORIAL = np.array([math.lgamma(k + 1.0) for k in range(POISSON_LOG_FACTORIALS)])


@nb.njit(cache=True)
def _poisson_search(u, k, p, cdf, lam):
    """Continue the sequential search from count ``k`` (pmf ``p``, cdf ``cdf``) until ``u ≤ cdf``."""
    while u > cdf and p > 0.0:
        k += 1
        p *= lam / k
        cdf += p
    return k


@nb.njit(cache=True, inline="always")
def _poisson_small(st, lam):
    """(Poisson deviate of mean 0 < ``lam`` < :data:`POISSON_PTRS_THRESHOLD`, state); see :func:`poisson`."""
    j = int(lam * (1.0 / POISSON_TABLE_STEP))  # exact: the step is a power of two
    lam_g = j * POISSON_TABLE_STEP
    delta = lam - lam_g  # exact (Sterbenz), in [0, step)
    u, st = _uniform(st)
    k = _POISSON_GUIDE[j, int(u * POISSON_GUIDE_CELLS)]
    last = POISSON_TABLE_COUNTS - 1
    while k < last and u > _POISSON_CDF[j, k]:
        k += 1
    if u > _POISSON_CDF[j, k]:  # beyond the table (probability < 1e-17): the recursion goes on
        p = math.exp(-lam_g + last * math.log(lam_g) - math.lgamma(last + 1.0))
        k = _poisson_search(u, k, p, _POISSON_CDF[j, k], lam_g)
    if delta > 0.0:
        u, st = _uniform(st)
        if u > 1.0 - delta:  # else 0 extra counts: u ≤ 1 − δ ≤ e^−δ = P(0)
            p = math.exp(-delta)
            k += _poisson_search(u, 0, p, p, delta)
    return float(k), st


@nb.njit(cache=True, inline="always")
def _poisson(st, lam):
    """(exact Poisson deviate of mean ``lam`` as float64, state); see :func:`poisson`."""
    if not lam > 0.0:
        return 0.0, st
    if lam < POISSON_PTRS_THRESHOLD:
        return _poisson_small(st, lam)
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
        # Only the ~24 % of draws that miss the acceptance box need these.
        inv_alpha = 1.1239 + 1.1328 / (b - 3.4)
        n = int(k)
        log_fact = _LOG_FACTORIAL[n] if n < POISSON_LOG_FACTORIALS else math.lgamma(k + 1.0)
        if math.log(v * inv_alpha / (a / (us * us) + b)) <= -lam + k * math.log(lam) - log_fact:
            return float(k), st


@nb.njit(cache=True)
def next_u64(state):
    """Next 64-bit output of xoshiro256** (advances ``state`` in place)."""
    r, st = _next((state[0], state[1], state[2], state[3]))
    for k in range(4):
        state[k] = st[k]
    return r


@nb.njit(cache=True)
def normal(state):
    """
    Standard normal deviate by the ziggurat method (Marsaglia & Tsang 2000).

    The density's right half is covered by :data:`ZIGGURAT_LAYERS` horizontal strips of
    equal area: a rectangle ``[0, x[i]] × [f(x[i]), f(x[i+1])]`` per layer and, for the
    base, ``[0, r] × [0, f(r)]`` plus the tail beyond ``r`` (:data:`ZIGGURAT_R`). One
    64-bit draw gives the layer (bits 0–7), the sign (bit 8) and a uniform ``u`` (bits
    11–63); ``x = u·x[i]`` is accepted at once when ``x < x[i+1]``; otherwise the base
    samples the tail (Marsaglia 1964, two uniforms per try) and the other layers
    accept ``x`` if a uniform height in the layer's wedge lies under
    ``exp(−x²/2)``, else draw again. Exact: every accepted x has the normal density.
    """
    z, st = _normal((state[0], state[1], state[2], state[3]))
    for k in range(4):
        state[k] = st[k]
    return z


@nb.njit(cache=True)
def poisson(state, lam):
    """
    Exact Poisson deviate of mean ``lam`` (returned as float64).

    ``lam <= 0`` returns 0 without consuming random numbers. Below
    :data:`POISSON_PTRS_THRESHOLD`, ``lam = λ_g + δ`` with ``λ_g`` the tabulated mean
    below it (a multiple of :data:`POISSON_TABLE_STEP`) and the deviate is the sum of two
    independent ones (Poisson means add): Poisson(λ_g) by inversion of its tabulated
    cdf — one uniform, a guide table (Chen & Asau 1974) picks where the search starts,
    so it takes one or two comparisons — and Poisson(δ), δ < step, by sequential-search
    inversion of a second uniform u, which stops at once when ``u ≤ 1 − δ`` (a lower
    bound of its P(0) = e^−δ), so ``exp`` runs for fewer than δ of the draws. At and
    above the threshold, Hörmann's PTRS: a transformed-rejection proposal from a hat
    built on the inverse of a Cauchy-like transformation, with a quick acceptance box
    and an exact log-density test (log k! tabulated below
    :data:`POISSON_LOG_FACTORIALS`).
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
    for j in range(out.shape[1]):
        z, st = _normal(st)
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
    """Row ``i`` of :func:`readout`: charge (with its temporal noise, if any) → volts → ADC."""
    signal = np.empty(mean_e.shape[1], dtype=np.float64)  # s of this row, e⁻; then V
    if params.shot or params.dark > 0.0 or params.read > 0.0:
        _noisy_charge_row(i, mean_e, prnu, col_gain, offset, params, seed, signal)
    else:  # no random numbers are drawn at all
        _quiet_charge_row(i, mean_e, prnu, col_gain, offset, params.full_well, signal)
    _volts_row(i, signal, params, electrons, volts)
    if params.levels > 0.0:
        _adc_row(i, signal, params, digital)


@nb.njit(cache=True, inline="always")
def _noisy_charge_row(i, mean_e, prnu, col_gain, offset, params, seed, signal):
    """Charge, shot/dark Poisson and read noise of row ``i``, sequential in the row's random stream."""
    dark, shot, read, full_well = params.dark, params.shot, params.read, params.full_well
    noisy_read = read > 0.0
    st = _seed(seed, STREAM_FRAME, i)
    for j in range(mean_e.shape[1]):
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
            z, st = _normal(st)
            s += read * z
        signal[j] = s


@nb.njit(cache=True, inline="always")
def _quiet_charge_row(i, mean_e, prnu, col_gain, offset, full_well, signal):
    """Noise-free charge of row ``i``: the same arithmetic without the generator (so it vectorises)."""
    for j in range(mean_e.shape[1]):
        lam = mean_e[i, j] * prnu[i, j]
        if lam < 0.0:
            lam = 0.0
        q = lam + 0.0
        if q > full_well:
            q = full_well
        signal[j] = q * col_gain[j] + offset[i, j]


@nb.njit(cache=True, inline="always")
def _volts_row(i, signal, params, electrons, volts):
    """Electrons and volts of row ``i``; ``signal`` then holds the volts for the ADC (vectorises)."""
    volts_per_e, v_offset, swing = params.volts_per_e, params.offset, params.swing
    for j in range(signal.shape[0]):
        s = signal[j]
        electrons[i, j] = s
        v = s * volts_per_e + v_offset
        if v < 0.0:
            v = 0.0
        elif v > swing:
            v = swing
        volts[i, j] = v
        signal[j] = v


@nb.njit(cache=True, inline="always")
def _adc_row(i, signal, params, digital):
    """Digital numbers of row ``i`` from its volts: round(V / swing · levels), at most levels − 1."""
    swing, levels = params.swing, params.levels
    top = float(int(levels) - 1)
    for j in range(signal.shape[0]):
        dn = math.floor(signal[j] / swing * levels + 0.5)
        if dn > top:
            dn = top
        digital[i, j] = np.uint16(dn)
