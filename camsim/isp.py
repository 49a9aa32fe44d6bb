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
from .demosaic import CFA_PATTERNS, DEMOSAIC_METHODS
from .demosaic import demosaic as _demosaic
from .units import check_wave, wave_bin_width, xyz_from_photons

__all__ = [
    "WHITE_BALANCE_MODES",
    "EXPOSURE_NORMALISATIONS",
    "ISP",
    "Rendering",
    "normalise_raw",
    "sensor_response",
    "chart_xyz",
    "sensor_to_xyz_matrix",
    "illuminant_gains",
    "gray_world_gains",
    "white_world_gains",
    "xyz_to_linear_srgb_matrix",
    "srgb_encode",
]

WHITE_BALANCE_MODES: tuple[str, ...] = ("none", "gray_world", "white_world", "illuminant")
EXPOSURE_NORMALISATIONS: tuple[str, ...] = ("isetcam", "none")

_WHITE_WORLD_FRACTION = 0.7  # ISETCam imageIlluminantCorrection: pixels ≥ 0.7 × the channel maximum
_GREEN = 1  # channel whose gain stays 1 in every white-balance mode


# ----------------------------------------------------------------------------- spectra

def _reflectances(chart: str | ArrayLike, wave: NDArray[np.float64]) -> NDArray[np.float64]:
    if isinstance(chart, str):
        if chart not in spectra.colorchecker_names():
            raise ValueError(f"`chart` must be one of {spectra.colorchecker_names()} or an (n_surfaces, n_wave) "
                             f"array of reflectances; got {chart!r}")
        return spectra.colorchecker(chart, wave)[0]
    r = np.asarray(chart, dtype=np.float64)
    if r.ndim != 2 or r.shape[1] != wave.size or r.shape[0] < 3:
        raise ValueError(f"`chart` array must have shape (n_surfaces >= 3, {wave.size}); got {r.shape}")
    if not np.all(np.isfinite(r)):
        raise ValueError("`chart` reflectances must be finite")
    return r


def _check_qe(qe: ArrayLike, wave: ArrayLike) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    w = check_wave(wave)
    q = np.asarray(qe, dtype=np.float64)
    if q.ndim != 2 or q.shape != (w.size, 3):
        raise ValueError(f"`qe` must have shape (n_wave, 3) = ({w.size}, 3) for R, G, B on `wave`; got {q.shape}")
    if not np.all(np.isfinite(q)) or np.any(q < 0):
        raise ValueError("`qe` must be finite and >= 0 (e⁻ per photon)")
    if np.any(q.sum(axis=0) <= 0):
        raise ValueError("`qe` has a channel with no sensitivity at any wavelength")
    return q, w


def sensor_response(qe: ArrayLike, wave: ArrayLike, reflectance: ArrayLike | None = None, *,
                    illuminant: str | ArrayLike = "D65") -> NDArray[np.float64]:
    """
    Noise-free sensor response to surfaces under an illuminant,
    ``Σ_λ qe(λ)·E(λ)·r(λ)·Δλ`` (ISETCam ``imageSensorTransform``'s ``S``; ``Δλ`` from
    :func:`camsim.units.wave_bin_width`, as the sensor integrates, so that non-uniform
    wavelength grids give the same response as uniform ones).

    Parameters
    ----------
    qe
        Quantum efficiency, e⁻/photon, shape ``(n_wave, 3)`` (R, G, B).
    wave
        Wavelengths in nm, shape ``(n_wave,)``.
    reflectance
        Surface reflectances in [0, 1], shape ``(n_surfaces, n_wave)``; None = a
        perfect white diffuser (reflectance 1).
    illuminant
        Name for :func:`camsim.spectra.illuminant` or a spectrum in photons on ``wave``.

    Returns
    -------
    numpy.ndarray
        e⁻ per unit of illuminant photon density (photons/nm; relative), shape
        ``(n_surfaces, 3)`` or ``(3,)`` for the white.
    """
    q, w = _check_qe(qe, wave)
    il = _check.illuminant_photons(illuminant, w, "illuminant") * wave_bin_width(w)
    if reflectance is None:
        return il @ q
    r = np.asarray(reflectance, dtype=np.float64)
    if r.shape[-1] != w.size:
        raise ValueError(f"`reflectance` last axis ({r.shape[-1]}) must match `wave` ({w.size} samples)")
    return (r * il) @ q


