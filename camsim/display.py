"""
Display — the model that turns RGB pixel values into spectral radiance
=====================================================================

A :class:`Display` holds the spectral power of its three primaries and a transfer
curve (digital value → linear drive). :meth:`camsim.Scene.from_image` uses it the way
ISETCam's ``sceneFromFile`` uses a calibrated display.

Displays by name (:data:`DISPLAY_NAMES`, :meth:`Display.named`):

- ``"lcd-apple"`` (the default, :meth:`Display.lcd_apple`): ISETCam's calibrated
  ``LCD-Apple`` — measured primaries (white xy = (0.3124, 0.3396), 118.15 cd/m²) and
  the measured 1024-entry gamma table of each primary; what ``sceneFromFile`` uses.
- ``"srgb"`` (:meth:`Display.srgb`): an ideal sRGB display — ITU-R BT.709 primaries,
  D65 white at a chosen luminance, the IEC 61966-2-1 curve.
- ``"apple-studio"`` (:meth:`Display.apple_studio`): colour-science's "Apple Studio
  Display" primaries *as tabulated* (relative, not white-balanced: a neutral pixel is
  xy ≈ (0.295, 0.375)) with the sRGB curve. Kept for comparison, never a default.

References
----------
- IEC 61966-2-1:1999, sRGB; ITU-R BT.709-6 (primaries, D65 white).
- ISETCam ``displayCreate('LCD-Apple')``, ``sceneFromFile``, ``ieLUTDigital``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
from numpy.typing import ArrayLike, DTypeLike, NDArray

from . import spectra
from .colorimetry import srgb_decode, xyz_from_energy
from .units import check_wave

__all__ = ["Display", "DISPLAY_NAMES", "SRGB_PRIMARY_PEAKS", "SRGB_PRIMARY_FWHM"]

DISPLAY_NAMES: tuple[str, ...] = ("lcd-apple", "srgb", "apple-studio")  # Display.named(...)
# Shapes the sRGB display's primaries are mixed from: Gaussians like an LED/OLED
# display's emission bands (peaks in nm for R, G, B; full width at half maximum in nm).
SRGB_PRIMARY_PEAKS: tuple[float, float, float] = (615.0, 545.0, 460.0)
SRGB_PRIMARY_FWHM: float = 30.0


def _eotf(v: NDArray[np.floating], transfer: str | float) -> NDArray[np.floating]:
    """The transfer curve (digital value in [0, 1] → linear drive) in the precision of ``v``."""
    if transfer == "srgb":
        return srgb_decode(v)
    return np.power(v, v.dtype.type(float(transfer)))


@lru_cache(maxsize=16)
def _code_table(transfer: str | float, itemsize: int, dtype_char: str) -> NDArray[np.floating]:
    """Curve at every uint8 (itemsize 1) or uint16 (itemsize 2) code value, read-only."""
    top = (1 << (8 * itemsize)) - 1
    table = _eotf(np.arange(top + 1, dtype=np.float64) / float(top), transfer).astype(np.dtype(dtype_char))
    table.setflags(write=False)
    return table


def _check_table(table) -> NDArray[np.float64]:
    """A gamma table ``(N >= 2, 3)`` (or ``(N,)``, same for all primaries), finite, in [0, 1], non-decreasing."""
    t = np.array(table, dtype=np.float64)
    if t.ndim == 1:
        t = np.repeat(t[:, None], 3, axis=1)
    if t.ndim != 2 or t.shape[1] != 3 or t.shape[0] < 2:
        raise ValueError(f"`transfer` table must have shape (n_codes >= 2, 3); got {np.shape(table)}")
    if not np.all(np.isfinite(t)) or t.min() < 0 or t.max() > 1:
        raise ValueError("`transfer` table values must be finite and in [0, 1] (linear drive)")
    if np.any(np.diff(t, axis=0) < 0):
        raise ValueError("`transfer` table must be monotonic (non-decreasing with the code value) in every column")
    t.setflags(write=False)
    return t


def _table_interp(table: NDArray[np.float64], v: NDArray[np.floating]) -> NDArray[np.float64]:
    """
    Linear interpolation of a gamma table at normalised values ``v`` in [0, 1], ``(..., 3)``.

    One primary at a time with :func:`numpy.take` on 1-D columns: the same arithmetic as
    ``table[i0, cols]·(1 − f) + table[i0 + 1, cols]·f``, ~4× faster than that broadcast
    fancy index (which builds full-size intp index arrays for both axes).
    """
    n = table.shape[0] - 1
    v = np.asarray(v)
    out = np.empty(v.shape, dtype=np.float64)
    for c in range(3):
        x = np.clip(v[..., c], 0.0, 1.0, dtype=np.float64) * n
        i0 = np.minimum(x.astype(np.intp), n - 1)  # floor: x >= 0
        f = x - i0
        out[..., c] = np.take(table[:-1, c], i0) * (1.0 - f) + np.take(table[1:, c], i0) * f
    return out


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
        ``"srgb"`` (IEC 61966-2-1 curve), a positive number γ (linear = v**γ), or a
        gamma table: linear drive in [0, 1] of each primary at code values
        ``0 … N−1``, shape ``(N, 3)`` (or ``(N,)`` for all three), non-decreasing,
        as ISETCam's ``d.gamma``. See :meth:`linearize` for how codes map into it.
    dpi
        Dots per inch (used for viewing geometry only).
    viewing_distance
        Viewer distance in m.
    name
        Label.
    """

    primaries: NDArray[np.float64]
    wave: NDArray[np.float64]
    transfer: str | float | NDArray[np.float64] = "srgb"
    dpi: float = 96.0
    viewing_distance: float = 0.5
    name: str = "display"
    _m: NDArray[np.float64] = field(init=False, repr=False)
    _luts: dict = field(init=False, repr=False)

    def __post_init__(self):
        wave = check_wave(self.wave)
        p = np.asarray(self.primaries, dtype=np.float64)
        if p.shape != (wave.size, 3):
            raise ValueError(f"`primaries` must have shape (n_wave, 3) = ({wave.size}, 3); got {p.shape}")
        if not np.all(np.isfinite(p)) or np.any(p < 0):
            raise ValueError("`primaries` must be finite and >= 0 W/(sr·m²·nm)")
        if isinstance(self.transfer, str):
            if self.transfer != "srgb":
                raise ValueError(f"`transfer` must be 'srgb', a gamma > 0 or an (N, 3) table; got {self.transfer!r}")
        elif np.ndim(self.transfer) > 0:
            object.__setattr__(self, "transfer", _check_table(self.transfer))
        else:
            try:
                g = float(self.transfer)
            except (TypeError, ValueError):
                g = float("nan")
            if not (np.isfinite(g) and g > 0):
                raise ValueError(f"`transfer` must be 'srgb', a gamma > 0 or an (N, 3) table; got {self.transfer!r}")
            object.__setattr__(self, "transfer", g)
        for name in ("dpi", "viewing_distance"):
            v = getattr(self, name)
            if not (np.isfinite(v) and v > 0):
                raise ValueError(f"`{name}` must be > 0; got {v!r}")
        object.__setattr__(self, "primaries", p)
        object.__setattr__(self, "wave", wave)
        m = xyz_from_energy(p.T, wave)  # (3 primaries, 3 XYZ)
        if not m.sum(axis=0)[1] > 0:
            raise ValueError("`primaries`: the display white (sum of the primaries) has zero luminance on `wave`; "
                             "it must be > 0 cd/m²")
        if abs(np.linalg.det(m)) < 1e-12 * np.abs(m).max() ** 3:
            raise ValueError("`primaries` are linearly dependent in XYZ; the display cannot be inverted")
        object.__setattr__(self, "_m", m)
        object.__setattr__(self, "_luts", {})

    @classmethod
    def default(cls, wave: ArrayLike | None = None) -> "Display":
        """The default display of :meth:`camsim.Scene.from_image`: :meth:`lcd_apple` (as ISETCam's ``sceneFromFile``)."""
        return cls.lcd_apple(wave)

    @classmethod
    def named(cls, name: str, wave: ArrayLike | None = None) -> "Display":
        """A display by name, one of :data:`DISPLAY_NAMES`, on ``wave`` (nm; default 400:10:700)."""
        makers = {"lcd-apple": cls.lcd_apple, "srgb": cls.srgb, "apple-studio": cls.apple_studio}
        if not isinstance(name, str) or name.lower() not in makers:
            raise ValueError(f"`display` name must be one of {list(DISPLAY_NAMES)}; got {name!r}")
        return makers[name.lower()](wave)

    @classmethod
    def lcd_apple(cls, wave: ArrayLike | None = None) -> "Display":
        """
        ISETCam's calibrated ``LCD-Apple`` display (``displayCreate('LCD-Apple')``).

        Measured primaries (W/(sr·m²·nm), 380:4:780 nm, linearly interpolated to
        ``wave`` in nm; white xy = (0.3124, 0.3396), 118.15 cd/m² on the 4 nm table) and
        the measured 1024-entry gamma table of each primary; dpi 96, 0.5 m.
        """
        w = spectra.DEFAULT_WAVE if wave is None else check_wave(wave)
        primaries, gamma = spectra.isetcam_display("lcd-apple", w)
        return cls(primaries, w, gamma, 96.0, 0.5, "LCD-Apple (ISETCam, measured gamma table)")

    @classmethod
    def srgb(cls, wave: ArrayLike | None = None, luminance: float = 100.0) -> "Display":
        """
        An ideal sRGB display: BT.709 primaries, D65 white of ``luminance`` cd/m², the
        IEC 61966-2-1 curve.

        The primaries' spectra are mixes of three Gaussian emission bands
        (:data:`SRGB_PRIMARY_PEAKS`, FWHM :data:`SRGB_PRIMARY_FWHM`), solved on ``wave``
        (nm) so that the CIE 1931 XYZ of each primary is exactly the sRGB primary's
        (colour-science ``RGB_COLOURSPACE_sRGB``, white Y = ``luminance``): a real
        display's smooth, non-negative spectra that reproduce the colour space
        colorimetrically (neutral codes give D65 exactly). The mixing weights must be
        non-negative (they are on 400:10:700 and finer grids); ValueError otherwise.
        """
        import colour

        w = spectra.DEFAULT_WAVE if wave is None else check_wave(wave)
        try:
            lum = float(luminance)
        except (TypeError, ValueError):
            lum = float("nan")
        if not (np.isfinite(lum) and lum > 0):
            raise ValueError(f"`luminance` must be > 0 cd/m²; got {luminance!r}")
        sigma = SRGB_PRIMARY_FWHM / (2.0 * np.sqrt(2.0 * np.log(2.0)))
        bands = np.exp(-0.5 * ((w[:, None] - np.asarray(SRGB_PRIMARY_PEAKS)[None, :]) / sigma) ** 2)
        band_xyz = xyz_from_energy(bands.T, w)  # (3 bands, XYZ)
        target = np.asarray(colour.RGB_COLOURSPACES["sRGB"].matrix_RGB_to_XYZ, dtype=np.float64).T * lum
        mix = np.linalg.solve(band_xyz.T, target.T).T  # (3 primaries, 3 bands): mix @ band_xyz = target
        if np.any(mix < 0):
            raise ValueError(f"`wave` ({w[0]:g}–{w[-1]:g} nm, {w.size} samples) cannot carry the sRGB primaries "
                             "as non-negative mixes of the emission bands; use a grid covering 400–700 nm")
        primaries = np.clip(bands @ mix.T, 0.0, None)
        return cls(primaries, w, "srgb", 96.0, 0.5, f"sRGB (BT.709 primaries, D65 white {lum:g} cd/m²)")

    @classmethod
    def apple_studio(cls, wave: ArrayLike | None = None) -> "Display":
        """
        colour-science's "Apple Studio Display" primaries *as tabulated* (relative,
        not white-balanced: neutral codes give xy ≈ (0.295, 0.375)), sRGB curve, scaled
        so full white is 100 cd/m²; wave in nm. For comparison only, never a default.
        """
        w = spectra.DEFAULT_WAVE if wave is None else check_wave(wave)
        primaries = spectra.display_primaries("Apple Studio Display", w)
        # colour-science's table is relative; scale so full white is 100 cd/m².
        primaries *= 100.0 / xyz_from_energy(primaries.sum(axis=1), w)[1]
        return cls(primaries, w, "srgb", 96.0, 0.5, "Apple Studio Display (colour-science, unbalanced; sRGB curve)")

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
            temporaries. With a gamma *table* of N entries (last axis of ``values``
            must be 3, one column per primary): uint8 codes take row
            ``round(v / 255 · (N − 1))`` as ISETCam's ``sceneFromFile`` does; uint16
            codes and floats are interpolated linearly in the table at
            ``v / 65535 · (N − 1)`` and ``v · (N − 1)`` (ISETCam would round these to
            a row too; interpolation keeps 16-bit and float images continuous).
        dtype
            Output dtype, float64 (default) or float32. Integer input: the float64
            curve rounded to ``dtype``. Float input is computed in float64 and then
            rounded, except float32 input with ``dtype=float32``, computed in float32.
        """
        out_dtype = np.dtype(dtype)
        if out_dtype not in (np.dtype(np.float64), np.dtype(np.float32)):
            raise ValueError(f"`dtype` must be float64 or float32; got {out_dtype}")
        v = np.asarray(values)
        if isinstance(self.transfer, np.ndarray):
            return self._linearize_table(v, out_dtype)
        if v.dtype in (np.uint8, np.uint16):
            return _code_table(self.transfer, v.dtype.itemsize, out_dtype.char)[v]
        work = np.float32 if v.dtype == np.float32 and out_dtype == np.float32 else np.float64
        v = v.astype(work, copy=False)
        return _eotf(v, self.transfer).astype(out_dtype, copy=False)

    def _linearize_table(self, v: NDArray, out_dtype: np.dtype) -> NDArray:
        if v.ndim == 0 or v.shape[-1] != 3:
            raise ValueError(f"`values` must have a last axis of 3 (R, G, B) for a gamma-table display; got {v.shape}")
        table = self.transfer
        if v.dtype in (np.uint8, np.uint16):
            key = (v.dtype.itemsize, out_dtype.char)
            lut = self._luts.get(key)
            if lut is None:
                top = (1 << (8 * v.dtype.itemsize)) - 1
                codes = np.arange(top + 1, dtype=np.float64) / top
                if v.dtype == np.uint8:  # ISETCam: row round(v/255·(N−1)), MATLAB round (half away from 0)
                    lut = table[np.floor(codes * (table.shape[0] - 1) + 0.5).astype(np.intp)]
                else:
                    lut = _table_interp(table, np.repeat(codes[:, None], 3, axis=1))
                lut = np.ascontiguousarray(lut.T, dtype=out_dtype)  # (3, codes): one contiguous row per primary
                lut.setflags(write=False)
                self._luts[key] = lut
            # One gather per primary (np.take with the uint index itself): exact, and ~3× faster
            # than the broadcast fancy index lut[v, cols], which builds intp index arrays.
            return np.stack([np.take(lut[c], v[..., c]) for c in range(3)], axis=-1)
        if np.issubdtype(v.dtype, np.integer) or v.dtype == bool:
            raise ValueError(f"integer `values` must be uint8 or uint16; got {v.dtype}")
        return _table_interp(table, v).astype(out_dtype, copy=False)

    def encode(self, linear: ArrayLike) -> NDArray[np.float64]:
        """Inverse of :meth:`linearize` (float path): linear drive → digital values in [0, 1]."""
        x = np.asarray(linear, dtype=np.float64)
        if isinstance(self.transfer, np.ndarray):
            t = self.transfer
            codes = np.linspace(0.0, 1.0, t.shape[0])
            out = np.empty(np.broadcast_shapes(x.shape, (3,)))
            xb = np.broadcast_to(x, out.shape)
            for c in range(3):
                out[..., c] = np.interp(xb[..., c], t[:, c], codes)
            return out
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
