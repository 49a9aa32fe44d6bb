"""
ISP kernels — raw normalisation and the fused colour pipeline
=============================================================

Private numba kernels behind :meth:`camsim.ISP.render`. The wrapper in
:mod:`camsim.isp` validates shapes, dtypes and parameters; nothing here checks input.
The public functions split the pixels into blocks for numba's threads, or run on the
calling thread unless :func:`camsim.threads.parallel` (a parallel region can cost
milliseconds when another process holds a core); results do not depend on the split.

:func:`normalise` is ``max((data − black) / (white − black), 0)`` in float32 with the
peak and a finiteness flag in the same pass. :func:`colour_pass` and
:func:`finish_pass` replace five full-image NumPy passes (matrix product, clip, second
matrix product, exposure scale, clip) and the sRGB transfer curve: the first pass
computes ``xyz = max(rgb @ A, 0)`` and the peak of ``xyz @ S`` (needed for the
exposure normalisation before anything is scaled); the second scales, clips and
encodes. The sRGB curve is read from :func:`srgb_table`, linear interpolation in a
table uniform in linear light with :data:`SRGB_TABLE_SIZE` intervals, whose largest
error against the IEC 61966-2-1 formula is below 2e-6 (tested).

NumPy twin: the step-by-step path that ``tests/camsim/test_isp_twin.py``
keeps as the reference; the kernels alone are checked in ``tests/camsim/test_kernels_isp.py``.

References
----------
- IEC 61966-2-1:1999 (sRGB transfer curve).
- ISETCam ``ipCompute``, ``imageLinearTransform``, ``displayRender``.
"""

from __future__ import annotations

from functools import lru_cache

import numba as nb
import numpy as np
from numpy.typing import NDArray

from ..colorimetry import srgb_encode
from ..threads import parallel
from .twin import NS_PER_ITEM, twin

__all__ = ["SRGB_TABLE_SIZE", "srgb_table", "normalise", "colour_pass", "finish_pass"]

# Intervals of the sRGB table. Linear interpolation errs by at most h²/8·|f''|; |f''| is
# largest just above the linear segment (≈ 2.4e3 at L = 0.0031308), so h = 2**-15
# gives < 3e-7, and the slope change at the kink adds < 2e-6.
SRGB_TABLE_SIZE = 1 << 15


@lru_cache(maxsize=1)
def srgb_table() -> NDArray[np.float32]:
    """
    The sRGB curve for :func:`finish_pass`, float32 ``(2, SRGB_TABLE_SIZE + 2)``: row 0
    the encoded values at ``L = k / SRGB_TABLE_SIZE`` (k = 0 … size, plus a guard entry),
    row 1 the step to the next entry (``row0[k + 1] − row0[k]`` in float32).
    """
    x = np.arange(SRGB_TABLE_SIZE + 2, dtype=np.float64) / SRGB_TABLE_SIZE
    x = np.minimum(x, 1.0)
    y = srgb_encode(x).astype(np.float32)  # x in float64: the formula, then rounded once
    out = np.zeros((2, y.size), dtype=np.float32)
    out[0] = y
    out[1, :-1] = y[1:] - y[:-1]
    out.setflags(write=False)
    return out


def normalise(data, black, span):
    """
    ``max((data − black) / span, 0)`` in float32, with its peak and a finiteness flag.

    Parameters
    ----------
    data
        float32 ``(rows, cols)``, C-contiguous, DN or V.
    black, span
        float32 black level and ``white − black`` (same unit as ``data``).

    Returns
    -------
    out : numpy.ndarray
        float32 ``(rows, cols)``; equal, sample for sample, to NumPy's
        ``np.maximum((d − black) / span, 0)`` in float32.
    peak : float
        Largest value of ``out``.
    finite : bool
        Whether every sample of ``data`` was finite.
    """
    flat = data.reshape(-1)
    out = np.empty_like(flat)
    n_blocks = _blocks(flat.size, "normalise")
    peaks = np.empty(n_blocks, dtype=np.float32)
    bad = np.empty(n_blocks, dtype=np.bool_)
    (_normalise.parallel if n_blocks > 1 else _normalise.serial)(flat, black, span, out, peaks, bad)
    return out.reshape(data.shape), float(peaks.max()), not bad.any()


def colour_pass(rgb, a, s, xyz):
    """
    ``xyz = max(rgb @ a, 0)`` per pixel; returns ``max(xyz @ s)`` (−inf for no pixels).

    ``rgb`` float32 ``(n, 3)``; ``a`` (gains × sensor→XYZ) and ``s`` (XYZ → linear
    sRGB) float32 ``(3, 3)``, row-vector convention; ``xyz`` float32 ``(n, 3)`` output.
    """
    n_blocks = _blocks(rgb.shape[0], "colour_pass")
    peaks = np.empty(n_blocks, dtype=np.float32)
    (_colour.parallel if n_blocks > 1 else _colour.serial)(rgb, a, s, xyz, peaks)
    return float(peaks.max())