def chart_xyz(wave: ArrayLike, reflectance: ArrayLike | None = None, *,
              illuminant: str | ArrayLike = "D65") -> NDArray[np.float64]:
    """
    CIE 1931 XYZ of surfaces under an illuminant, relative to the perfect white
    diffuser under the same illuminant (white Y = 1).

    Uses photon-basis colour-matching functions ``cmf·hc/λ`` on illuminant photons,
    weighted by ``Δλ`` (:func:`camsim.units.xyz_from_photons`), which equals the
    energy-basis ``Σ cmf·E_energy·r·Δλ`` (ISETCam ``XYZQuanta``); the absolute
    constant cancels in the white normalisation.

    Parameters
    ----------
    wave
        Wavelengths in nm, shape ``(n_wave,)``.
    reflectance
        Shape ``(n_surfaces, n_wave)``, or None for the white itself.
    illuminant
        Name or photon spectrum on ``wave``.

    Returns
    -------
    numpy.ndarray
        XYZ with Y(white) = 1, shape ``(n_surfaces, 3)`` or ``(3,)``.
    """
    w = check_wave(wave)
    il = _check.illuminant_photons(illuminant, w, "illuminant")
    white = xyz_from_photons(il, w)
    if reflectance is None:
        return white / white[1]
    r = np.asarray(reflectance, dtype=np.float64)
    if r.shape[-1] != w.size:
        raise ValueError(f"`reflectance` last axis ({r.shape[-1]}) must match `wave` ({w.size} samples)")
    return xyz_from_photons(r * il, w) / white[1]


# ----------------------------------------------------------------------------- colour matrix

def sensor_to_xyz_matrix(qe: ArrayLike, wave: ArrayLike, *, illuminant: str | ArrayLike = "D65",
                         chart: str | ArrayLike = "BabelColor Average",
                         preserve_white: bool = False) -> NDArray[np.float64]:
    """
    3×3 sensor RGB → CIE XYZ matrix fitted on a reflectance chart (ISETCam
    "MCC optimized", ``ieColorTransform(sensor, 'XYZ', 'D65', 'mcc')``).

    With ``S`` the sensor responses of the chart patches (:func:`sensor_response`) and
    ``X`` their XYZ (:func:`chart_xyz`), both under ``illuminant``, ``M`` minimises
    ``‖S·M − X‖²`` (ordinary least squares, MATLAB's ``S \\ X``). With
    ``preserve_white`` the fit is constrained so that the perfect white diffuser maps
    exactly to the illuminant's white point (Lagrange multipliers, one per XYZ column).

    Parameters
    ----------
    qe
        Quantum efficiency, e⁻/photon, shape ``(n_wave, 3)``, channels (R, G, B).
    wave
        Wavelengths of ``qe`` in nm, shape ``(n_wave,)``.
    illuminant
        Calibration illuminant: name for :func:`camsim.spectra.illuminant` or a
        spectrum in photons on ``wave``.
    chart
        A :func:`camsim.spectra.colorchecker` data set or reflectances
        ``(n_surfaces, n_wave)``.
    preserve_white
        Constrain the white diffuser to map exactly to the white point.

    Returns
    -------
    numpy.ndarray
        ``M``, shape ``(3, 3)``, row-vector convention: ``xyz = rgb @ M``.
        Scale: ``rgb`` is the sensor response divided by the largest channel of the
        perfect white's response, and ``xyz`` is relative to the white (Y = 1). So a
        white diffuser whose brightest channel reaches 1 maps to Y ≈ 1 (exactly 1
        with ``preserve_white``). The result does not depend on the absolute scale
        of ``qe`` or of the illuminant.

    Examples
    --------
    >>> from camsim import spectra
    >>> qe = spectra.camera_sensitivities("Nikon 5100 (NPL)")
    >>> sensor_to_xyz_matrix(qe, spectra.DEFAULT_WAVE).shape
    (3, 3)
    """
    q, w = _check_qe(qe, wave)
    refl = _reflectances(chart, w)
    white_rgb = sensor_response(q, w, illuminant=illuminant)
    s = sensor_response(q, w, refl, illuminant=illuminant) / white_rgb.max()
    x = chart_xyz(w, refl, illuminant=illuminant)
    if not preserve_white:
        return np.linalg.lstsq(s, x, rcond=None)[0]
    # min ‖S m_k − x_k‖² s.t. s_w · m_k = x_w,k  →  KKT system [[SᵀS, s_w], [s_wᵀ, 0]].
    s_w = white_rgb / white_rgb.max()
    x_w = chart_xyz(w, illuminant=illuminant)
    kkt = np.zeros((4, 4))
    kkt[:3, :3] = s.T @ s
    kkt[:3, 3] = s_w
    kkt[3, :3] = s_w
    rhs = np.vstack([s.T @ x, x_w[None, :]])
    return np.linalg.solve(kkt, rhs)[:3]


