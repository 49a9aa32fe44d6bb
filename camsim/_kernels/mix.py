"""
Mix kernel — a channels-last cube from a few planes and a small mixing matrix
============================================================================

Private numba kernel behind the factored spectral path of :meth:`camsim.Optics.form_image`
(``method='basis'`` where the OTF stack is of low rank over wavelength): the cube
``out[p, λ] = Σ_j planes[j, p]·mix[j, λ]`` written channels-last, with the minimum and
maximum of every column gathered in the same pass. A BLAS product does the arithmetic as
fast but its spinning threads slow down by several times when another process holds a
core, and the column extrema would cost a second pass over the cube.

The caller validates shapes and dtypes; the kernel trusts its input. Its NumPy twin is
``planes.T @ mix`` with ``out.min(axis=0)``, ``out.max(axis=0)`` (tested).
"""

from __future__ import annotations

import numba as nb
import numpy as np

from .twin import twin

__all__ = ["mix_planes"]

_BLOCK = 4096  # pixels per parallel job


def mix_planes(planes, mix):
    """
    ``(planes.T @ mix, column minima, column maxima)``.

    Parameters
    ----------
    planes
        float32 ``(J, n_pix)``, C-contiguous.
    mix
        float32 ``(J, k)``.

    Returns
    -------
    tuple
        float32 ``(n_pix, k)`` C-contiguous, and float64 ``(k,)`` minima and maxima.
    """
    n_j, n_pix = planes.shape
    k = mix.shape[1]
    out = np.empty((n_pix, k), dtype=np.float32)
    n_blocks = -(-n_pix // _BLOCK)
    lo = np.full((n_blocks, k), np.inf, dtype=np.float32)
    hi = np.full((n_blocks, k), -np.inf, dtype=np.float32)
    _mix.pick(n_pix * k * n_j)(planes, mix, out, lo, hi)
    return out, lo.min(axis=0).astype(np.float64), hi.max(axis=0).astype(np.float64)


@twin("mix_planes")
def _mix(planes, mix, out, lo, hi):
    """:func:`mix_planes`, one block of pixels per ``prange`` iteration."""
    for b in nb.prange(lo.shape[0]):
        _mix_block(b, planes, mix, out, lo, hi)


@nb.njit(cache=True)
def _mix_block(b, planes, mix, out, lo, hi):
    """Pixels ``b·_BLOCK`` … of :func:`mix_planes`; ``lo[b]``, ``hi[b]`` get the block's column extrema."""
    n_j, n_pix = planes.shape
    k = mix.shape[1]
    start = b * _BLOCK
    stop = min(start + _BLOCK, n_pix)
    for p in range(start, stop):
        row = out[p]
        for c in range(k):
            row[c] = 0.0
        for j in range(n_j):
            v = planes[j, p]
            for c in range(k):
                row[c] += v * mix[j, c]
        for c in range(k):
            if row[c] < lo[b, c]:
                lo[b, c] = row[c]
            if row[c] > hi[b, c]:
                hi[b, c] = row[c]
