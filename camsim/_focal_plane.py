"""
Focal-plane grid — geometry and padding shared by the image-forming paths
=========================================================================

Private helpers of :mod:`camsim.optics` (the spectral reference path,
:meth:`camsim.Optics.form_image`) and :mod:`camsim._channel` (the camera's fused
optics-and-QE fast path): the sampling geometry of an image on the focal plane
(:class:`FocalPlaneGrid`), the validation of the image-forming arguments, the pad size
(ISETCam's 1/8 of the scene, or the support of the PSF) and the padded planes.

References
----------
- ISETCam ``oiCompute``, ``oiPadValue``, ``opticsDLCompute``.
"""

from __future__ import annotations

import math

import numpy as np
import scipy.fft as sfft
from numpy.typing import NDArray

from . import _otf
from .scene import Scene

__all__ = ["FocalPlaneGrid", "PAD_VALUES", "PSF_PAD_TAIL", "PSF_PAD_MAX_SAMPLES", "check_pad", "check_form_args", "focal_grid",
           "psf_pad_radius", "padded_planes", "round_half_up"]

PAD_VALUES = ("zero", "mean", "border", "reflect")
PSF_PAD_TAIL = 1e-4  # pad='psf': fraction of the polychromatic PSF energy left outside the pad radius
PSF_PAD_MAX_SAMPLES = 2**26  # pad='psf': largest padded grid per wavelength (268 MB as float32)


class FocalPlaneGrid:
    """Geometry shared by :class:`OpticalImage` and :class:`ChannelImage`: square samples of
    side ``sample_spacing`` (m) on the focal plane, ``image_distance`` (m) behind the lens."""

    _data_field: str  # name of the (rows, cols, k) array field

    def _check_geometry(self) -> None:
        dx = float(self.sample_spacing)
        if not (np.isfinite(dx) and dx > 0):
            raise ValueError(f"`sample_spacing` must be > 0 m; got {self.sample_spacing!r}")
        if self.image_distance is not None and not (np.isfinite(self.image_distance) and self.image_distance > 0):
            raise ValueError(f"`image_distance` must be > 0 m or None; got {self.image_distance!r}")
        object.__setattr__(self, "sample_spacing", dx)

    @property
    def rows(self) -> int:
        return getattr(self, self._data_field).shape[0]

    @property
    def cols(self) -> int:
        return getattr(self, self._data_field).shape[1]

    @property
    def n_wave(self) -> int:
        return self.wave.size

    @property
    def width(self) -> float:
        """Width of the sampled area, m."""
        return self.cols * self.sample_spacing

    @property
    def height(self) -> float:
        """Height of the sampled area, m."""
        return self.rows * self.sample_spacing

    @property
    def fov(self) -> float:
        """Horizontal field of view of the whole (padded) image, degrees: 2·atan(width / 2·d_image)."""
        if self.image_distance is None:
            raise ValueError(f"this {type(self).__name__} has no image distance, so its field of view is undefined")
        return float(np.degrees(2 * np.arctan(self.width / 2 / self.image_distance)))


def check_pad(pad) -> float | str:
    """``pad`` as a float >= 0 (fraction of the scene size), or the string ``'psf'``; else a ValueError."""
    allowed = "a finite number >= 0 (fraction of the scene size) or 'psf'"
    if isinstance(pad, str):
        if pad == "psf":
            return pad
        raise ValueError(f"`pad` must be {allowed}; got {pad!r}")
    if isinstance(pad, (bool, np.bool_)):
        raise ValueError(f"`pad` must be {allowed}; got {pad!r}")
    try:
        pad_f = float(pad)
    except (TypeError, ValueError):
        raise ValueError(f"`pad` must be {allowed}; got {pad!r}") from None
    if not (math.isfinite(pad_f) and pad_f >= 0):
        raise ValueError(f"`pad` must be {allowed}; got {pad!r}")
    return pad_f


