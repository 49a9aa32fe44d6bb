"""
Demosaic kernels — Bayer CFA sampling, bilinear and Malvar–He–Cutler interpolation
==================================================================================

Private numba kernels behind :func:`camsim.demosaic.demosaic` and
:func:`camsim.demosaic.mosaic`. The public wrappers check shape, dtype (float32,
C-contiguous), finiteness and the layout first; the kernels trust their input.

The layout is passed as ``cfa``, an ``(2, 2)`` int8 array of channel indices
(0 = R, 1 = G, 2 = B): the filter at pixel ``(i, j)`` is ``cfa[i % 2, j % 2]``. Every
kernel assumes a Bayer layout (the two greens on a diagonal of the 2×2 tile), which
holds for ``rggb``, ``grbg``, ``gbrg`` and ``bggr``.

Boundaries are handled by whole-sample symmetric reflection ("mirror": index −1 reads
index 1, index ``n`` reads ``n − 2``), ISETCam ``ieBilinear``'s convention. Because the
period of that reflection is even, a reflected sample always has the CFA colour of
the virtual position it stands for, so the interior formulas stay valid up to the
edge.

Each kernel has a NumPy twin (generic masked convolutions) in
``tests/camsim/reference_demosaic.py``.

References
----------
- Malvar, H. S., He, L.-W. & Cutler, R. (2004). High-quality linear interpolation for
  demosaicing of Bayer-patterned color images. *Proc. IEEE ICASSP 2004*, vol. 3,
  pp. iii-485–488.
- ISETCam ``ieBilinear``, ``Demosaic`` (bilinear, the ISETCam default).
"""

from __future__ import annotations

import numba as nb
import numpy as np

__all__ = ["SERIAL_MAX_PIXELS", "mirror_index", "pad_mirror", "mosaic", "bilinear", "malvar"]

SERIAL_MAX_PIXELS = 1 << 15  # smaller mosaics run on the calling thread (see camsim._kernels.noise)


@nb.njit(cache=True)
def mirror_index(i, n):
    """Index ``i`` reflected into ``[0, n)`` without repeating the edge sample."""
    if n == 1:
        return 0
    period = 2 * (n - 1)
    i = i % period  # Python semantics: non-negative for a positive period
    if i >= n:
        i = period - i
    return i


@nb.njit(cache=True)
def _pad_row(m, p, out, ii):
    rows, cols = m.shape
    si = mirror_index(ii - p, rows)
    out[ii, p:p + cols] = m[si, :]
    for jj in range(p):  # only the 2p border columns need the reflection
        out[ii, jj] = m[si, mirror_index(jj - p, cols)]
        out[ii, p + cols + jj] = m[si, mirror_index(cols + jj, cols)]


@nb.njit(cache=True, parallel=True)
def _pad_parallel(m, p, out):
    for ii in nb.prange(out.shape[0]):
        _pad_row(m, p, out, ii)


@nb.njit(cache=True)
def _pad_serial(m, p, out):
    for ii in range(out.shape[0]):
        _pad_row(m, p, out, ii)


def pad_mirror(m, p):
    """Copy of the 2-D array ``m`` extended by ``p`` samples on every side (mirror)."""
    rows, cols = m.shape
    out = np.empty((rows + 2 * p, cols + 2 * p), dtype=m.dtype)
    (_pad_serial if rows * cols < SERIAL_MAX_PIXELS else _pad_parallel)(m, p, out)
    return out


@nb.njit(cache=True, parallel=True)
def mosaic(rgb, cfa):
    """Sample ``rgb`` (rows, cols, 3) through the layout ``cfa`` → (rows, cols)."""
    rows, cols, _ = rgb.shape
    out = np.empty((rows, cols), dtype=rgb.dtype)
    for i in nb.prange(rows):
        for j in range(cols):
            out[i, j] = rgb[i, j, cfa[i & 1, j & 1]]
    return out


@nb.njit(cache=True)
def _bilinear_row(p, cfa, out, i):
    cols = out.shape[1]
    pi = i + 1
    for j in range(cols):
        pj = j + 1
        c = cfa[i & 1, j & 1]
        v = p[pi, pj]
        if c == 1:
            # Green site: one colour left/right, the other above/below.
            ch = cfa[i & 1, (j + 1) & 1]
            cv = cfa[(i + 1) & 1, j & 1]
            out[i, j, 1] = v
            out[i, j, ch] = np.float32(0.5) * (p[pi, pj - 1] + p[pi, pj + 1])
            out[i, j, cv] = np.float32(0.5) * (p[pi - 1, pj] + p[pi + 1, pj])
        else:
            # Red or blue site: green on the 4-neighbours, the other colour on
            # the diagonals.
            out[i, j, c] = v
            out[i, j, 1] = np.float32(0.25) * (p[pi - 1, pj] + p[pi + 1, pj] + p[pi, pj - 1] + p[pi, pj + 1])
            out[i, j, 2 - c] = np.float32(0.25) * (
                p[pi - 1, pj - 1] + p[pi - 1, pj + 1] + p[pi + 1, pj - 1] + p[pi + 1, pj + 1])


