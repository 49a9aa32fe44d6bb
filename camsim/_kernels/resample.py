"""
Area resampling — exact box integration of a piecewise-constant image over apertures
====================================================================================

Private helpers behind :meth:`camsim.Sensor.expose`. An image of square cells of
side Δ, centred at ``(k + ½ − n/2)·Δ``, is integrated over output apertures of width
``a`` centred at ``(j + ½ − m/2)·p``. The integral is separable: with
``W[j, k]`` the overlap length (m) of aperture j with cell k along one axis,
``out = W_r @ image @ W_c.T`` (m², or e⁻/s when the image is in e⁻/(s·m²)). Each
aperture overlaps at most ``ceil(a/Δ) + 1`` consecutive cells, so W is stored as a
band: a start index per output sample and a fixed-width row of weights.

:func:`area_resample` applies the two banded passes in a numba kernel (O(band) work
per output sample); the dense BLAS product of the same weights is its NumPy twin
(``tests/camsim/reference_sensor.py``) and the slower path for large images (see
``benchmarks/bench_noise.py`` for the measured comparison).
:func:`area_resample_cfa` integrates a stack of channel planes but, for each output
pixel, only the plane its colour filter passes (``band_r × band_c`` work per pixel);
its twin is :func:`area_resample` per channel, masked
(``tests/camsim/test_kernels_resample.py``).

References
----------
- ISETCam ``spatialIntegration``/``regridOI2ISA`` (which point-samples after a
  Gaussian pre-blur instead of integrating).
"""

from __future__ import annotations

import numba as nb
import numpy as np
from numpy.typing import NDArray

from .twin import twin

__all__ = ["overlap_band", "band_to_dense", "area_resample", "area_resample_cfa"]



def overlap_band(n_in: int, spacing: float, n_out: int, pitch: float, aperture: float
                 ) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
    """
    Banded overlap weights between output apertures and input cells along one axis.

    Parameters
    ----------
    n_in
        Number of input cells.
    spacing
        Input cell size Δ, m.
    n_out
        Number of output samples.
    pitch
        Output sample spacing, m.
    aperture
        Width of each output aperture, m (≤ ``pitch`` for a pixel).

    Returns
    -------
    start : numpy.ndarray
        int64 ``(n_out,)``, first input cell of each band.
    weights : numpy.ndarray
        float64 ``(n_out, band)``, overlap lengths in m of aperture j with cells
        ``start[j] … start[j] + band − 1`` (zeros where they do not overlap, e.g. an
        aperture outside the image).
    """
    band = min(n_in, int(np.ceil(aperture / spacing)) + 1)
    centre = (np.arange(n_out) + 0.5 - n_out / 2.0) * pitch
    lo = centre - aperture / 2.0
    hi = centre + aperture / 2.0
    origin = -n_in / 2.0 * spacing  # left edge of cell 0
    first = np.floor((lo - origin) / spacing).astype(np.int64)
    start = np.clip(first, 0, n_in - band)
    k = start[:, None] + np.arange(band)[None, :]
    cell_lo = (k - n_in / 2.0) * spacing
    cell_hi = (k + 1 - n_in / 2.0) * spacing
    weights = np.minimum(hi[:, None], cell_hi) - np.maximum(lo[:, None], cell_lo)
    return start, np.maximum(weights, 0.0)


def band_to_dense(start: NDArray[np.int64], weights: NDArray[np.float64], n_in: int) -> NDArray[np.float64]:
    """Dense ``(n_out, n_in)`` matrix of a band from :func:`overlap_band`."""
    n_out, band = weights.shape
    dense = np.zeros((n_out, n_in))
    rows = np.repeat(np.arange(n_out), band)
    cols = (start[:, None] + np.arange(band)[None, :]).ravel()
    np.add.at(dense, (rows, cols), weights.ravel())
    return dense


# The arrays are allocated inside the kernel so the compiler knows they do not alias and
# vectorises pass 2.
@twin("area_resample")
def _area_resample(image, r_start, r_weights, c_start, c_weights):
    rows_out, band_r = r_weights.shape
    cols_out, band_c = c_weights.shape
    r0 = r_start.min()
    r1 = r_start.max() + band_r  # input rows any band touches
    # Pass 1: integrate each needed input row over the column apertures.
    tmp = np.empty((r1 - r0, cols_out), dtype=np.float64)
    for i in nb.prange(r1 - r0):
        row = image[r0 + i]
        for j in range(cols_out):
            k0 = c_start[j]
            acc = 0.0
            for b in range(band_c):
                acc += c_weights[j, b] * row[k0 + b]
            tmp[i, j] = acc
    # Pass 2: integrate over the row apertures.
    out = np.zeros((rows_out, cols_out), dtype=np.float64)
    for i in nb.prange(rows_out):
        k0 = r_start[i] - r0
        for b in range(band_r):
            w = r_weights[i, b]
            if w != 0.0:
                for j in range(cols_out):
                    out[i, j] += w * tmp[k0 + b, j]
    return out


