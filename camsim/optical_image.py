"""
Optical image — spectral irradiance at the sensor plane
=======================================================

:class:`OpticalImage` is what :meth:`camsim.Optics.form_image` returns and what
:meth:`camsim.Sensor.expose` consumes (ISETCam ``oi``). The camera's fast path makes the
same image already projected onto a sensor's channels, a ``ChannelImage`` of the private
module :mod:`camsim._channel`; ``camsim.optical_image.ChannelImage`` still resolves to it,
with a :class:`DeprecationWarning`.

References
----------
- ISETCam ``oiCreate``, ``oiGet``, ``oiCalculateIlluminance``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._focal_plane import FocalPlaneGrid
from .colorimetry import photometric_weights_photons, xyz_weights_photons
from .units import check_wave

__all__ = ["OpticalImage"]


@dataclass(frozen=True, eq=False)
class OpticalImage(FocalPlaneGrid):
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


def __getattr__(name: str):
    # ChannelImage moved to camsim._channel with the fast path (issue 15); the old name resolves, deprecated.
    if name == "ChannelImage":
        import warnings

        from ._channel import ChannelImage

        warnings.warn("camsim.optical_image.ChannelImage moved to the camera's private fast-path module "
                      "(camsim._channel.ChannelImage); Camera.form_image returns it", DeprecationWarning, stacklevel=2)
        return ChannelImage
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