@nb.njit(cache=True, parallel=True)
def _bilinear_parallel(p, cfa, out):
    for i in nb.prange(out.shape[0]):
        _bilinear_row(p, cfa, out, i)


@nb.njit(cache=True)
def _bilinear_serial(p, cfa, out):
    for i in range(out.shape[0]):
        _bilinear_row(p, cfa, out, i)


def bilinear(m, cfa):
    """
    Bilinear demosaic (ISETCam ``ieBilinear``) of a float32 Bayer mosaic ``m``.

    Equivalent to convolving each masked channel with ``[[0,1,0],[1,4,1],[0,1,0]]/4``
    (green) or ``[[1,2,1],[2,4,2],[1,2,1]]/4`` (red, blue); written per site so that
    each output sample costs at most four additions.
    """
    rows, cols = m.shape
    p = pad_mirror(m, 1)
    out = np.empty((rows, cols, 3), dtype=np.float32)
    (_bilinear_serial if rows * cols < SERIAL_MAX_PIXELS else _bilinear_parallel)(p, cfa, out)
    return out


@nb.njit(cache=True)
def _malvar_row(p, cfa, out, i):
    cols = out.shape[1]
    eighth = np.float32(0.125)
    pi = i + 2
    for j in range(cols):
        pj = j + 2
        c = cfa[i & 1, j & 1]
        v = p[pi, pj]
        n1 = p[pi - 1, pj]
        s1 = p[pi + 1, pj]
        w1 = p[pi, pj - 1]
        e1 = p[pi, pj + 1]
        n2 = p[pi - 2, pj]
        s2 = p[pi + 2, pj]
        w2 = p[pi, pj - 2]
        e2 = p[pi, pj + 2]
        diag = p[pi - 1, pj - 1] + p[pi - 1, pj + 1] + p[pi + 1, pj - 1] + p[pi + 1, pj + 1]
        if c == 1:
            ch = cfa[i & 1, (j + 1) & 1]
            cv = cfa[(i + 1) & 1, j & 1]
            out[i, j, 1] = v
            out[i, j, ch] = eighth * (np.float32(5.0) * v + np.float32(4.0) * (w1 + e1) - (w2 + e2) - diag
                                      + np.float32(0.5) * (n2 + s2))
            out[i, j, cv] = eighth * (np.float32(5.0) * v + np.float32(4.0) * (n1 + s1) - (n2 + s2) - diag
                                      + np.float32(0.5) * (w2 + e2))
        else:
            axial2 = n2 + s2 + w2 + e2
            out[i, j, c] = v
            out[i, j, 1] = eighth * (np.float32(4.0) * v + np.float32(2.0) * (n1 + s1 + w1 + e1) - axial2)
            out[i, j, 2 - c] = eighth * (np.float32(6.0) * v + np.float32(2.0) * diag - np.float32(1.5) * axial2)


@nb.njit(cache=True, parallel=True)
def _malvar_parallel(p, cfa, out):
    for i in nb.prange(out.shape[0]):
        _malvar_row(p, cfa, out, i)


@nb.njit(cache=True)
def _malvar_serial(p, cfa, out):
    for i in range(out.shape[0]):
        _malvar_row(p, cfa, out, i)


def malvar(m, cfa):
    """
    Malvar–He–Cutler (2004) gradient-corrected linear demosaic of a float32 Bayer
    mosaic ``m``. The 5×5 filters of the paper (Fig. 2), in eighths, per site:

    * G at R/B: ``4·c + 2·(4-neighbours) − (axial ±2)``;
    * R/B at G, neighbours in the row: ``5·c + 4·(W+E) − (W2+E2) − (diagonals)
      + ½·(N2+S2)``; neighbours in the column: the transpose;
    * B at R or R at B: ``6·c + 2·(diagonals) − 1.5·(axial ±2)``.
    """
    rows, cols = m.shape
    p = pad_mirror(m, 2)
    out = np.empty((rows, cols, 3), dtype=np.float32)
    (_malvar_serial if rows * cols < SERIAL_MAX_PIXELS else _malvar_parallel)(p, cfa, out)
    return out
