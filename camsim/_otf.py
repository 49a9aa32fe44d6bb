"""
OTF — diffraction-limited optical transfer function as plain array functions
============================================================================

Private numeric core of :mod:`camsim.optics`: the incoherent OTF of an aberration-free
circular pupil, its value on the FFT grid of a sampled image, the point-spread function
sampled from it, and the per-wavelength frequency-domain blur of an irradiance cube.
No classes, no I/O, no global state; callers validate their arguments.

Units: wavelength in nm, spatial frequency in cycles/mm, sample spacing in m.

References
----------
- [Goodman2017] Goodman, J. W. *Introduction to Fourier Optics*, 4th ed. (2017),
  §7.3 (frequency response of diffraction-limited incoherent systems, circular pupil).
- ISETCam ``dlCore``, ``dlMTF``, ``oiCalculateOTF``, ``oiApplyOTF``, ``opticsCos4th``.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from functools import lru_cache

import numpy as np
import scipy.fft as sfft
from numpy.typing import ArrayLike, NDArray
from scipy.optimize import brentq
from scipy.special import j0, j1

from ._kernels import spectral as _spectral

__all__ = [
    "CLIP_TOLERANCE",
    "dl_core",
    "cutoff_frequency",
    "dl_otf",
    "dl_mtf",
    "fft_radial_frequency",
    "otf_grid",
    "psf_from_otf",
    "cos4",
    "apply_otf",
    "clip_rounding_negatives",
    "effective_otf",
    "EFFECTIVE_OTF_CACHE_BYTES",
    "otf_stack",
    "multiply_by_otf_stack",
    "band_columns",
    "band_irfft2",
    "otf_factors",
    "FACTOR_MAX_RANK",
    "airy_energy_outside",
    "airy_energy_radius",
    "OTF_STACK_CACHE_BYTES",
]

# Negative values down to −CLIP_TOLERANCE × the plane's maximum are float32 FFT rounding
# (measured: ≤ 4e-7 of the maximum for 64² … 2048² grids); a plane whose negatives all
# lie within it is clipped at 0, one with deeper (genuine, band-limit ringing) lobes is not.
CLIP_TOLERANCE: float = 1e-5
# Memory the effective-OTF cache may hold: a 512×512 image (640×640 padded) through 3
# channels × rank 3 needs 3.7 MB per entry, a 4000×3000 image 169 MB.
EFFECTIVE_OTF_CACHE_BYTES: int = 512 * 2**20
# Memory the per-wavelength OTF-stack cache may hold: a 1024² image (1280² padded) at
# 31 wavelengths needs 51 MB per entry (half the rows of the rfft2 layout).
OTF_STACK_CACHE_BYTES: int = 256 * 2**20


def dl_core(s: ArrayLike) -> NDArray[np.float64]:
    """
    Diffraction-limited OTF of a circular pupil against normalised frequency.

    Parameters
    ----------
    s
        Radial frequency divided by the incoherent cut-off (dimensionless), any shape, >= 0.

    Returns
    -------
    numpy.ndarray
        H(s) = (2/π)(acos s − s·√(1 − s²)) for s < 1 and 0 for s >= 1, float64, shape of ``s``.
        H(0) = 1.
    """
    s = np.asarray(s, dtype=np.float64)
    inside = s < 1.0
    sc = np.where(inside, s, 1.0)  # keeps arccos/sqrt in range outside the pupil
    h = (2.0 / np.pi) * (np.arccos(sc) - sc * np.sqrt(1.0 - sc * sc))
    return np.where(inside, h, 0.0)


def cutoff_frequency(wave: ArrayLike, fnumber: float) -> NDArray[np.float64]:
    """Incoherent cut-off 1/(λN) in cycles/mm for ``wave`` in nm; shape of ``wave``."""
    return 1.0 / (np.asarray(wave, dtype=np.float64) * 1e-6 * fnumber)


def dl_otf(rho: ArrayLike, wave: ArrayLike, fnumber: float) -> NDArray[np.float64]:
    """
    Diffraction-limited OTF at radial frequencies ``rho`` (cycles/mm) for each wavelength.

    Parameters
    ----------
    rho
        Radial spatial frequency on the focal plane, cycles/mm, any shape.
    wave
        Wavelengths in nm, ``(n_wave,)``.
    fnumber
        f-number N (dimensionless).

    Returns
    -------
    numpy.ndarray
        float64, shape ``rho.shape + (n_wave,)``.
    """
    rho = np.abs(np.asarray(rho, dtype=np.float64))
    lam_n = np.asarray(wave, dtype=np.float64).reshape(-1) * 1e-6 * fnumber  # λN in mm
    return dl_core(rho[..., None] * lam_n)


def dl_mtf(freq: ArrayLike, wave: ArrayLike, fnumber: float) -> NDArray[np.float64]:
    """MTF at 1-D frequencies ``freq`` (cycles/mm) per wavelength (nm): ``(n_freq, n_wave)``."""
    return dl_otf(np.asarray(freq, dtype=np.float64).reshape(-1), wave, fnumber)


def fft_radial_frequency(shape: tuple[int, int], spacing: float, *, real: bool = True) -> NDArray[np.float64]:
    """
    Radial frequency of every bin of a 2-D FFT, cycles/mm.

    Parameters
    ----------
    shape
        ``(rows, cols)`` of the sampled image.
    spacing
        Sample spacing, m.
    real
        True for the ``rfft2`` layout ``(rows, cols // 2 + 1)``, False for ``fft2`` ``(rows, cols)``.

    Returns
    -------
    numpy.ndarray
        float64 with the FFT layout (DC at index (0, 0)).
    """
    rows, cols = shape
    fy = sfft.fftfreq(rows, spacing) * 1e-3  # cycles/m → cycles/mm
    fx = (sfft.rfftfreq(cols, spacing) if real else sfft.fftfreq(cols, spacing)) * 1e-3
    return np.hypot(fy[:, None], fx[None, :])


def otf_grid(rho: NDArray[np.float64], wave: ArrayLike, fnumber: float) -> NDArray[np.float32]:
    """
    OTF on an FFT grid, one plane per wavelength, float32 ``(n_wave,) + rho.shape``.

    ``rho`` comes from :func:`fft_radial_frequency` (cycles/mm); ``wave`` in nm.
    Wavelength comes first so that each plane is contiguous for the 2-D FFTs.
    """
    lam_n = np.asarray(wave, dtype=np.float64).reshape(-1) * 1e-6 * fnumber
    out = np.empty((lam_n.size,) + rho.shape, dtype=np.float32)
    for i, ln in enumerate(lam_n):
        out[i] = dl_core(rho * ln)
    return out


def psf_from_otf(wave: ArrayLike, fnumber: float, spacing: float, size: int) -> NDArray[np.float64]:
    """
    Point samples of the diffraction-limited PSF, unit sum, ``(size, size, n_wave)``.

    Sample ``(size // 2, size // 2)`` is the centre of the PSF; rows and columns step by
    ``spacing`` (m).

    Notes
    -----
    A sampled PSF's discrete Fourier transform is the continuous OTF summed over all its
    replicas shifted by multiples of the sampling frequency 1/spacing (aliasing). Here
    that sum is carried out explicitly, replica by replica, until the OTF's support
    (radius 1/(λN)) is exhausted: this gives exactly the numbers one would get by
    computing on a grid oversampled until the whole OTF fits below its Nyquist
    frequency and then keeping every k-th sample, without ever holding the big grid.
    So for coarse ``spacing`` the result is still the PSF at the sample points, not a
    band-limited (ringing) version of it. The remaining approximation is spatial
    wrap-around: the PSF is periodised with period ``size·spacing`` (the Airy tails,
    falling as r⁻³, beyond the window fold back in); the unit-sum normalisation then
    counts the whole PSF energy.
    """
    lam_n = np.asarray(wave, dtype=np.float64).reshape(-1) * 1e-6 * fnumber  # mm
    fs = 1e-3 / spacing  # sampling frequency, cycles/mm
    f = sfft.fftfreq(size, spacing) * 1e-3
    out = np.empty((size, size, lam_n.size), dtype=np.float64)
    for i, ln in enumerate(lam_n):
        nu_c = 1.0 / ln
        m_max = int(np.ceil(nu_c / fs)) + 1
        h = np.zeros((size, size), dtype=np.float64)
        for my in range(-m_max, m_max + 1):
            fy = f + my * fs
            if np.min(np.abs(fy)) >= nu_c:
                continue
            for mx in range(-m_max, m_max + 1):
                fx = f + mx * fs
                if np.min(np.abs(fx)) >= nu_c:
                    continue
                h += dl_core(np.hypot(fy[:, None], fx[None, :]) * ln)
        p = np.real(sfft.ifft2(h))
        p = np.clip(sfft.fftshift(p), 0.0, None)  # centre → (size // 2, size // 2); drop rounding negatives
        out[:, :, i] = p / p.sum()
    return out


def cos4(shape: tuple[int, int], spacing: float, image_distance: float) -> NDArray[np.float32]:
    """
    cos⁴ relative illumination, float32 ``(rows, cols)``, read-only (cached).

    Sample centres are symmetric about the optical axis, at ``(k + 0.5 − n/2)·spacing``
    (m); RI = (d / √(d² + x² + y²))⁴ with d = ``image_distance`` (m). The last few maps
    are cached per (shape, spacing, distance): a study captures many same-size images.
    """
    rows, cols = shape
    return _cos4_cached(int(rows), int(cols), float(spacing), float(image_distance))


@lru_cache(maxsize=4)
def _cos4_cached(rows: int, cols: int, spacing: float, image_distance: float) -> NDArray[np.float32]:
    y = (np.arange(rows) + 0.5 - rows / 2) * spacing
    x = (np.arange(cols) + 0.5 - cols / 2) * spacing
    d2 = image_distance * image_distance
    c2 = d2 / (d2 + y[:, None] ** 2 + x[None, :] ** 2)  # cos² of the field angle
    out = (c2 * c2).astype(np.float32)
    out.flags.writeable = False
    return out


def apply_otf(planes: NDArray[np.float32], otf: NDArray[np.float32], *, workers: int) -> NDArray[np.float32]:
    """
    Blur each plane by its real, non-negative OTF with real FFTs.

    Parameters
    ----------
    planes
        Irradiance planes, float32 ``(k, rows, cols)`` (any unit; modified in place
        only through the returned array, which may share its memory).
    otf
        float32 ``(k, rows, cols // 2 + 1)`` in the ``rfft2`` layout, H(0) = 1.
    workers
        Threads for :mod:`scipy.fft`.

    Returns
    -------
    numpy.ndarray
        float32 ``(k, rows, cols)``. The product of a real, even OTF with the spectrum
        is Hermitian, so ``irfft2`` returns the (real) result directly; no phase is
        discarded. Negative values that are pure rounding are set to 0 plane by plane
        (:func:`clip_rounding_negatives`): no sample changes by more than
        :data:`CLIP_TOLERANCE` of the plane's maximum.
    """
    rows, cols = planes.shape[1:]
    spec = sfft.rfft2(planes, axes=(-2, -1), workers=workers, overwrite_x=True)
    spec *= otf
    out = sfft.irfft2(spec, s=(rows, cols), axes=(-2, -1), workers=workers, overwrite_x=True)
    del spec
    out = out.astype(np.float32, copy=False)
    clip_rounding_negatives(out)
    return out


def clip_rounding_negatives(planes: NDArray[np.float32]) -> None:
    """
    Set each plane's negative values to 0 in place if they are all FFT rounding:
    ``min >= −CLIP_TOLERANCE · max``. A plane with deeper negative lobes (ringing of a
    band-limited OTF, not rounding) is left as it is. So no sample changes by more
    than :data:`CLIP_TOLERANCE` of its plane's maximum, and the rule commutes with
    linear combinations of planes to that tolerance (the channel path of
    :meth:`camsim.Optics.form_channel_image` applies it to channel planes, the
    per-wavelength path to wavelength planes). ``planes`` is ``(k, rows, cols)``.
    """
    for p in planes:
        lo = p.min()
        if lo < 0.0 and lo >= -CLIP_TOLERANCE * p.max():
            np.maximum(p, 0.0, out=p)


class _ArrayCache:
    """
    Least-recently-used cache of read-only results, thread-safe, bounded in bytes (results
    larger than the bound are not kept) and optionally in entries; ``None`` results too.
    """

    def __init__(self, max_bytes: float, max_items: int | None = None):
        self._items: OrderedDict = OrderedDict()  # key → (value, nbytes)
        self._lock = threading.Lock()
        self.max_bytes, self.max_items = max_bytes, max_items

    def get(self, key, default=None):
        """The cached value (now most recently used), or ``default`` (pass a sentinel where None is a value)."""
        with self._lock:
            hit = self._items.get(key)
            if hit is None:
                return default
            self._items.move_to_end(key)
            return hit[0]

    def put(self, key, value, nbytes: int) -> None:
        """Keep ``value`` (``nbytes`` of memory) unless it alone exceeds the bound; evict the oldest."""
        if nbytes > self.max_bytes:
            return
        with self._lock:
            self._items[key] = (value, nbytes)
            total = sum(n for _, n in self._items.values())
            while total > self.max_bytes or (self.max_items is not None and len(self._items) > self.max_items):
                _, (_, n) = self._items.popitem(last=False)
                total -= n

    def __len__(self) -> int:
        return len(self._items)


_otf_cache = _ArrayCache(EFFECTIVE_OTF_CACHE_BYTES)


def effective_otf(shape: tuple[int, int], spacing: float, wave: NDArray[np.float64], fnumber: float,
                  weights: NDArray[np.float64]) -> NDArray[np.float32]:
    """
    Effective OTFs of the channels for a spectral basis, on half the ``rfft2`` grid.

    ``G[i, c, k, j] = Σ_λ weights[c, k, λ] · H_λ(ρ_ij)`` with H the diffraction-limited
    OTF (cut-off 1/(λN)) and ρ the radial frequency of bin ``(i, j)`` of the
    ``rfft2`` layout of a ``shape`` grid with sample spacing ``spacing`` (m), for rows
    ``i = 0 … rows // 2`` (row ``rows − i`` has the same ρ).

    Parameters
    ----------
    shape
        ``(rows, cols)`` of the padded image.
    spacing
        Sample spacing on the focal plane, m.
    wave
        Wavelengths in nm, increasing, ``(n_wave,)``.
    fnumber
        f-number N.
    weights
        float64 ``(n_ch, r, n_wave)``, e.g. QE_c(λ)·Δλ·g(λ)·P_k(λ).

    Returns
    -------
    numpy.ndarray
        float32 ``(rows // 2 + 1, n_ch, r, cols // 2 + 1)``, read-only. Evaluated exactly
        in float64 (no interpolation) and cached, least recently used first out, up to
        :data:`EFFECTIVE_OTF_CACHE_BYTES` in all, keyed by (shape, spacing, f-number,
        wavelengths, weights).
    """
    rows, cols = int(shape[0]), int(shape[1])
    wave = np.ascontiguousarray(wave, dtype=np.float64)
    weights = np.ascontiguousarray(weights, dtype=np.float64)
    key = (rows, cols, float(spacing), float(fnumber), wave.tobytes(), weights.shape, weights.tobytes())
    g = _otf_cache.get(key)
    if g is not None:
        return g
    fy = sfft.fftfreq(rows, spacing)[: rows // 2 + 1] * 1e-3  # cycles/mm, |f| as in fft_radial_frequency
    fx = sfft.rfftfreq(cols, spacing) * 1e-3
    rho = np.hypot(fy[:, None], fx[None, :])
    g = _spectral.effective_otf(rho, wave * 1e-6 * fnumber, weights)
    g.flags.writeable = False
    _otf_cache.put(key, g, g.nbytes)
    return g


_stack_cache = _ArrayCache(OTF_STACK_CACHE_BYTES)


def otf_stack(shape: tuple[int, int], spacing: float, wave: NDArray[np.float64], fnumber: float) -> NDArray[np.float32]:
    """
    The diffraction-limited OTF of every wavelength on the ``rfft2`` grid, cached.

    Parameters
    ----------
    shape
        ``(rows, cols)`` of the padded image.
    spacing
        Sample spacing on the focal plane, m.
    wave
        Wavelengths in nm, ``(n_wave,)``.
    fnumber
        f-number N.

    Returns
    -------
    numpy.ndarray
        float32 ``(n_wave, rows // 2 + 1, cols // 2 + 1)``, read-only: rows ``0 … rows // 2``
        of :func:`otf_grid` of :func:`fft_radial_frequency`, the same numbers. Row
        ``i > rows // 2`` of the ``rfft2`` layout is row ``rows − i`` (equal radial
        frequency, exactly: ``fftfreq`` multiplies integers by ``1/(rows·spacing)``), so
        only half the rows are evaluated and kept (:func:`multiply_by_otf_stack`). Kept,
        least recently used first out, up to :data:`OTF_STACK_CACHE_BYTES` in all, keyed
        by (shape, spacing, f-number, wavelengths).
    """
    rows, cols = int(shape[0]), int(shape[1])
    wave = np.ascontiguousarray(wave, dtype=np.float64).reshape(-1)
    key = (rows, cols, float(spacing), float(fnumber), wave.tobytes())
    h = _stack_cache.get(key)
    if h is not None:
        return h
    h = _otf_half_rows(fft_radial_frequency((rows, cols), spacing)[: rows // 2 + 1], wave, fnumber)
    h.flags.writeable = False
    _stack_cache.put(key, h, h.nbytes)
    return h


def _otf_half_rows(rho: NDArray[np.float64], wave: NDArray[np.float64], fnumber: float) -> NDArray[np.float32]:
    """
    :func:`otf_grid` of ``rho`` (rows ``0 … rows // 2`` of the ``rfft2`` layout, whose first
    row and column hold the non-negative axis frequencies in increasing order), evaluated
    only inside each wavelength's cut-off: a bin whose row or column frequency f has
    f·λN >= 1 has ρ·λN >= 1 too (ρ = hypot >= f), so its OTF is exactly 0. Same numbers.
    """
    lam_n = np.asarray(wave, dtype=np.float64).reshape(-1) * 1e-6 * fnumber
    out = np.zeros((lam_n.size,) + rho.shape, dtype=np.float32)
    for i, ln in enumerate(lam_n):
        n_r = int(np.count_nonzero(rho[:, 0] * ln < 1.0))
        n_c = int(np.count_nonzero(rho[0, :] * ln < 1.0))
        out[i, :n_r, :n_c] = dl_core(rho[:n_r, :n_c] * ln)
    return out


def multiply_by_otf_stack(spec: NDArray[np.complex64], half: NDArray[np.float32]) -> None:
    """
    ``spec *= H`` in place: ``spec`` complex ``(k, rows, cols // 2 + 1)`` in the ``rfft2``
    layout, ``half`` float32 ``(k, rows // 2 + 1, cols // 2 + 1)`` from :func:`otf_stack`
    (row ``i > rows // 2`` of the full layout reads row ``rows − i``).
    """
    rows = spec.shape[1]
    n_half = rows // 2 + 1
    spec[:, :n_half] *= half
    spec[:, n_half:] *= half[:, rows - n_half:0:-1]  # rows n_half … rows − 1 ← rows rows − n_half … 1


def airy_energy_outside(radius: float, wave: NDArray[np.float64], weights: NDArray[np.float64],
                        fnumber: float) -> float:
    """
    Fraction of the polychromatic Airy PSF's energy outside a disc of ``radius`` (m):
    ``Σ_λ w_λ·(J₀²(v_λ) + J₁²(v_λ)) / Σ_λ w_λ`` with ``v_λ = π·radius/(λN)`` (Rayleigh's
    encircled energy of the Airy pattern, 1 − J₀² − J₁²; [Born1999] §8.5.2), ``wave`` in nm.
    """
    v = np.pi * radius / (np.asarray(wave, dtype=np.float64) * 1e-9 * fnumber)
    w = np.asarray(weights, dtype=np.float64)
    return float(np.sum(w * (j0(v) ** 2 + j1(v) ** 2)) / np.sum(w))


def airy_energy_radius(wave: NDArray[np.float64], weights: NDArray[np.float64], fnumber: float,
                       tail: float) -> float:
    """
    Radius (m) outside which the polychromatic Airy PSF holds ``tail`` of its energy
    (:func:`airy_energy_outside`; ``weights`` >= 0 per wavelength, ``tail`` in (0, 1)).

    J₀² + J₁² decreases monotonically in v (its derivative is −2J₁²/v), so the weighted
    tail does too and the root is unique; it is found by bracketing and Brent's method
    to 1e-12 relative. The tail falls only as 2λN/(π²r), so the radius is about
    2λN/(π²·tail): 2026·λN for 1e-4 (5.7 mm at 700 nm, f/4).
    """
    hi = float(np.max(wave)) * 1e-9 * fnumber
    while airy_energy_outside(hi, wave, weights, fnumber) > tail:
        hi *= 2.0
    return brentq(lambda r: airy_energy_outside(r, wave, weights, fnumber) - tail, 0.0, hi, rtol=1e-12)


def band_columns(half: NDArray[np.float32]) -> int:
    """
    Number of leading ``rfft2`` columns where any OTF of ``half`` (``(k, rows_half,
    cols_half)`` from :func:`otf_stack`) is nonzero: every later column is exactly 0 for
    every wavelength (past the cut-off 1/(λN)); at least 1.
    """
    nonzero = np.flatnonzero(np.any(half != 0, axis=(0, 1)))
    return int(nonzero[-1]) + 1 if nonzero.size else 1


def band_irfft2(spec: NDArray[np.complex64], shape: tuple[int, int], *, workers: int) -> NDArray[np.float32]:
    """
    ``irfft2`` of spectra whose columns past the first ``spec.shape[2]`` are zero.

    ``spec`` is complex64 ``(k, rows, n_c)``, the first ``n_c <= cols // 2 + 1`` columns of
    the ``rfft2`` layout of a ``shape = (rows, cols)`` grid (overwritten). The column
    transforms run over those ``n_c`` columns only, and the row transforms
    (``scipy.fft.irfft`` with ``n = cols``) pad the rest with zeros: the same numbers as
    ``irfft2`` of the zero-filled spectrum, to float32 rounding. float32 ``(k, rows, cols)``.
    """
    if spec.shape[2] == shape[1] // 2 + 1:
        out = sfft.irfft2(spec, s=shape, axes=(-2, -1), workers=workers, overwrite_x=True)
    else:
        cols_done = sfft.ifft(spec, axis=1, workers=workers, overwrite_x=True)
        out = sfft.irfft(cols_done, n=shape[1], axis=2, workers=workers, overwrite_x=True)
    return out.astype(np.float32, copy=False)


FACTOR_MAX_RANK: int = 10  # spectral components kept by otf_factors
_FACTOR_MAX_ELEMENTS = 2**24  # otf_factors works on the float64 (bins, n_wave) matrix: at most 128 MB
_factor_cache = _ArrayCache(float("inf"), max_items=4)  # None results (no exact factorisation) are kept too


def _full_grid_multiplicity(rows: int, cols: int) -> NDArray[np.float64]:
    """How many bins of the full ``fft2`` grid each bin of half the ``rfft2`` rows stands for (1, 2 or 4)."""
    i, j = np.arange(rows // 2 + 1), np.arange(cols // 2 + 1)
    mr = np.where((i == 0) | (2 * i == rows), 1.0, 2.0)
    mc = np.where((j == 0) | (2 * j == cols), 1.0, 2.0)
    return mr[:, None] * mc[None, :]


def otf_factors(shape: tuple[int, int], spacing: float, wave: NDArray[np.float64],
                fnumber: float) -> tuple[NDArray[np.float32], NDArray[np.float64], NDArray[np.float64]] | None:
    """
    Low-rank factorisation of the OTF stack over wavelength, ``H_λ(f) ≈ Σ_j P_j(f)·V_jλ``, cached.

    Only where the OTF is smooth on the grid: every bin inside every wavelength's
    cut-off (1/(λ_max·N) above the grid's largest radial frequency), so no bin sits on
    the (1 − s)^{3/2} edge of the pupil's autocorrelation; else None (the singular values
    then fall only algebraically). Also None for grids of more than 2²⁴ half-grid
    bins × wavelengths.

    Returns
    -------
    tuple or None
        ``planes`` float32 ``(J, rows // 2 + 1, cols // 2 + 1)``: P_j = Σ_λ H_λ·V_jλ on half
        the ``rfft2`` rows (row ``i > rows // 2`` is row ``rows − i``); ``v`` float64
        ``(J, n_wave)``: the right singular vectors V_j of the OTF stack weighted by how
        many full-grid bins each stored bin stands for; ``tau`` float64 ``(J, n_wave)``:
        ``tau[J − 1, λ]`` = ‖H_λ − Σ_{j<J} P_j·V_jλ‖ over the whole ``fft2`` grid
        (Frobenius), which bounds the ℓ¹ norm of the error's convolution kernel, so
        ``|error of plane λ| <= tau[J − 1, λ]·max|input plane λ|``. J = :data:`FACTOR_MAX_RANK`
        or ``n_wave`` if fewer. Keyed by (shape, spacing, f-number, wavelengths).
    """
    rows, cols = int(shape[0]), int(shape[1])
    wave = np.ascontiguousarray(wave, dtype=np.float64).reshape(-1)
    key = (rows, cols, float(spacing), float(fnumber), wave.tobytes())
    cached = _factor_cache.get(key, _factor_cache)
    if cached is not _factor_cache:
        return cached
    rho = fft_radial_frequency((rows, cols), spacing)[: rows // 2 + 1]
    result = None
    if rho.max() * wave.max() * 1e-6 * fnumber < 1.0 and rho.size * wave.size <= _FACTOR_MAX_ELEMENTS:
        h = dl_otf(rho.reshape(-1), wave, fnumber)  # (bins, n_wave), float64
        weighted = h * np.sqrt(_full_grid_multiplicity(rows, cols)).reshape(-1, 1)
        _, sv, vt = np.linalg.svd(weighted, full_matrices=False)
        n = min(FACTOR_MAX_RANK, wave.size)
        tail = (sv[:, None] * vt) ** 2  # (n_wave, n_wave): energy of each component in each column
        tau = np.sqrt(np.cumsum(tail[::-1], axis=0)[::-1][1:n + 1]) + 1e-12 * sv[0]  # with J = 1 … n kept
        if n == wave.size:
            tau = np.vstack([tau, np.full((1, wave.size), 1e-12 * sv[0])])[:n]
        planes = (h @ vt[:n].T).T.reshape((n,) + rho.shape).astype(np.float32)
        result = (planes, vt[:n].copy(), tau)
        for a in result:
            a.flags.writeable = False
    _factor_cache.put(key, result, 0 if result is None else sum(a.nbytes for a in result))
    return result
