"""
ISP — image processor: demosaic, sensor → XYZ, white balance, sRGB rendering
============================================================================

:class:`ISP` turns a :class:`camsim.Raw` into a display-ready sRGB image, following
ISETCam's ``ipCompute`` with its defaults (bilinear demosaic, "MCC optimized" sensor
correction to XYZ, display rendering) and adding the white-balance modes of
``imageIlluminantCorrection``. The steps are pure functions, usable on their own:

1. ``x = max(data − black, 0) / (white − black)`` — raw normalised so that the
   saturation level is 1 (``raw.data``: DN if digital, else V);
2. :func:`camsim.demosaic.demosaic` → ``sensor_rgb`` (rows, cols, 3), still in
   that normalised unit;
3. white balance as diagonal gains in *sensor* space (:func:`illuminant_gains`,
   :func:`gray_world_gains`, :func:`white_world_gains` or fixed gains);
4. ``xyz = max(sensor_rgb · gains @ M, 0)`` with ``M`` from
   :func:`sensor_to_xyz_matrix` (least squares on ColorChecker patches under the
   calibration illuminant, computed from the sensor QE; never a stored table);
5. exposure normalisation (ISETCam's display-rendering scale, or none);
6. XYZ → linear sRGB (IEC 61966-2-1 matrix, with a Bradford adaptation from the
   calibration white to D65), clipped to [0, 1], then the sRGB transfer curve.

Steps 1 and 4–6 run as fused numba kernels (:mod:`camsim._kernels.isp`): one pass
for the normalisation, one for the colour matrix and the exposure peak, one for
scaling, clipping and encoding, where the sRGB curve is interpolated in a table
(within 2e-6 of the formula; :func:`srgb_encode` keeps the formula).

Colour transforms use the row-vector convention of ISETCam's
``imageLinearTransform``: ``out = pixel @ M`` with ``M`` shaped ``(n_in, n_out)``.

References
----------
- ISETCam ``ipCompute`` / ``ipComputeSingle``, ``imageSensorCorrection``,
  ``ieColorTransform`` / ``imageSensorTransform`` ("MCC optimized"),
  ``imageIlluminantCorrection`` (gray world, white world), ``displayRender``.
- IEC 61966-2-1:1999, *Multimedia systems — Colour measurement and management —
  Default RGB colour space — sRGB* (primaries, transfer curve).
- Lam, K. M. (1985), Bradford chromatic adaptation transform (as in colour-science).
- Finlayson, G. D. & Drew, M. S. (1996). Constrained least-squares regression in
  color spaces. *J. Electronic Imaging* 6(4) — white-point-preserving fits.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from . import _validate as _check
from . import spectra
from ._kernels import isp as _kisp
from . import cfa as _cfa
from .demosaic import DEMOSAIC_METHODS
from .demosaic import demosaic as _demosaic
from . import colorimetry as _col
from . import white_balance as _wb
from .colorimetry import cached_sensor_to_xyz_matrix, check_qe, spectrum_key
from .white_balance import WHITE_BALANCE_MODES

__all__ = [
    "WHITE_BALANCE_MODES",
    "EXPOSURE_NORMALISATIONS",
    "ISP",
    "Rendering",
    "normalise_raw",
]

EXPOSURE_NORMALISATIONS: tuple[str, ...] = ("isetcam", "none")




# ----------------------------------------------------------------------------- spectra

@lru_cache(maxsize=32)
def _to_srgb_cached(wave_key: tuple, illuminant: Any) -> NDArray[np.float32]:
    if illuminant is None:  # XYZ already relative to the sRGB white: no adaptation
        m = _col.xyz_to_linear_srgb_matrix(None).astype(np.float32)
        m.setflags(write=False)
        return m
    il = illuminant if isinstance(illuminant, str) else np.asarray(illuminant, dtype=np.float64)
    m = _col.xyz_to_linear_srgb_matrix(_col.chart_xyz(np.asarray(wave_key), illuminant=il)).astype(np.float32)
    m.setflags(write=False)
    return m


# ----------------------------------------------------------------------------- raw

def normalise_raw(data: ArrayLike, black_level: float, white_level: float) -> NDArray[np.float32]:
    """
    ``max(data − black, 0) / (white − black)``: raw samples with 0 = no light and
    1 = saturation, float32 (ISETCam ``ipCompute`` step 0 plus the division by the
    sensor range).

    Parameters
    ----------
    data
        Raw samples (DN or V), shape ``(rows, cols)``.
    black_level, white_level
        Output for zero light and at saturation, same unit as ``data``; white > black.
    """
    return _normalise(data, black_level, white_level)[0]


def _normalise(data: ArrayLike, black_level: float, white_level: float) -> tuple[NDArray[np.float32], float]:
    """:func:`normalise_raw` and the peak of its output, in one fused pass."""
    d = np.asarray(data)
    if d.ndim != 2:
        raise ValueError(f"`raw.data` must have shape (rows, cols); got {d.shape}")
    if d.shape[0] < 2 or d.shape[1] < 2:
        raise ValueError(f"`raw.data` must be at least 2×2 pixels; got {d.shape}")
    if not (np.isfinite(black_level) and np.isfinite(white_level) and white_level > black_level):
        raise ValueError(f"`raw.white_level` ({white_level!r}) must be finite and > "
                         f"`raw.black_level` ({black_level!r})")
    d = np.ascontiguousarray(d, dtype=np.float32)
    out, peak, finite = _kisp.normalise(d, np.float32(black_level), np.float32(white_level - black_level))
    if not finite:
        raise ValueError("`raw.data` must be finite (no NaN or inf)")
    return out, peak


# ----------------------------------------------------------------------------- ISP

@dataclass(frozen=True, eq=False)
class Rendering:
    """
    What :meth:`ISP.render` returns. All images are float32 ``(rows, cols, 3)``.

    Attributes
    ----------
    image
        sRGB-encoded display values in [0, 1].
    linear
        Linear sRGB in [0, 1] (clipped).
    xyz
        CIE XYZ after white balance and exposure normalisation, relative to the
        calibration white (Y = 1 is a white at display white); negatives clipped,
        not clipped above.
    sensor_rgb
        Demosaicked sensor (R, G, B), black-subtracted and divided by
        ``white − black`` (1 = saturation); for a monochrome raw, the plane replicated.
    matrix
        Sensor → XYZ matrix used, ``(3, 3)``, ``xyz = rgb @ matrix`` (before gains
        and exposure scale); None for monochrome.
    gains
        White-balance gains applied to sensor (R, G, B), ``(3,)``.
    exposure_scale
        Factor applied to XYZ by the exposure normalisation.
    """

    image: NDArray[np.float32]
    linear: NDArray[np.float32]
    xyz: NDArray[np.float32]
    sensor_rgb: NDArray[np.float32]
    matrix: NDArray[np.float64] | None
    gains: NDArray[np.float64]
    exposure_scale: float


@dataclass(frozen=True)
class ISP:
    """
    Image processor: raw sensor data → sRGB (ISETCam ``ipCreate`` / ``ipCompute``).

    Parameters
    ----------
    demosaic
        ``"bilinear"`` (ISETCam default), ``"malvar"`` (Malvar–He–Cutler 2004) or ``"menon"`` (Menon et al. 2007, DDFAPD).
    white_balance
        ``"none"`` (ISETCam default), ``"gray_world"``, ``"white_world"``,
        ``"illuminant"`` (needs ``scene_illuminant``) or fixed sensor (R, G, B) gains,
        a 3-tuple of positive numbers. Every mode is a diagonal gain in sensor space,
        applied before the colour matrix; computed modes keep green at 1.
    scene_illuminant
        For ``white_balance="illuminant"``: the illuminant the scene was lit by, a name
        (:func:`camsim.spectra.illuminant_names`) or a photon spectrum on the sensor's
        wavelengths.
    calibration_illuminant
        Illuminant the sensor → XYZ matrix is fitted under, and the white the
        computed white-balance modes aim for (default D65).
    chart
        Reflectances for the fit: a :func:`camsim.spectra.colorchecker` data set.
    preserve_white
        Constrain the fit so that a perfect white maps exactly to the calibration
        white (default True: lower held-out mean ΔE2000 for the NPL cameras and exactly
        neutral whites after white balance; ISETCam's fit is unconstrained, False).
    fit_scene_light
        With ``white_balance="none"`` (default True): when :meth:`render` is told the
        light the scene was lit by (``scene_light``; :class:`camsim.Camera` passes
        ``Scene.illuminant``, for an image the display white), fit the colour matrix
        under that light instead of ``calibration_illuminant`` and render its XYZ with
        no chromatic adaptation. The scene's light then keeps its own colour (a
        display's white renders at the display's white point, D65 stays neutral), as
        ISETCam intends with no illuminant correction, without the metamerism error
        of a D65 fit on peaked display spectra (measured: LCD-Apple white rendered
        Δxy = (+0.005, +0.008) off with the D65 fit, exact with this one).
        A camera with per-illuminant colour matrices (DNG ``ColorMatrix1/2``) does
        the same. False: always ``calibration_illuminant`` (ISETCam's D65 fit).
    exposure_normalisation
        ``"isetcam"``: scale so the linear-sRGB maximum equals the largest normalised
        raw value, ``max(data − black)/(white − black)`` (= ISETCam's max(V)/V_swing)
        for an analog raw, and 1 for a digital raw (ISETCam ``displayRender``).
        ``"none"``: absolute; a white diffuser under the calibration illuminant whose
        brightest channel reaches the raw white level renders at Y ≈ 1 (display white).
    subtract_dark
        Also subtract the raw's mean dark signal (``raw.dark_level``), as a camera's
        black-level clamp does with its optically masked pixels (default True). Only the
        dark *noise* then remains. ISETCam does not subtract it (its zero level excludes
        dark current), so long exposures — f/22 at 1 µm pixels needs ~50 s — render
        with a grey pedestal there.

    Examples
    --------
    >>> isp = ISP(demosaic="malvar", white_balance="illuminant", scene_illuminant="A")
    >>> isp.demosaic
    'malvar'
    """

    demosaic: str = "bilinear"
    white_balance: str | tuple[float, float, float] = "none"
    scene_illuminant: str | tuple[float, ...] | None = None
    calibration_illuminant: str | tuple[float, ...] = "D65"
    chart: str = "BabelColor Average"
    preserve_white: bool = True
    exposure_normalisation: str = "isetcam"
    subtract_dark: bool = True
    fit_scene_light: bool = True

    def __post_init__(self):
        if self.demosaic not in DEMOSAIC_METHODS:
            raise ValueError(f"`demosaic` must be one of {list(DEMOSAIC_METHODS)}; got {self.demosaic!r}")
        wb = self.white_balance
        if isinstance(wb, str):
            if wb not in WHITE_BALANCE_MODES:
                raise ValueError(f"`white_balance` must be one of {list(WHITE_BALANCE_MODES)} or 3 gains > 0; "
                                 f"got {wb!r}")
        else:
            try:
                g = np.asarray(wb, dtype=np.float64)
            except (TypeError, ValueError):
                g = np.asarray([np.nan])
            if g.shape != (3,) or not np.all(np.isfinite(g)) or np.any(g <= 0):
                raise ValueError(f"`white_balance` gains must be 3 finite values > 0 (sensor R, G, B), or one of "
                                 f"{list(WHITE_BALANCE_MODES)}; got {wb!r}")
            object.__setattr__(self, "white_balance", tuple(g.tolist()))
        object.__setattr__(self, "scene_illuminant",
                           _check.illuminant_spectrum(self.scene_illuminant, "scene_illuminant", allow_none=True))
        if self.white_balance == "illuminant" and self.scene_illuminant is None:
            raise ValueError("`scene_illuminant` is required with white_balance='illuminant' "
                             f"(a name from {spectra.illuminant_names()} or a photon spectrum)")
        object.__setattr__(self, "calibration_illuminant",
                           _check.illuminant_spectrum(self.calibration_illuminant, "calibration_illuminant"))
        if self.chart not in spectra.colorchecker_names():
            raise ValueError(f"`chart` must be one of {spectra.colorchecker_names()}; got {self.chart!r}")
        if self.exposure_normalisation not in EXPOSURE_NORMALISATIONS:
            raise ValueError(f"`exposure_normalisation` must be one of {list(EXPOSURE_NORMALISATIONS)}; "
                             f"got {self.exposure_normalisation!r}")
        object.__setattr__(self, "preserve_white", bool(self.preserve_white))
        if not isinstance(self.fit_scene_light, (bool, np.bool_)):
            raise ValueError(f"`fit_scene_light` must be True or False; got {self.fit_scene_light!r}")
        object.__setattr__(self, "fit_scene_light", bool(self.fit_scene_light))
        if not isinstance(self.subtract_dark, (bool, np.bool_)):
            raise ValueError(f"`subtract_dark` must be True or False; got {self.subtract_dark!r}")

    # -- pieces -----------------------------------------------------------------

    @staticmethod
    def _spectrum(value: str | tuple, wave: NDArray, name: str) -> str | NDArray[np.float64]:
        """A field's illuminant on ``wave``: a name stays a name (a short cache key, resolved by the same
        :func:`camsim._validate.illuminant_photons` in :mod:`camsim.colorimetry`), a spectrum is checked there."""
        return value if isinstance(value, str) else _check.illuminant_photons(value, wave, name)

    def matrix(self, qe: ArrayLike, wave: ArrayLike) -> NDArray[np.float64]:
        """Sensor → XYZ matrix for this QE (cached per QE / wavelength grid), ``(3, 3)``."""
        q, w = check_qe(qe, wave)
        cal = self._spectrum(self.calibration_illuminant, w, "calibration_illuminant")
        return cached_sensor_to_xyz_matrix(q, w, illuminant=cal, chart=self.chart, preserve_white=self.preserve_white)

    def gains(self, sensor_rgb: ArrayLike, qe: ArrayLike, wave: ArrayLike) -> NDArray[np.float64]:
        """White-balance gains for sensor (R, G, B), shape ``(3,)`` (see ``white_balance``)."""
        wb = self.white_balance
        if isinstance(wb, tuple):
            return np.asarray(wb, dtype=np.float64)
        if wb == "none":
            return np.ones(3)
        q, w = check_qe(qe, wave)
        cal = self._spectrum(self.calibration_illuminant, w, "calibration_illuminant")
        if wb == "illuminant":
            scene = self._spectrum(self.scene_illuminant, w, "scene_illuminant")
            return _wb.illuminant_gains(q, w, scene, calibration_illuminant=cal)
        white = _col.sensor_response(q, w, illuminant=cal)
        if wb == "gray_world":
            return _wb.gray_world_gains(sensor_rgb, white)
        return _wb.white_world_gains(sensor_rgb, white)

    # -- the pipeline -------------------------------------------------------------

    def render(self, raw, *, scene_light: ArrayLike | None = None) -> Rendering:
        """
        Render a :class:`camsim.Raw` to sRGB.

        Parameters
        ----------
        raw
            Needs ``data`` (DN or V, ``(rows, cols)``), ``cfa`` (a Bayer layout or None
            for monochrome), ``black_level``, ``white_level``, ``digital`` (None for an
            analog raw) and, for colour, ``sensor.qe`` (e⁻/photon, ``(n_wave, 3)``,
            R, G, B) on ``sensor.wave`` (nm).
        scene_light
            The light the scene was lit by: a photon spectrum (any scale) on
            ``raw.sensor.wave``, an illuminant name or a :class:`colour.SpectralDistribution`
            (:func:`camsim._validate.illuminant_photons`), or None (unknown). Used with ``fit_scene_light`` and
            ``white_balance="none"``; ignored otherwise.

        Returns
        -------
        Rendering
            sRGB image, linear sRGB, XYZ and the demosaicked sensor image.
        """
        if not all(hasattr(raw, a) for a in ("data", "cfa", "black_level", "white_level")):
            raise TypeError(f"`raw` must be a camsim.Raw (from Sensor.expose or Capture.raw); got {type(raw).__name__}")
        black = float(raw.black_level)
        if self.subtract_dark:
            black += float(getattr(raw, "dark_level", 0.0))
        x, x_peak = _normalise(raw.data, black, float(raw.white_level))
        digital = getattr(raw, "digital", None) is not None
        if raw.cfa is None:
            return self._render_mono(x, digital)
        _cfa.check_cfa(raw.cfa, "raw.cfa")
        sensor = getattr(raw, "sensor", None)
        if sensor is None or not hasattr(sensor, "qe") or not hasattr(sensor, "wave"):
            raise ValueError("`raw.sensor` must provide `qe` (n_wave, 3) and `wave` (nm) to compute the colour matrix")
        qe, wave = check_qe(sensor.qe, sensor.wave)

        rgb = _demosaic(x, raw.cfa, self.demosaic)
        if scene_light is not None and self.fit_scene_light and self.white_balance == "none":
            light = _check.illuminant_photons(scene_light, wave, "scene_light")
            m = cached_sensor_to_xyz_matrix(qe, wave, illuminant=light, chart=self.chart,
                                            preserve_white=self.preserve_white)
            g = np.ones(3)
            to_srgb = _to_srgb_cached(tuple(wave.tolist()), None)  # absolute: no chromatic adaptation
        else:
            m = self.matrix(qe, wave)
            g = self.gains(rgb, qe, wave)
            to_srgb = self._to_srgb(wave)
        # Fused kernels (camsim._kernels.isp): xyz = max(rgb·g @ M, 0) (ISETCam clips negatives
        # in the internal space) and the peak of xyz @ to_srgb; then exposure scale, clip to
        # [0, 1] and the sRGB curve in one more pass.
        shape = rgb.shape
        flat = rgb.reshape(-1, 3)
        xyz = np.empty_like(flat)
        peak = _kisp.colour_pass(flat, (g[:, None] * m).astype(np.float32), to_srgb, xyz)
        scale = self._exposure_scale(peak, x_peak, digital)
        lin = np.empty_like(flat)
        image = np.empty_like(flat)
        _kisp.finish_pass(xyz, to_srgb, np.float32(scale), _kisp.srgb_table(), lin, image)
        return Rendering(image=image.reshape(shape), linear=lin.reshape(shape),
                         xyz=xyz.reshape(shape), sensor_rgb=rgb, matrix=np.array(m), gains=g,
                         exposure_scale=scale)

    def _to_srgb(self, wave: NDArray[np.float64]) -> NDArray[np.float32]:
        """XYZ (calibration white, Y = 1) → linear sRGB matrix in float32, cached per wavelength grid."""
        cal = self._spectrum(self.calibration_illuminant, wave, "calibration_illuminant")
        return _to_srgb_cached(tuple(wave.tolist()), spectrum_key(cal))

    def _exposure_scale(self, peak: float, raw_peak: float, digital: bool) -> float:
        if self.exposure_normalisation == "none" or not peak > 0:
            return 1.0
        target = 1.0 if digital else raw_peak
        return target / peak

    def _render_mono(self, x: NDArray[np.float32], digital: bool) -> Rendering:
        """Monochrome raw: the normalised plane replicated to grey (ISETCam ``ipComputeSingle``)."""
        grey = np.repeat(x[:, :, None], 3, axis=2)
        scale = self._exposure_scale(float(x.max()), float(x.max()), digital)
        lin = np.clip(grey * np.float32(scale), 0.0, 1.0)
        srgb_to_xyz = np.linalg.inv(_col.xyz_to_linear_srgb_matrix()).astype(np.float32)
        xyz = (grey * np.float32(scale)).reshape(-1, 3) @ srgb_to_xyz
        return Rendering(image=_col.srgb_encode(lin), linear=lin, xyz=xyz.reshape(grey.shape), sensor_rgb=grey,
                         matrix=None, gains=np.ones(3), exposure_scale=scale)


# Moved in issue 15: colour arithmetic to camsim.colorimetry, white-balance gains to
# camsim.white_balance. The old names still resolve here, with a DeprecationWarning.
_MOVED = {"sensor_response": _col, "chart_xyz": _col, "sensor_to_xyz_matrix": _col,
          "xyz_to_linear_srgb_matrix": _col, "srgb_encode": _col, "illuminant_gains": _wb,
          "gray_world_gains": _wb, "white_world_gains": _wb}


def __getattr__(name: str):
    if name in _MOVED:
        import warnings

        home = _MOVED[name].__name__
        warnings.warn(f"camsim.isp.{name} moved to {home}.{name}", DeprecationWarning, stacklevel=2)
        return getattr(_MOVED[name], name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