def check_form_args(scene, pad, pad_value, crop, workers, wave_chunk) -> tuple[float | str, int | None, int]:
    """Validate the arguments shared by the image-forming methods → (pad, workers or None, wave_chunk)."""
    if not isinstance(scene, Scene):
        raise ValueError(f"`scene` must be a camsim.Scene; got {type(scene).__name__}")
    pad_f = check_pad(pad)
    if pad_value not in PAD_VALUES:
        raise ValueError(f"`pad_value` must be one of {PAD_VALUES}; got {pad_value!r}")
    if not isinstance(crop, (bool, np.bool_)):
        raise ValueError(f"`crop` must be True or False; got {crop!r}")
    # workers None: chosen per FFT from its size (camsim.threads.fft_workers)
    if workers is not None and (isinstance(workers, (bool, np.bool_)) or not isinstance(workers, (int, np.integer))
                                or workers < 1):
        raise ValueError(f"`workers` must be an integer >= 1 or None; got {workers!r}")
    if isinstance(wave_chunk, (bool, np.bool_)) or not isinstance(wave_chunk, (int, np.integer)) or wave_chunk < 1:
        raise ValueError(f"`wave_chunk` must be an integer >= 1 (wavelengths); got {wave_chunk!r}")
    return pad_f, None if workers is None else int(workers), int(wave_chunk)


def padded_planes(coef: NDArray[np.float32], ri: NDArray[np.float32] | None, pad_value: str,
                   pr: int, pc: int) -> NDArray[np.float32]:
    """
    Planes times the relative illumination, padded: float32 ``(k, rows + 2·pr, cols + 2·pc)``.

    ``coef`` is ``(rows, cols, k)`` (any strides): scene coefficient planes
    (:func:`camsim._channel.form_channel_image`) or irradiance planes (:meth:`Optics.form_image`).
    The pad value of each plane follows ``pad_value`` as in :meth:`Optics.form_image`
    ('mean': mean of the scene area in float64; 'border': sample (0, 0)), taken after
    the relative illumination.
    """
    rows, cols, k = coef.shape
    big_r, big_c = rows + 2 * pr, cols + 2 * pc
    planes = np.empty((k, big_r, big_c), dtype=np.float32)
    for i in range(k):
        centre = planes[i, pr:pr + rows, pc:pc + cols]
        if ri is None:
            centre[...] = coef[:, :, i]
        else:
            np.multiply(coef[:, :, i], ri, out=centre)
        if (pr or pc) and pad_value == "reflect":
            if pr > rows or pc > cols:
                raise ValueError(f"`pad_value` 'reflect' needs a pad no larger than the scene; got pad ({pr}, {pc}) "
                                 f"samples for a {rows}×{cols} scene")
            flip = centre[::-1]
            planes[i, :pr, pc:pc + cols] = flip[rows - pr:]
            planes[i, pr + rows:, pc:pc + cols] = flip[:pr]
            band = planes[i, :, pc:pc + cols][:, ::-1]  # rows already padded; mirror the columns
            planes[i, :, :pc] = band[:, cols - pc:]
            planes[i, :, pc + cols:] = band[:, :pc]
        elif pr or pc:
            if pad_value == "zero":
                fill = np.float32(0.0)
            elif pad_value == "mean":
                fill = np.float32(centre.mean(dtype=np.float64))
            else:  # border
                fill = centre[0, 0]
            planes[i, :pr] = fill
            planes[i, pr + rows:] = fill
            planes[i, pr:pr + rows, :pc] = fill
            planes[i, pr:pr + rows, pc + cols:] = fill
    return planes


def round_half_up(x: float) -> int:
    """Round a non-negative number half away from zero (MATLAB ``round``), not to even."""
    return int(math.floor(x + 0.5))


