"""
Channel image — the camera's fused optics-and-QE fast path
==========================================================

:func:`form_channel_image` forms the focal-plane image of a scene already projected onto a
sensor's spectral channels, ``Δλ·Σ_λ E(x, λ)·QE_c(λ)`` per channel c, with one FFT per
spectral basis function of the scene and one inverse FFT per channel, never holding the
spectral cube. It fuses a stage of the optics with one of the sensor, so it lives here,
used by :class:`camsim.Camera`; :meth:`camsim.Optics.form_image` stays the spectral
reference. :class:`ChannelImage` is its result, accepted by :class:`camsim.Sensor`.

References
----------
- [Goodman2017] Goodman, J. W. *Introduction to Fourier Optics*, 4th ed. (2017), §7.3.
- ISETCam ``oiCompute``, ``opticsDLCompute``, ``oiApplyOTF``, ``sensorCompute``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.fft as sfft
from numpy.typing import ArrayLike, NDArray

from . import _otf
from . import _validate as _check
from ._focal_plane import FocalPlaneGrid, check_form_args, focal_grid, padded_planes
from ._kernels import spectral as _spectral
from .scene import Scene
from .threads import fft_workers
from .units import check_wave, wave_bin_width

__all__ = ["ChannelImage", "form_channel_image", "check_channel_qe"]


@dataclass(frozen=True, eq=False)
class ChannelImage(FocalPlaneGrid):
    """
    Focal-plane irradiance projected onto the spectral channels of one sensor.

    ``signal[..., c] = Δλ · Σ_λ E(x, y, λ) · QE_c(λ)``, where E is the spectral
    irradiance an :class:`OpticalImage` would hold and Δλ the wavelength bin width
    (:func:`camsim.units.wave_bin_width`): the photo-electron rate density before
    spatial integration over the pixel apertures.

    Parameters
    ----------
    signal
        e⁻/(s·m²), float32 ``(rows, cols, n_ch)``; sample centres are symmetric about
        the optical axis. Any strides are kept (:func:`form_channel_image`
        returns a view of channels-first planes, see :attr:`planes`).
    wave
        Wavelengths in nm the projection was made on, ``(n_wave,)``.
    qe
        Quantum efficiency used for the projection, e⁻/photon, float64
        ``(n_wave, n_ch)`` on ``wave``. A :class:`camsim.Sensor` accepts the image only
        if its own QE on ``wave`` is the same.
    sample_spacing
        Distance between samples on the focal plane, m (square samples).
    optics
        The :class:`camsim.Optics` that formed it (None for a synthetic image).
    image_distance
        Lens-to-focal-plane distance, m, or None.
    pad
        ``(rows, cols)`` samples of padding added on each side around the scene area.
    name
        Label (the scene name).
    """

    signal: NDArray[np.float32]
    wave: NDArray[np.float64]
    qe: NDArray[np.float64]
    sample_spacing: float
    optics: Any = None
    image_distance: float | None = None
    pad: tuple[int, int] = (0, 0)
    name: str = "channel image"

    _data_field = "signal"

    def __post_init__(self):
        wave = check_wave(self.wave)
        s = np.asarray(self.signal)
        if s.ndim == 2:
            s = s[:, :, None]
        if s.ndim != 3 or 0 in s.shape:
            raise ValueError(f"`signal` must have shape (rows, cols, n_ch); got {s.shape}")
        if s.dtype != np.float32:
            s = s.astype(np.float32)
        qe = np.array(self.qe, dtype=np.float64)
        if qe.ndim == 1:
            qe = qe[:, None]
        if qe.shape != (wave.size, s.shape[2]):
            raise ValueError(f"`qe` must have shape (n_wave, n_ch) = ({wave.size}, {s.shape[2]}); got {qe.shape}")
        if not np.all(np.isfinite(qe)) or np.any(qe < 0):
            raise ValueError("`qe` must be finite and >= 0 e⁻/photon")
        qe.flags.writeable = False
        self._check_geometry()
        object.__setattr__(self, "signal", s)
        object.__setattr__(self, "wave", wave)
        object.__setattr__(self, "qe", qe)

    @property
    def n_channels(self) -> int:
        return self.signal.shape[2]

    @property
    def planes(self) -> NDArray[np.float32]:
        """``signal`` channels first, ``(n_ch, rows, cols)`` (a view; contiguous when made by the optics)."""
        return self.signal.transpose(2, 0, 1)

    def __repr__(self) -> str:
        return (f"ChannelImage(name={self.name!r}, {self.rows}×{self.cols}, {self.n_channels} channels "
                f"from {self.n_wave} λ, spacing={self.sample_spacing * 1e6:.4g} µm, pad={self.pad})")


def form_channel_image(optics, scene: Scene, qe: ArrayLike, *, pad: float | str = 0.125, pad_value: str = "zero",
                       crop: bool = False, workers: int | None = None, wave_chunk: int = 8,
                       fast_fft: bool = False) -> ChannelImage:
    """
    Focal-plane image already projected onto sensor channels, without the spectral cube.

    The same result as :meth:`camsim.Optics.form_image` followed by the projection
    ``Δλ·Σ_λ E(x, λ)·qe_c(λ)`` that :meth:`camsim.Sensor.electron_rate` applies,
    computed with one FFT per spectral basis function instead of two per wavelength
    (ISETCam ``opticsDLCompute``, reorganised; see Notes).

    Parameters
    ----------
    optics
        The :class:`camsim.Optics` forming the image.
    scene
        :class:`camsim.Scene`, radiance in photons/(s·sr·m²·nm); low rank (a
        ``basis``) or a full cube.
    qe
        Quantum efficiency on ``scene.wave``, e⁻/photon, ``(n_wave, n_ch)`` (or
        ``(n_wave,)`` for one channel) — e.g. ``sensor.qe_on(scene.wave)``.
    pad, pad_value, crop, workers, fast_fft
        As in :meth:`camsim.Optics.form_image` (same pad sizes and values, same cos⁴,
        same grid).
    wave_chunk
        Full-cube scenes only: wavelengths transformed together (>= 1).

    Returns
    -------
    ChannelImage
        ``signal`` float32 ``(rows + 2·pad_r, cols + 2·pad_c, n_ch)`` in e⁻/(s·m²)
        (a view of channels-first planes), with ``qe``, ``wave``, spacing, image
        distance, pad and name as :meth:`camsim.Optics.form_image` would give.

    Notes
    -----
    Everything between radiance and electron rate is linear. With the radiance
    ``L(x, λ) = Σ_k c_k(x)·P_k(λ)`` and the irradiance factor g(λ) (lens
    transmittance included, :meth:`irradiance_factor`), channel c is

        S_c = IFFT( Σ_k G_{c,k} · FFT(pad(RI·c_k)) ),
        G_{c,k}(f) = Σ_λ qe_c(λ)·Δλ·g(λ)·P_k(λ)·H_λ(f),

    with RI the cos⁴ map and H_λ the diffraction-limited OTF of :meth:`camsim.Optics.form_image`.
    Padding is linear too: the ``'mean'`` and ``'border'`` values of each
    wavelength plane are those of the coefficient planes c_k·RI combined with the
    same weights, so each coefficient plane is padded with its own mean or
    border value. Cost: r forward real FFTs, ``n_ch·r`` multiply-adds per frequency
    bin, ``n_ch`` inverse FFTs (form_image: 2·n_wave FFTs). The effective OTFs G
    are evaluated exactly in float64, stored in float32 and cached
    (:func:`camsim._otf.effective_otf`), so same-size images through one camera
    reuse them; the spectra are complex64.

    A full cube (``basis=None``) is handled as the identity basis, ``wave_chunk``
    wavelengths at a time: ``n_wave`` forward and ``n_ch`` inverse FFTs, exact.
    :meth:`camsim.Scene.low_rank` compresses it first when fewer basis functions
    suffice. Negative float32 rounding values of a channel plane are set to 0 by
    the rule of :meth:`camsim.Optics.form_image`. Sizes are those of that method (no
    enlargement to fast FFT lengths).

    References
    ----------
    - [Goodman2017] §7.3; ISETCam ``opticsDLCompute``, ``oiApplyOTF``.
    """
    pad_f, workers, wave_chunk = check_form_args(scene, pad, pad_value, crop, workers, wave_chunk)
    rows, cols, n_wave = scene.shape
    q = check_channel_qe(qe, n_wave)
    n_ch = q.shape[1]
    d_i, spacing, pr, pc = focal_grid(optics, scene, pad_f, _check.flag("fast_fft", fast_fft))
    big = (rows + 2 * pr, cols + 2 * pc)
    ri = _otf.cos4((rows, cols), spacing, d_i) if optics.relative_illumination else None
    # e⁻/photon · nm · sr per unit radiance: channel weight of each wavelength, (n_ch, n_wave).
    w = q.T * (wave_bin_width(scene.wave) * optics.irradiance_factor(scene.distance, scene.wave))

    if scene.basis is not None:
        weights = w[:, None, :] * scene.basis.astype(np.float64)[None, :, :]  # (n_ch, r, n_wave)
        groups = [(slice(0, scene.rank), weights, scene.wave)]
    else:
        groups = []
        for start in range(0, n_wave, wave_chunk):
            sl = slice(start, min(start + wave_chunk, n_wave))
            k = sl.stop - sl.start
            weights = np.zeros((n_ch, k, k))
            weights[:, np.arange(k), np.arange(k)] = w[:, sl]
            groups.append((sl, weights, scene.wave[sl]))

    out = None
    n_c = _band_columns(big, spacing, scene.wave, optics.fnumber)
    for sl, weights, wave in groups:
        planes = padded_planes(scene.coefficients[:, :, sl], ri, pad_value, pr, pc)
        spec = _band_rfft2(planes, n_c, workers or fft_workers(planes.size))
        del planes
        g = _otf.effective_otf(big, spacing, wave, optics.fnumber, weights)
        if n_c < g.shape[-1]:
            g = np.ascontiguousarray(g[..., :n_c])
        if len(groups) == 1 and n_ch <= spec.shape[0]:
            out = spec[:n_ch]  # combined in place, bin by bin
            _spectral.combine_spectra(spec, g, out, False)
        else:
            if out is None:
                out = np.empty((n_ch,) + spec.shape[1:], dtype=np.complex64)
            _spectral.combine_spectra(spec, g, out, sl.start > 0)
        del spec
    signal = _otf.band_irfft2(out, big, workers=workers or fft_workers(out.shape[0] * big[0] * big[1]))
    del out
    _otf.clip_rounding_negatives(signal)
    if crop:
        signal = np.ascontiguousarray(signal[:, pr:pr + rows, pc:pc + cols])
    return ChannelImage(
        signal=signal.transpose(1, 2, 0),
        wave=scene.wave,
        qe=q,
        sample_spacing=spacing,
        optics=optics,
        image_distance=d_i,
        pad=(0, 0) if crop else (pr, pc),
        name=scene.name,
    )


# Below this fraction of the rfft2 columns the band-limited transforms pay for their extra pass.
BAND_PRUNE_FRACTION = 0.75


def _band_columns(shape: tuple[int, int], spacing: float, wave: NDArray[np.float64], fnumber: float) -> int:
    """
    Leading ``rfft2`` columns of a ``shape`` grid (spacing in m) where the diffraction-limited
    OTF of some wavelength can be nonzero; all of them unless that is under
    :data:`BAND_PRUNE_FRACTION`. Column j has radial frequency >= its row-0 value |fx_j|, and
    the OTF is exactly 0 from the cut-off 1/(λN) on (the same float64 product
    ``rho · λ·1e-6·N >= 1`` as :func:`camsim._kernels.spectral.effective_otf`), so past the
    shortest wavelength's cut-off every column is exactly zero for every wavelength.
    """
    fx = sfft.rfftfreq(shape[1], spacing) * 1e-3  # cycles/mm, as effective_otf's grid
    n_c = int(np.count_nonzero(fx * float(np.min(wave * 1e-6 * fnumber)) < 1.0))
    n_c = max(n_c, 1)
    return n_c if n_c < BAND_PRUNE_FRACTION * fx.size else fx.size


def _band_rfft2(planes: NDArray[np.float32], n_c: int, workers: int) -> NDArray[np.complex64]:
    """
    The first ``n_c`` columns of ``rfft2(planes)`` (all of them: plain ``rfft2``), complex64
    C-contiguous ``(k, rows, n_c)``: rows transformed whole, then only the kept columns.
    """
    if n_c == planes.shape[-1] // 2 + 1:
        return sfft.rfft2(planes, axes=(-2, -1), workers=workers, overwrite_x=True)
    half = sfft.rfft(planes, axis=-1, workers=workers, overwrite_x=True)
    return sfft.fft(np.ascontiguousarray(half[..., :n_c]), axis=-2, workers=workers, overwrite_x=True)


def check_channel_qe(qe: ArrayLike, n_wave: int) -> NDArray[np.float64]:
    """QE ``(n_wave, n_ch)`` (or ``(n_wave,)``) on the scene's wavelengths: finite, >= 0 e⁻/photon."""
    q = np.array(qe, dtype=np.float64)
    if q.ndim == 1:
        q = q[:, None]
    if q.ndim != 2 or q.shape[0] != n_wave or q.shape[1] < 1:
        raise ValueError(f"`qe` must have shape (n_wave, n_ch) with n_wave = {n_wave} (the scene's "
                         f"wavelengths); got {np.shape(qe)}; use sensor.qe_on(scene.wave)")
    if not np.all(np.isfinite(q)) or np.any(q < 0):
        raise ValueError("`qe` must be finite and >= 0 e⁻/photon")
    return q
