"""
Display — the model that turns RGB pixel values into spectral radiance
=====================================================================

A :class:`Display` holds the spectral power of its three primaries and a transfer
curve (digital value → linear drive). :meth:`camsim.Scene.from_image` uses it the way
ISETCam's ``sceneFromFile`` uses a calibrated display.

colour-science tabulates primaries but no transfer curves; the default display is
the Apple Studio Display primaries with the sRGB transfer curve (IEC 61966-2-1),
which is what RGB files on disk are encoded for. ISETCam's default (``LCD-Apple``)
uses that display's measured gamma table instead.

References
----------
- IEC 61966-2-1:1999, sRGB.
- ISETCam ``displayCreate``, ``sceneFromFile``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
from numpy.typing import ArrayLike, DTypeLike, NDArray

from . import spectra
from .units import check_wave, xyz_from_energy

__all__ = ["Display"]


def _eotf(v: NDArray[np.floating], transfer: str | float) -> NDArray[np.floating]:
    """The transfer curve (digital value in [0, 1] → linear drive) in the precision of ``v``."""
    t = v.dtype.type
    if transfer == "srgb":
        low = v <= t(0.04045)
        out = v + t(0.055)
        out /= t(1.055)
        np.power(out, t(2.4), out=out)
        np.divide(v, t(12.92), out=out, where=low)
        return out
    return np.power(v, t(float(transfer)))


@lru_cache(maxsize=16)
def _code_table(transfer: str | float, itemsize: int, dtype_char: str) -> NDArray[np.floating]:
    """Curve at every uint8 (itemsize 1) or uint16 (itemsize 2) code value, read-only."""
    top = (1 << (8 * itemsize)) - 1
    table = _eotf(np.arange(top + 1, dtype=np.float64) / float(top), transfer).astype(np.dtype(dtype_char))
    table.setflags(write=False)
    return table


@dataclass(frozen=True, eq=False)
class Display:
    """
    An emissive RGB display.

    Parameters
    ----------
    primaries
        Spectral radiance of the R, G, B primaries at full drive, W/(sr·m²·nm),
        shape ``(n_wave, 3)``.
    wave
        Wavelengths in nm, shape ``(n_wave,)``.
    transfer
        ``"srgb"`` (IEC 61966-2-1 curve) or a positive number γ (linear = v**γ).
    dpi
        Dots per inch (used for viewing geometry only).
    viewing_distance
        Viewer distance in m.
    name
        Label.
    """

    primaries: NDArray[np.float64]
    wave: NDArray[np.float64]
    transfer: str | float = "srgb"
    dpi: float = 96.0
    viewing_distance: float = 0.5
    name: str = "display"
    _m: NDArray[np.float64] = field(init=False, repr=False)

    def __post_init__(self):
        wave = check_wave(self.wave)
        p = np.asarray(self.primaries, dtype=np.float64)
        if p.shape != (wave.size, 3):
            raise ValueError(f"`primaries` must have shape (n_wave, 3) = ({wave.size}, 3); got {p.shape}")
        if not np.all(np.isfinite(p)) or np.any(p < 0):
            raise ValueError("`primaries` must be finite and >= 0 W/(sr·m²·nm)")
        if isinstance(self.transfer, str):
            if self.transfer != "srgb":
                raise ValueError(f"`transfer` must be 'srgb' or a gamma > 0; got {self.transfer!r}")
        elif not (np.isfinite(self.transfer) and self.transfer > 0):
            raise ValueError(f"`transfer` gamma must be > 0; got {self.transfer!r}")
        for name in ("dpi", "viewing_distance"):
            v = getattr(self, name)
            if not (np.isfinite(v) and v > 0):
                raise ValueError(f"`{name}` must be > 0; got {v!r}")
        object.__setattr__(self, "primaries", p)
        object.__setattr__(self, "wave", wave)
        m = xyz_from_energy(p.T, wave)  # (3 primaries, 3 XYZ)
        if abs(np.linalg.det(m)) < 1e-12 * np.abs(m).max() ** 3:
            raise ValueError("`primaries` are linearly dependent in XYZ; the display cannot be inverted")
        object.__setattr__(self, "_m", m)

    @classmethod
    def default(cls, wave: ArrayLike | None = None) -> "Display":
        """Apple Studio Display primaries (colour-science), sRGB transfer curve, white 100 cd/m², wave in nm."""
        w = spectra.DEFAULT_WAVE if wave is None else check_wave(wave)
        primaries = spectra.display_primaries("Apple Studio Display", w)
        # colour-science's table is relative; scale so full white is 100 cd/m².
        primaries *= 100.0 / xyz_from_energy(primaries.sum(axis=1), w)[1]
        return cls(primaries, w, "srgb", 96.0, 0.5, "Apple Studio Display (sRGB curve, white 100 cd/m²)")

    # -- transfer curve ---------------------------------------------------------------
    def linearize(self, values: ArrayLike, *, dtype: DTypeLike = np.float64) -> NDArray:
        """
        Digital values → linear drive in [0, 1] (the display's EOTF).

        Parameters
        ----------
        values
            Float values in [0, 1], or integer code values: uint8 (0…255) and uint16
            (0…65535) are read as ``v / 255`` and ``v / 65535`` and looked up in a table
            of the curve at every code value, which gives the same numbers as the
            formula applied to the divided values, without float64 full-size
            temporaries.
        dtype
            Output dtype, float64 (default) or float32. Integer input: the float64
            curve rounded to ``dtype``. Float input is computed in float64 and then
            rounded, except float32 input with ``dtype=float32``, computed in float32.
        """
        out_dtype = np.dtype(dtype)
        if out_dtype not in (np.dtype(np.float64), np.dtype(np.float32)):
            raise ValueError(f"`dtype` must be float64 or float32; got {out_dtype}")
        v = np.asarray(values)
        if v.dtype in (np.uint8, np.uint16):
            return _code_table(self.transfer, v.dtype.itemsize, out_dtype.char)[v]
        work = np.float32 if v.dtype == np.float32 and out_dtype == np.float32 else np.float64
        v = v.astype(work, copy=False)
        return _eotf(v, self.transfer).astype(out_dtype, copy=False)

    def encode(self, linear: ArrayLike) -> NDArray[np.float64]:
        """Inverse of :meth:`linearize`: linear drive → digital values in [0, 1]."""
        x = np.asarray(linear, dtype=np.float64)
        if self.transfer == "srgb":
            return np.where(x <= 0.0031308, 12.92 * x, 1.055 * np.abs(x) ** (1 / 2.4) * np.sign(x) - 0.055)
        return np.sign(x) * np.abs(x) ** (1.0 / float(self.transfer))

    # -- colorimetry -----------------------------------------------------------------
    @property
    def rgb_to_xyz(self) -> NDArray[np.float64]:
        """3×3 matrix M with ``xyz = linear_rgb @ M`` (Y in cd/m²)."""
        return self._m.copy()

    @property
    def white_spd(self) -> NDArray[np.float64]:
        """Spectral radiance of full white (sum of primaries), W/(sr·m²·nm)."""
        return self.primaries.sum(axis=1)

    @property
    def white_xyz(self) -> NDArray[np.float64]:
        """XYZ of full white, Y in cd/m²."""
        return self._m.sum(axis=0)

    def xyz_to_linear_rgb(self, xyz: ArrayLike) -> NDArray[np.float64]:
        """XYZ (cd/m²) → linear drive, ``(..., 3)``."""
        return np.asarray(xyz, dtype=np.float64) @ np.linalg.inv(self._m)

    @property
    def degrees_per_dot(self) -> float:
        """Visual angle of one display dot, degrees (atan of pitch/distance)."""
        return float(np.degrees(np.arctan(0.0254 / self.dpi / self.viewing_distance)))