def _spectrum_key(v: str | ArrayLike) -> Any:
    return v if isinstance(v, str) else tuple(np.asarray(v, dtype=np.float64).ravel().tolist())


@lru_cache(maxsize=32)
def _matrix_cached(qe_key: tuple, wave_key: tuple, illuminant: Any, chart: Any, preserve_white: bool):
    qe = np.asarray(qe_key, dtype=np.float64).reshape(len(wave_key), -1)
    chart_arg = chart if isinstance(chart, str) else np.asarray(chart, dtype=np.float64).reshape(-1, len(wave_key))
    m = sensor_to_xyz_matrix(qe, np.asarray(wave_key), illuminant=illuminant if isinstance(illuminant, str)
                             else np.asarray(illuminant), chart=chart_arg, preserve_white=preserve_white)
    m.setflags(write=False)
    return m


@lru_cache(maxsize=32)
def _to_srgb_cached(wave_key: tuple, illuminant: Any) -> NDArray[np.float32]:
    if illuminant is None:  # XYZ already relative to the sRGB white: no adaptation
        m = xyz_to_linear_srgb_matrix(None).astype(np.float32)
        m.setflags(write=False)
        return m
    il = illuminant if isinstance(illuminant, str) else np.asarray(illuminant, dtype=np.float64)
    m = xyz_to_linear_srgb_matrix(chart_xyz(np.asarray(wave_key), illuminant=il)).astype(np.float32)
    m.setflags(write=False)
    return m


# ----------------------------------------------------------------------------- white balance

def _unit_green(white_rgb: ArrayLike, name: str = "white_rgb") -> NDArray[np.float64]:
    w = np.asarray(white_rgb, dtype=np.float64)
    if w.shape != (3,) or not np.all(np.isfinite(w)) or np.any(w <= 0):
        raise ValueError(f"`{name}` must be 3 finite values > 0 (sensor R, G, B); got {white_rgb!r}")
    return w / w[_GREEN]


def illuminant_gains(qe: ArrayLike, wave: ArrayLike, illuminant: str | ArrayLike, *,
                     calibration_illuminant: str | ArrayLike = "D65") -> NDArray[np.float64]:
    """
    Von Kries gains in sensor space for a known scene illuminant.

    The gains map the sensor response to a perfect white under ``illuminant`` onto the
    response to a perfect white under ``calibration_illuminant`` (up to a common
    factor: the green gain is 1), so that the calibration matrix then applies.

    Parameters
    ----------
    qe, wave
        Quantum efficiency (e⁻/photon), shape ``(n_wave, 3)``, on ``wave`` (nm).
    illuminant
        Scene illuminant: a name or a photon spectrum on ``wave``.
    calibration_illuminant
        Illuminant the colour matrix was fitted under.

    Returns
    -------
    numpy.ndarray
        Gains for (R, G, B), shape ``(3,)``, green = 1.
    """
    scene = _unit_green(sensor_response(qe, wave, illuminant=illuminant), "scene white response")
    cal = _unit_green(sensor_response(qe, wave, illuminant=calibration_illuminant), "calibration white response")
    return cal / scene


def _check_image(rgb: ArrayLike) -> NDArray:
    img = np.asarray(rgb)
    if img.ndim != 3 or img.shape[2] != 3:
        raise ValueError(f"`rgb` must have shape (rows, cols, 3); got {img.shape}")
    return img


def _ratio_gains(means: NDArray[np.float64], white_rgb: ArrayLike) -> NDArray[np.float64]:
    w = _unit_green(white_rgb)
    if not np.all(np.isfinite(means)) or np.any(means <= 0):
        return np.ones(3)  # nothing to balance on (black or empty image)
    return w * means[_GREEN] / means