def area_resample(image, r_start, r_weights, c_start, c_weights):
    """
    ``W_r @ image @ W_c.T`` for banded W (see :func:`overlap_band`).

    Parameters
    ----------
    image
        float64 ``(rows_in, cols_in)``.
    r_start, r_weights
        Row band: int64 ``(rows_out,)`` and float64 ``(rows_out, band_r)``.
    c_start, c_weights
        Column band: int64 ``(cols_out,)`` and float64 ``(cols_out, band_c)``.

    Returns
    -------
    numpy.ndarray
        float64 ``(rows_out, cols_out)``.
    """
    rows_out, band_r = r_weights.shape
    cols_out, band_c = c_weights.shape
    rows_touched = int(r_start.max()) + band_r - int(r_start.min())
    work = rows_touched * cols_out * band_c + rows_out * cols_out * band_r  # multiply-adds
    return _area_resample.pick(work)(image, r_start, r_weights, c_start, c_weights)


def area_resample_cfa(planes, tile, r_start, r_weights, c_start, c_weights):
    """
    Area integration of the CFA channel of every output pixel.

    ``out[i, j] = Σ_a Σ_b r_weights[i, a] · c_weights[j, b] ·
    planes[ch, r_start[i] + a, c_start[j] + b]`` with ``ch = tile[i % th, j % tw]`` —
    the entry ``(i, j)`` of ``W_r @ planes[ch] @ W_c.T`` (:func:`area_resample`) for the
    one channel that pixel keeps.

    Parameters
    ----------
    planes
        float32 or float64 ``(n_ch, rows_in, cols_in)`` (any strides), e.g. e⁻/(s·m²).
    tile
        int8 ``(th, tw)`` channel index of the repeating CFA tile (``(1, 1)`` of 0 for
        monochrome).
    r_start, r_weights
        Row band from :func:`overlap_band`: int64 ``(rows_out,)``, float64
        ``(rows_out, band_r)`` (m).
    c_start, c_weights
        Column band: int64 ``(cols_out,)``, float64 ``(cols_out, band_c)`` (m).

    Returns
    -------
    numpy.ndarray
        float64 ``(rows_out, cols_out)``, accumulated in float64 (e.g. e⁻/s).

    Notes
    -----
    Jobs under :data:`camsim.threads.PARALLEL_MIN_NS` of work (~0.5 ns per multiply-add) run on the calling thread (as
    :func:`camsim._kernels.noise.readout`): a parallel region costs microseconds on an
    idle machine but milliseconds when another process holds a core (≈ 8 ms measured
    on a 2-core machine with one other busy process, OpenMP threading layer), more
    than the whole job below the threshold. The result does not depend on the choice
    (each pixel is summed in the same order).
    """
    rows_out, band_r = r_weights.shape
    cols_out, band_c = c_weights.shape
    out = np.empty((rows_out, cols_out), dtype=np.float64)
    kernel = _area_resample_cfa.pick(rows_out * cols_out * band_r * band_c)
    kernel(planes, tile, r_start, r_weights, c_start, c_weights, out)
    return out


@twin("area_resample_cfa")
def _area_resample_cfa(planes, tile, r_start, r_weights, c_start, c_weights, out):
    """:func:`area_resample_cfa`, one output row per ``prange`` iteration."""
    for i in nb.prange(out.shape[0]):
        _area_resample_cfa_row(i, planes, tile, r_start, r_weights, c_start, c_weights, out)


@nb.njit(cache=True)
def _area_resample_cfa_row(i, planes, tile, r_start, r_weights, c_start, c_weights, out):
    """Output row ``i`` of :func:`area_resample_cfa`, one pass per CFA column phase (one plane each)."""
    band_r = r_weights.shape[1]
    cols_out, band_c = c_weights.shape
    th, tw = tile.shape
    r0 = r_start[i]
    for p in range(tw):
        plane = planes[tile[i % th, p]]
        for j in range(p, cols_out, tw):
            c0 = c_start[j]
            acc = 0.0
            for a in range(band_r):
                row_acc = 0.0
                for b in range(band_c):
                    row_acc += c_weights[j, b] * plane[r0 + a, c0 + b]
                acc += r_weights[i, a] * row_acc
            out[i, j] = acc
