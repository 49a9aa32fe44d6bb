"""
Spectral kernels — effective channel OTFs and their use on a stack of real-FFT spectra
=====================================================================================

Private numba kernels behind :meth:`camsim.Optics.form_channel_image`. Everything from
spectral radiance to sensor electrons is linear, so when the radiance is
``Σ_k c_k(x)·P_k(λ)`` the signal of sensor channel c is

    S_c = IFFT( Σ_k G_{c,k}(f) · FFT(c_k) ),   G_{c,k}(f) = Σ_λ M_{c,k,λ} · H_λ(f),

with ``M_{c,k,λ} = QE_c(λ)·Δλ·g(λ)·P_k(λ)`` (g the irradiance factor) and ``H_λ`` the
diffraction-limited OTF. :func:`effective_otf` evaluates G exactly (no interpolation)
in float64 at every frequency bin and stores it as float32; :func:`combine_spectra`
forms the ``n_ch`` channel spectra from the ``r`` coefficient spectra.

Layout. The OTF is real and depends on the radial frequency only, and the row
frequencies of a length-``R`` FFT satisfy ``|f[i]| = |f[R − i]|`` exactly (``fftfreq``
multiplies integers by ``1/(R·Δ)``). So G is stored for rows ``0 … R // 2`` only, shape
``(R // 2 + 1, n_ch, r, C // 2 + 1)`` — half the rows of the ``rfft2`` layout, one
contiguous run of columns per (row, channel, basis function) — and row ``i > R // 2``
reads row ``R − i``. G is real, so :func:`combine_spectra` treats each complex row as
interleaved real and imaginary float32 parts and multiplies both by the same weight:
unit-stride loops the compiler vectorises (5× faster than complex arithmetic per bin).

The callers validate shapes and dtypes; the kernels trust their input. Each kernel has
a NumPy twin in ``tests/camsim/test_kernels_spectral.py``.

References
----------
- [Goodman2017] Goodman, J. W. *Introduction to Fourier Optics*, 4th ed. (2017),
  §7.3 (OTF of a diffraction-limited circular pupil).
- ISETCam ``opticsDLCompute``, ``dlCore``.
"""

from __future__ import annotations

import math

import numba as nb
import numpy as np

from .twin import twin

__all__ = ["effective_otf", "combine_spectra"]



@nb.njit(cache=True, parallel=True)
def effective_otf(rho, lam_n, weights):
    """
    Effective OTFs ``G[i, c, k, j] = Σ_λ weights[c, k, λ] · H(rho[i, j] · lam_n[λ])``.

    Parameters
    ----------
    rho
        Radial frequency of each stored bin, cycles/mm, float64 ``(rows_half, cols_half)``.
    lam_n
        λ·N per wavelength in mm (wavelength × f-number), float64 ``(n_wave,)``,
        increasing.
    weights
        float64 ``(n_ch, r, n_wave)``, e.g. ``QE_c(λ)·Δλ·g(λ)·P_k(λ)``.

    Returns
    -------
    numpy.ndarray
        float32 ``(rows_half, n_ch, r, cols_half)``, accumulated in float64. H is the
        diffraction-limited OTF of a circular pupil,
        ``(2/π)(acos s − s·√(1 − s²))`` for ``s < 1`` and 0 beyond.
    """
    rows, cols = rho.shape
    n_ch, r, n_wave = weights.shape
    out = np.empty((rows, n_ch, r, cols), dtype=np.float32)
    two_over_pi = 2.0 / math.pi
    for i in nb.prange(rows):
        acc = np.empty((n_ch, r), dtype=np.float64)
        for j in range(cols):
            acc[:, :] = 0.0
            p = rho[i, j]
            for w in range(n_wave):
                s = p * lam_n[w]
                if s >= 1.0:
                    break  # lam_n increases, so every later wavelength is past its cut-off too
                h = two_over_pi * (math.acos(s) - s * math.sqrt(1.0 - s * s))
                for c in range(n_ch):
                    for k in range(r):
                        acc[c, k] += weights[c, k, w] * h
            for c in range(n_ch):
                for k in range(r):
                    out[i, c, k, j] = acc[c, k]
    return out


def combine_spectra(spec, g, out, accumulate):
    """
    Channel spectra ``out[c] (+)= Σ_k G[c, k] · spec[k]`` over the ``rfft2`` grid.

    Parameters
    ----------
    spec
        complex64 ``(r, rows, cols_half)``, C-contiguous: ``rfft2`` of the r
        coefficient planes.
    g
        float32 ``(rows // 2 + 1, n_ch, r, cols_half)`` from :func:`effective_otf`; row
        ``i > rows // 2`` uses row ``rows − i``.
    out
        complex64 ``(n_ch, rows, cols_half)``, C-contiguous, written (or added to when
        ``accumulate``). May be ``spec[:n_ch]`` itself when not accumulating and
        ``n_ch <= r``: each row of ``spec`` is copied before that row of ``out`` is
        written.
    accumulate
        Add to ``out`` instead of overwriting it.

    Notes
    -----
    Jobs under :data:`camsim.threads.PARALLEL_MIN_NS` of work (~1 ns per complex multiply-add) run on the calling thread: a
    parallel region costs microseconds on an idle machine but milliseconds when
    another process holds a core (≈ 8 ms measured on a 2-core machine with one other
    busy process, OpenMP threading layer), more than the whole job below the
    threshold. The result does not depend on the choice (same order of operations).
    """
    r, rows, cols = spec.shape
    kernel = _combine.pick(rows * cols * r * out.shape[0])
    kernel(spec.view(np.float32), g, out.view(np.float32), accumulate)


@twin("combine_spectra")
def _combine(spec, g, out, accumulate):
    """:func:`combine_spectra` on float32 views, one row per ``prange`` iteration."""
    for i in nb.prange(spec.shape[1]):
        _combine_row(i, spec, g, out, accumulate)


@nb.njit(cache=True)
def _combine_row(i, spec, g, out, accumulate):
    """
    Row ``i`` of :func:`combine_spectra`; ``spec`` ``(r, rows, 2·cols_half)`` and ``out``
    ``(n_ch, rows, 2·cols_half)`` are float32 views (real, imaginary interleaved).
    """
    r, rows, width = spec.shape
    n_ch = out.shape[0]
    ih = np.int64(i)
    if 2 * ih > rows:
        ih = rows - ih  # same |row frequency| as row i
    row = spec[:, i, :].copy()  # (r, width): out may be spec itself
    for c in range(n_ch):
        o = out[c, i]
        if not accumulate:
            o[:] = 0.0
        for k in range(r):
            s = row[k]
            w = g[ih, c, k]
            for j in range(width // 2):
                o[2 * j] += w[j] * s[2 * j]
                o[2 * j + 1] += w[j] * s[2 * j + 1]