def gray_world_gains(rgb: ArrayLike, white_rgb: ArrayLike) -> NDArray[np.float64]:
    """
    Gray-world gains in sensor space (ISETCam ``imageIlluminantCorrection``,
    'Gray World', moved from XYZ to sensor space).

    After the gains, the image's channel means are in the ratio of ``white_rgb`` (the
    sensor response to a white under the calibration illuminant), i.e. the average
    scene colour renders as that white. Green's gain is 1.

    Parameters
    ----------
    rgb
        Demosaicked sensor image, shape ``(rows, cols, 3)``, any linear unit.
    white_rgb
        Sensor (R, G, B) of the target white, shape ``(3,)``, > 0.

    Returns
    -------
    numpy.ndarray
        Gains, shape ``(3,)``; all ones if a channel mean is not > 0.
    """
    img = _check_image(rgb)
    return _ratio_gains(img.reshape(-1, 3).mean(axis=0, dtype=np.float64), white_rgb)


def white_world_gains(rgb: ArrayLike, white_rgb: ArrayLike) -> NDArray[np.float64]:
    """
    White-world gains in sensor space (ISETCam 'White World').

    Take the channel with the largest maximum, select the pixels where that channel
    is at least 0.7 × its maximum, and set gains so that the mean of those pixels
    takes the ratio of ``white_rgb``. Green's gain is 1.

    Parameters
    ----------
    rgb
        Demosaicked sensor image, shape ``(rows, cols, 3)``, any linear unit.
    white_rgb
        Sensor (R, G, B) of the target white, shape ``(3,)``, > 0.

    Returns
    -------
    numpy.ndarray
        Gains, shape ``(3,)``; all ones if a selected-pixel mean is not > 0.
    """
    flat = _check_image(rgb).reshape(-1, 3)
    peak = flat.max(axis=0)
    k = int(np.argmax(peak))
    if not peak[k] > 0:
        return np.ones(3)
    sel = flat[flat[:, k] >= _WHITE_WORLD_FRACTION * peak[k]]
    return _ratio_gains(sel.mean(axis=0, dtype=np.float64), white_rgb)


# ----------------------------------------------------------------------------- display

def xyz_to_linear_srgb_matrix(white_xyz: ArrayLike | None = None) -> NDArray[np.float64]:
    """
    XYZ → linear sRGB matrix, row-vector convention (``rgb = xyz @ M``).

    Parameters
    ----------
    white_xyz
        White point of the input XYZ, shape ``(3,)``; None means it already is the
        sRGB white (D65, x = 0.3127, y = 0.3290). Otherwise a Bradford chromatic
        adaptation from ``white_xyz`` to that white precedes the IEC matrix.

    Returns
    -------
    numpy.ndarray
        Shape ``(3, 3)``. With ``white_xyz=None`` it is the transpose of
        ``colour.RGB_COLOURSPACES['sRGB'].matrix_XYZ_to_RGB`` (IEC 61966-2-1, XYZ with
        white Y = 1 → RGB in [0, 1]).
    """
    import colour

    cs = colour.RGB_COLOURSPACES["sRGB"]
    m = np.asarray(cs.matrix_XYZ_to_RGB, dtype=np.float64)
    if white_xyz is not None:
        w = np.asarray(white_xyz, dtype=np.float64)
        if w.shape != (3,) or not np.all(np.isfinite(w)) or not w[1] > 0:
            raise ValueError(f"`white_xyz` must be 3 finite values with Y > 0; got {white_xyz!r}")
        target = colour.xy_to_XYZ(cs.whitepoint) * w[1]
        cat = colour.adaptation.matrix_chromatic_adaptation_VonKries(w, target, transform="Bradford")
        m = m @ np.asarray(cat, dtype=np.float64)
    return m.T.copy()


def srgb_encode(linear: ArrayLike) -> NDArray:
    """
    sRGB transfer curve (IEC 61966-2-1): ``12.92·L`` for ``L ≤ 0.0031308``, else
    ``1.055·L^(1/2.4) − 0.055``.

    Parameters
    ----------
    linear
        Linear values in [0, 1] (values outside are clipped first).

    Returns
    -------
    numpy.ndarray
        Encoded values in [0, 1]; float32 input stays float32.
    """
    a = np.asarray(linear)
    dtype = np.float32 if a.dtype == np.float32 else np.float64
    x = np.clip(a.astype(dtype, copy=False), 0.0, 1.0)
    out = np.power(x, dtype(1.0 / 2.4))
    out *= dtype(1.055)
    out -= dtype(0.055)
    np.copyto(out, x * dtype(12.92), where=x <= dtype(0.0031308))
    return out


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