def finish_pass(xyz, s, scale, table, linear, image):
    """
    Exposure scale, XYZ → linear sRGB, clip to [0, 1] and sRGB encoding, per pixel.

    ``linear = clip((xyz @ s) · scale, 0, 1)``; ``image`` = sRGB curve of ``linear``
    (linear interpolation in ``table`` from :func:`srgb_table`); ``xyz`` is scaled in
    place. All float32 ``(n, 3)``, C-contiguous; ``scale`` float32.
    """
    n_blocks = _blocks(xyz.shape[0], "finish_pass")
    (_finish.parallel if n_blocks > 1 else _finish.serial)(xyz, s, scale, table, linear, image, n_blocks)


def _blocks(n: int, cost: str) -> int:
    """Work blocks for ``n`` pixels: 1 (the calling thread) unless :func:`camsim.threads.parallel`."""
    if not parallel(n, NS_PER_ITEM[cost]):
        return 1
    return 4 * nb.get_num_threads()


@nb.njit(cache=True)
def _normalise_block(data, black, span, out, lo, hi):
    zero = np.float32(0.0)
    pk = zero
    bad = False
    for p in range(lo, hi):
        d = data[p]
        if not np.isfinite(d):
            bad = True
        v = (d - black) / span
        if v < zero:
            v = zero
        out[p] = v
        if v > pk:
            pk = v
    return pk, bad


@twin("normalise")
def _normalise(data, black, span, out, peaks, bad):
    """:func:`normalise` in ``peaks.size`` blocks (one per ``prange`` iteration)."""
    n_blocks = peaks.size
    for b in nb.prange(n_blocks):
        size = (data.size + n_blocks - 1) // n_blocks
        peaks[b], bad[b] = _normalise_block(data, black, span, out, b * size, min(data.size, (b + 1) * size))


@nb.njit(cache=True)
def _colour_block(rgb, a, s, xyz, lo, hi):
    zero = np.float32(0.0)
    pk = np.float32(-np.inf)
    for p in range(lo, hi):
        r = rgb[p, 0]
        g = rgb[p, 1]
        bl = rgb[p, 2]
        x = r * a[0, 0] + g * a[1, 0] + bl * a[2, 0]
        y = r * a[0, 1] + g * a[1, 1] + bl * a[2, 1]
        z = r * a[0, 2] + g * a[1, 2] + bl * a[2, 2]
        x = x if x > zero else zero
        y = y if y > zero else zero
        z = z if z > zero else zero
        xyz[p, 0] = x
        xyz[p, 1] = y
        xyz[p, 2] = z
        for c in range(3):
            v = x * s[0, c] + y * s[1, c] + z * s[2, c]
            if v > pk:
                pk = v
    return pk


@twin("colour_pass")
def _colour(rgb, a, s, xyz, peaks):
    """:func:`colour_pass` in ``peaks.size`` blocks (one per ``prange`` iteration)."""
    n = rgb.shape[0]
    n_blocks = peaks.size
    for b in nb.prange(n_blocks):
        size = (n + n_blocks - 1) // n_blocks
        peaks[b] = _colour_block(rgb, a, s, xyz, b * size, min(n, (b + 1) * size))


@nb.njit(cache=True)
def _finish_block(xyz, s, scale, table, linear, image, lo, hi):
    zero = np.float32(0.0)
    one = np.float32(1.0)
    for p in range(lo, hi):
        x = xyz[p, 0]
        y = xyz[p, 1]
        z = xyz[p, 2]
        for c in range(3):
            v = (x * s[0, c] + y * s[1, c] + z * s[2, c]) * scale
            if v < zero:
                v = zero
            elif v > one:
                v = one
            linear[p, c] = v
        xyz[p, 0] = x * scale
        xyz[p, 1] = y * scale
        xyz[p, 2] = z * scale
    # The curve in a loop of its own over the flat block (table gathers vectorise there).
    size = np.float32(table.shape[1] - 2)
    lin = linear.reshape(-1)
    img = image.reshape(-1)
    values = table[0]
    steps = table[1]
    for q in range(3 * lo, 3 * hi):
        t = lin[q] * size  # exact: size is a power of two
        k = np.int32(t)
        img[q] = values[k] + (t - np.float32(k)) * steps[k]


@twin("finish_pass")
def _finish(xyz, s, scale, table, linear, image, n_blocks):
    """:func:`finish_pass` in ``n_blocks`` blocks (one per ``prange`` iteration)."""
    n = xyz.shape[0]
    for b in nb.prange(n_blocks):
        size = (n + n_blocks - 1) // n_blocks
        _finish_block(xyz, s, scale, table, linear, image, b * size, min(n, (b + 1) * size))
