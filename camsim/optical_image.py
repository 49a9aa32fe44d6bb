"""
Optical image — spectral irradiance at the sensor plane
=======================================================

:class:`OpticalImage` is what :meth:`camsim.Optics.form_image` returns and what
:meth:`camsim.Sensor.expose` consumes (ISETCam ``oi``). :class:`ChannelImage` is the
same focal-plane image already projected onto a sensor's spectral channels —
``Δλ·Σ_λ E(x, λ)·QE_c(λ)`` per channel c — as made by
:meth:`camsim.Optics.form_channel_image` without ever holding the spectral cube;
:class:`camsim.Sensor` accepts either.

References
----------
- ISETCam ``oiCreate``, ``oiGet``, ``oiCalculateIlluminance``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .colorimetry import photometric_weights_photons, xyz_weights_photons
from .units import check_wave

__all__ = ["OpticalImage", "ChannelImage"]


class _FocalPlaneGrid:
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


@dataclass(frozen=True, eq=False)
class OpticalImage(_FocalPlaneGrid):
    """
    Spectral irradiance on the focal plane.

    Parameters
    ----------
    irradiance
        photons/(s·m²·nm), float32 ``(rows, cols, n_wave)``; sample centres are
        symmetric about the optical axis.
    wave
        Wavelengths in nm, ``(n_wave,)``.
    sample_spacing
        Distance between samples on the focal plane, m (square samples).
    optics
        The :class:`camsim.Optics` that formed it (None for a synthetic image).
    image_distance
        Lens-to-focal-plane distance used to convert focal-plane size to field of
        view, m (thin lens, 1/f = 1/s + 1/d); None for a synthetic image.
    pad
        ``(rows, cols)`` samples of padding added on each side around the scene area.
    name
        Label (the scene name).
    """

    irradiance: NDArray[np.float32]
    wave: NDArray[np.float64]
    sample_spacing: float
    optics: Any = None
    image_distance: float | None = None
    pad: tuple[int, int] = (0, 0)
    name: str = "optical image"

    _data_field = "irradiance"

    def __post_init__(self):
        wave = check_wave(self.wave)
        e = np.asarray(self.irradiance)
        if e.ndim != 3 or e.shape[0] == 0 or e.shape[1] == 0:
            raise ValueError(f"`irradiance` must have shape (rows, cols, n_wave); got {e.shape}")
        if e.shape[2] != wave.size:
            raise ValueError(f"`irradiance` has {e.shape[2]} planes but `wave` has {wave.size} samples")
        e = np.ascontiguousarray(e, dtype=np.float32)
        self._check_geometry()
        object.__setattr__(self, "irradiance", e)
        object.__setattr__(self, "wave", wave)

    def project(self, weights: ArrayLike) -> NDArray[np.float64]:
        """
        Σ_λ irradiance·weights(λ, k) per sample, float64 ``(rows, cols, k)`` (or ``(rows, cols)``
        for 1-D ``weights`` of shape ``(n_wave,)``); the sum is accumulated in float32.
        """
        w = np.asarray(weights, dtype=np.float64)
        if w.ndim not in (1, 2) or w.shape[0] != self.n_wave:
            raise ValueError(f"`weights` must have shape (n_wave,) or (n_wave, k) with n_wave = {self.n_wave}; "
                             f"got {w.shape}")
        flat = self.irradiance.reshape(-1, self.n_wave)
        out = flat @ w.reshape(self.n_wave, -1).astype(np.float32)
        out = out.astype(np.float64).reshape(self.rows, self.cols, -1)
        return out[..., 0] if w.ndim == 1 else out

    @property
    def illuminance(self) -> NDArray[np.float64]:
        """Illuminance map, lux, ``(rows, cols)``."""
        return self.project(photometric_weights_photons(self.wave))

    @property
    def mean_illuminance(self) -> float:
        """Mean illuminance, lux."""
        return float(self.illuminance.mean())

    @property
    def xyz(self) -> NDArray[np.float64]:
        """CIE 1931 XYZ with Y in lux, ``(rows, cols, 3)``."""
        return self.project(xyz_weights_photons(self.wave))

    def __repr__(self) -> str:
        return (f"OpticalImage(name={self.name!r}, {self.rows}×{self.cols}, {self.n_wave} λ, "
                f"spacing={self.sample_spacing * 1e6:.4g} µm, pad={self.pad})")


@dataclass(frozen=True, eq=False)
class ChannelImage(_FocalPlaneGrid):
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
        the optical axis. Any strides are kept (:meth:`camsim.Optics.form_channel_image`
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
