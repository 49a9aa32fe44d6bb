"""
Units — physical constants, energy ↔ photons, wavelength grids
==============================================================

Radiometric conversions used by every stage of the chain; photometry and XYZ
live in :mod:`camsim.colorimetry`.
Spectral arrays are channels-last: the last axis is wavelength (nm).

References
----------
- CIE 15:2018, *Colorimetry*, 4th ed. (luminous efficacy K_m = 683 lm/W).
- ISETCam ``Energy2Quanta``, ``Quanta2Energy``, ``ieLuminanceFromEnergy``,
  ``ieXYZFromEnergy`` (same formulas; CODATA 2018 constants from scipy here).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import constants as _sc

__all__ = [
    "PLANCK",
    "SPEED_OF_LIGHT",
    "ELEMENTARY_CHARGE",
    "LUMINOUS_EFFICACY",
    "check_wave",
    "wave_bin_width",
    "photon_energy",
    "energy_to_photons",
    "photons_to_energy",
]

PLANCK: float = _sc.h  # J·s (CODATA 2018, exact)
SPEED_OF_LIGHT: float = _sc.c  # m/s (exact)
ELEMENTARY_CHARGE: float = _sc.e  # C (exact)
LUMINOUS_EFFICACY: float = 683.0  # lm/W, K_m of photopic vision (CIE)


def check_wave(wave: ArrayLike, name: str = "wave") -> NDArray[np.float64]:
    """Validate a wavelength grid in nm: 1-D, finite, > 0, strictly increasing."""
    w = np.asarray(wave, dtype=np.float64)
    if w.ndim == 0:
        w = w[None]
    if w.ndim != 1 or w.size == 0:
        raise ValueError(f"`{name}` must be a non-empty 1-D array of wavelengths in nm; got shape {w.shape}")
    if not np.all(np.isfinite(w)) or np.any(w <= 0):
        raise ValueError(f"`{name}` must hold finite wavelengths > 0 nm; got {w}")
    if w.size > 1 and np.any(np.diff(w) <= 0):
        raise ValueError(f"`{name}` must be strictly increasing (nm)")
    return w


def wave_bin_width(wave: ArrayLike) -> NDArray[np.float64]:
    """
    Width Δλ (nm) of the band each wavelength sample stands for.

    Uniform grids give the spacing everywhere; a single sample counts as a 10 nm
    band, as in ISETCam. Non-uniform grids use the centred difference
    (``numpy.gradient``), i.e. trapezoid-like weights.
    """
    w = check_wave(wave)
    if w.size == 1:
        return np.array([10.0])
    return np.gradient(w)


def photon_energy(wave: ArrayLike) -> NDArray[np.float64]:
    """Energy of one photon, h·c/λ, in joules; ``wave`` in nm."""
    w = check_wave(wave)
    return PLANCK * SPEED_OF_LIGHT / (w * 1e-9)


def energy_to_photons(energy: ArrayLike, wave: ArrayLike) -> NDArray:
    """
    Convert spectral energy (W per unit per nm) to a photon rate (photons/s per unit per nm).

    ``energy`` has wavelength on its last axis, matching ``wave`` (nm). float32 input
    stays float32.
    """
    e = np.asarray(energy)
    q = photon_energy(wave)
    if e.shape[-1] != q.size:
        raise ValueError(f"`energy` last axis ({e.shape[-1]}) must match `wave` ({q.size} samples)")
    out_dtype = e.dtype if e.dtype == np.float32 else np.float64
    return (e / q).astype(out_dtype, copy=False)


def photons_to_energy(photons: ArrayLike, wave: ArrayLike) -> NDArray:
    """Inverse of :func:`energy_to_photons`: photons/s per unit per nm → W per unit per nm."""
    p = np.asarray(photons)
    q = photon_energy(wave)
    if p.shape[-1] != q.size:
        raise ValueError(f"`photons` last axis ({p.shape[-1]}) must match `wave` ({q.size} samples)")
    out_dtype = p.dtype if p.dtype == np.float32 else np.float64
    return (p * q).astype(out_dtype, copy=False)


# Moved to camsim.colorimetry (issue 15); these names resolve there, with a DeprecationWarning.
_MOVED = ("luminance_from_energy", "luminance_from_photons", "xyz_from_energy", "xyz_from_photons")


def __getattr__(name: str):
    if name in _MOVED:
        import importlib
        import warnings

        warnings.warn(f"camsim.units.{name} moved to camsim.colorimetry.{name}", DeprecationWarning, stacklevel=2)
        return getattr(importlib.import_module("camsim.colorimetry"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