def _as_spectrum_field(value: Any, name: str, allow_none: bool = False) -> Any:
    if value is None and allow_none:
        return None
    if isinstance(value, str):
        if value not in spectra.illuminant_names():
            raise ValueError(f"`{name}` must be one of {spectra.illuminant_names()} or a photon spectrum; "
                             f"got {value!r}")
        return value
    arr = np.asarray(value, dtype=np.float64)
    if arr.ndim != 1 or arr.size < 2 or not np.all(np.isfinite(arr)) or np.any(arr < 0) or not np.any(arr > 0):
        raise ValueError(f"`{name}` must be an illuminant name or a 1-D photon spectrum (finite, >= 0, not all zero)")
    return tuple(arr.tolist())


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
                           _as_spectrum_field(self.scene_illuminant, "scene_illuminant", allow_none=True))
        if self.white_balance == "illuminant" and self.scene_illuminant is None:
            raise ValueError("`scene_illuminant` is required with white_balance='illuminant' "
                             f"(a name from {spectra.illuminant_names()} or a photon spectrum)")
        object.__setattr__(self, "calibration_illuminant",
                           _as_spectrum_field(self.calibration_illuminant, "calibration_illuminant"))
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

    def _spectrum(self, value: Any, wave: NDArray, name: str) -> str | NDArray[np.float64]:
        if isinstance(value, str):
            return value
        arr = np.asarray(value, dtype=np.float64)
        if arr.size != wave.size:
            raise ValueError(f"`{name}` spectrum has {arr.size} samples but the sensor has {wave.size} wavelengths")
        return arr

    def matrix(self, qe: ArrayLike, wave: ArrayLike) -> NDArray[np.float64]:
        """Sensor → XYZ matrix for this QE (cached per QE / wavelength grid), ``(3, 3)``."""
        q, w = _check_qe(qe, wave)
        cal = self._spectrum(self.calibration_illuminant, w, "calibration_illuminant")
        return _matrix_cached(tuple(q.ravel().tolist()), tuple(w.tolist()), _spectrum_key(cal), self.chart,
                              self.preserve_white)

    def gains(self, sensor_rgb: ArrayLike, qe: ArrayLike, wave: ArrayLike) -> NDArray[np.float64]:
        """White-balance gains for sensor (R, G, B), shape ``(3,)`` (see ``white_balance``)."""
        wb = self.white_balance
        if isinstance(wb, tuple):
            return np.asarray(wb, dtype=np.float64)
        if wb == "none":
            return np.ones(3)
        q, w = _check_qe(qe, wave)
        cal = self._spectrum(self.calibration_illuminant, w, "calibration_illuminant")
        if wb == "illuminant":
            scene = self._spectrum(self.scene_illuminant, w, "scene_illuminant")
            return illuminant_gains(q, w, scene, calibration_illuminant=cal)
        white = sensor_response(q, w, illuminant=cal)
        if wb == "gray_world":
            return gray_world_gains(sensor_rgb, white)
        return white_world_gains(sensor_rgb, white)

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
            Spectrum of the light the scene was lit by, photons (any scale) on
            ``raw.sensor.wave``, or None (unknown). Used with ``fit_scene_light`` and
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
        if not isinstance(raw.cfa, str) or raw.cfa.lower() not in CFA_PATTERNS:
            raise ValueError(f"`raw.cfa` must be one of {list(CFA_PATTERNS)} or None (monochrome); got {raw.cfa!r}")
        sensor = getattr(raw, "sensor", None)
        if sensor is None or not hasattr(sensor, "qe") or not hasattr(sensor, "wave"):
            raise ValueError("`raw.sensor` must provide `qe` (n_wave, 3) and `wave` (nm) to compute the colour matrix")
        qe, wave = _check_qe(sensor.qe, sensor.wave)

        rgb = _demosaic(x, raw.cfa, self.demosaic)
        if scene_light is not None and self.fit_scene_light and self.white_balance == "none":
            light = _check.illuminant_photons(np.asarray(scene_light, dtype=np.float64), wave, "scene_light")
            m = _matrix_cached(tuple(qe.ravel().tolist()), tuple(wave.tolist()), _spectrum_key(light), self.chart,
                               self.preserve_white)
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
        return _to_srgb_cached(tuple(wave.tolist()), _spectrum_key(cal))

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
        srgb_to_xyz = np.linalg.inv(xyz_to_linear_srgb_matrix()).astype(np.float32)
        xyz = (grey * np.float32(scale)).reshape(-1, 3) @ srgb_to_xyz
        return Rendering(image=srgb_encode(lin), linear=lin, xyz=xyz.reshape(grey.shape), sensor_rgb=grey,
                         matrix=None, gains=np.ones(3), exposure_scale=scale)