def fast_pad(n: int, pad: int) -> int:
    """
    The smallest pad ``p >= pad`` (samples on each side) that makes ``n + 2·p`` a fast FFT
    length: a product of 2, 3, 5, 7 and 11 only (:func:`scipy.fft.next_fast_len`), so
    the padded plane's FFT never falls back to Bluestein's algorithm for a large prime
    factor. Symmetric, so the scene stays centred on the grid. For 1/8 padding the
    length grows 1.6 % on average, at most 12 % from 256 samples up (odd lengths need
    odd factors, which are sparser).

    Example: a 500×375 scene padded by 1/8 is 469 × 626 = 7·67 × 2·313 samples;
    :func:`fast_pad` makes it 495 × 630, and three planes then transform forward and back
    in 5.6 ms instead of 21.2 ms (scipy.fft, one thread, ``benchmarks/RESULTS.md``).
    """
    p = int(pad)
    while sfft.next_fast_len(n + 2 * p, real=False) != n + 2 * p:
        p += 1
    return p


def focal_grid(optics, scene: Scene, pad: float | str, fast_fft: bool = False) -> tuple[float, float, int, int]:
    """
    Image distance d_i (m), focal-plane sample spacing (m) and pad (rows, cols) in samples
    of ``scene`` through ``optics`` (a :class:`camsim.Optics`). ``pad``: a fraction of the
    scene size on each side (rounded half up, as MATLAB), or ``'psf'``: the radius
    :func:`psf_pad_radius` in whole samples (rounded up), the same on both axes.
    ``fast_fft``: each pad then grows to :func:`fast_pad` (a few samples at most).
    """
    d_i, spacing, pr, pc = _focal_grid(optics, scene, pad)
    if fast_fft:
        pr, pc = fast_pad(scene.rows, pr), fast_pad(scene.cols, pc)
    return d_i, spacing, pr, pc


def _focal_grid(optics, scene: Scene, pad: float | str) -> tuple[float, float, int, int]:
    """:func:`focal_grid` before any fast-FFT enlargement."""
    d_i = optics.image_distance(scene.distance)
    spacing = 2.0 * d_i * math.tan(math.radians(scene.fov) / 2.0) / scene.cols  # m
    if pad == "psf":
        radius = psf_pad_radius(optics, scene)
        n = math.ceil(radius / spacing)
        size = (scene.rows + 2 * n) * (scene.cols + 2 * n)
        if size > PSF_PAD_MAX_SAMPLES:
            raise ValueError(f"`pad` 'psf' needs {n} samples on each side (radius {radius * 1e3:.3g} mm holds all "
                             f"but {PSF_PAD_TAIL:g} of the PSF energy; spacing {spacing * 1e6:.3g} µm): a "
                             f"{scene.rows + 2 * n}×{scene.cols + 2 * n} grid per wavelength, over "
                             f"{PSF_PAD_MAX_SAMPLES} samples; use a fraction (e.g. the default 0.125)")
        return d_i, spacing, n, n
    return d_i, spacing, round_half_up(scene.rows * pad), round_half_up(scene.cols * pad)


def psf_pad_radius(optics, scene: Scene, tail: float = PSF_PAD_TAIL) -> float:
    """
    Radius (m) of the focal-plane disc holding all but ``tail`` of the polychromatic PSF
    energy of ``scene`` through ``optics`` (:func:`camsim._otf.airy_energy_radius`).

    The wavelengths are weighted by the scene's mean spectral irradiance on the focal
    plane: its mean spectral radiance (photons) times the irradiance factor (lens
    transmittance included), i.e. by how many photons each wavelength's PSF spreads.
    A black scene weights all wavelengths alike.
    """
    if scene.basis is None:
        mean = scene.coefficients.mean(axis=(0, 1), dtype=np.float64)
    else:
        mean = scene.coefficients.mean(axis=(0, 1), dtype=np.float64) @ scene.basis.astype(np.float64)
    weights = np.clip(mean, 0.0, None) * optics.irradiance_factor(scene.distance, scene.wave)
    if not np.any(weights > 0):
        weights = np.ones(scene.n_wave)
    return _otf.airy_energy_radius(scene.wave, weights, optics.fnumber, tail)
