"""
Colorimetry — photometric and XYZ weights, sensor response, sensor → XYZ fitting, sRGB
======================================================================================

The one home of colour arithmetic shared by the stages: luminance and CIE 1931 XYZ of
spectra (energy or photons), a sensor's response to surfaces under an illuminant, the
chart XYZ it is fitted to, the fitted sensor → XYZ matrix, and the sRGB pair (the
XYZ → linear sRGB matrix and the IEC 61966-2-1 transfer curve and its inverse).
Spectral arrays are channels-last: the last axis is wavelength (nm). Colour transforms
use the row-vector convention (``out = pixel @ M``).

References
----------
- CIE 15:2018, *Colorimetry*, 4th ed. (luminous efficacy K_m = 683 lm/W).
- ISETCam ``ieLuminanceFromEnergy``, ``ieXYZFromEnergy``, ``imageSensorTransform``.
- IEC 61966-2-1:1999, *Default RGB colour space — sRGB* (primaries, transfer curve).
- Finlayson, G. D. & Drew, M. S. (1996). Constrained least-squares regression in
  color spaces. *J. Electronic Imaging* 6(4) — white-point-preserving fits.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from . import _validate as _check
from . import spectra
from .units import LUMINOUS_EFFICACY, check_wave, photon_energy, wave_bin_width

__all__ = [
    "photometric_weights",
    "photometric_weights_photons",
    "xyz_weights",
    "xyz_weights_photons",
    "luminance_from_energy",
    "luminance_from_photons",
    "xyz_from_energy",
    "xyz_from_photons",
    "check_qe",
    "sensor_response",
    "chart_xyz",
    "sensor_to_xyz_matrix",
    "cached_sensor_to_xyz_matrix",
    "spectrum_key",
    "xyz_to_linear_srgb_matrix",
    "srgb_encode",
    "srgb_decode",
]


def photometric_weights(wave: ArrayLike) -> NDArray[np.float64]:
    w = check_wave(wave)
    return LUMINOUS_EFFICACY * wave_bin_width(w) * spectra.luminosity(w)


def luminance_from_energy(energy: ArrayLike, wave: ArrayLike) -> NDArray[np.float64]:
    """
    Luminance (cd/m²) from spectral radiance in W/(sr·m²·nm) — or illuminance (lux)
    from spectral irradiance in W/(m²·nm): Y = 683 · Σ_λ E(λ)·V(λ)·Δλ.
    """
    e = np.asarray(energy, dtype=np.float64)
    return e @ photometric_weights(wave)


def photometric_weights_photons(wave: ArrayLike) -> NDArray[np.float64]:
    """683·V(λ)·Δλ·hc/λ: luminance (cd/m²) or illuminance (lux) per unit photon spectrum, ``(n_wave,)``."""
    return photometric_weights(wave) * photon_energy(wave)


def luminance_from_photons(photons: ArrayLike, wave: ArrayLike) -> NDArray[np.float64]:
    """Luminance (cd/m²) or illuminance (lux) from a photon spectrum (photons/s/…/nm)."""
    return np.asarray(photons, dtype=np.float64) @ photometric_weights_photons(wave)


def xyz_weights(wave: ArrayLike) -> NDArray[np.float64]:
    w = check_wave(wave)
    return LUMINOUS_EFFICACY * wave_bin_width(w)[:, None] * spectra.cmfs(w)


def xyz_from_energy(energy: ArrayLike, wave: ArrayLike) -> NDArray[np.float64]:
    """
    CIE 1931 XYZ (Y in cd/m² or lux) of a spectrum in energy units: 683·Σ E·cmf·Δλ.

    Returns an array shaped like ``energy`` with the last axis replaced by 3.
    """
    return np.asarray(energy, dtype=np.float64) @ xyz_weights(wave)


def xyz_weights_photons(wave: ArrayLike) -> NDArray[np.float64]:
    """683·cmf(λ)·Δλ·hc/λ: XYZ (Y in cd/m² or lux) per unit photon spectrum, ``(n_wave, 3)``."""
    return xyz_weights(wave) * photon_energy(wave)[:, None]


def xyz_from_photons(photons: ArrayLike, wave: ArrayLike) -> NDArray[np.float64]:
    """CIE 1931 XYZ (Y in cd/m² or lux) of a photon spectrum (photons/s/…/nm)."""
    return np.asarray(photons, dtype=np.float64) @ xyz_weights_photons(wave)


# ----------------------------------------------------------------------------- sensor → XYZ

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


def check_qe(qe: ArrayLike, wave: ArrayLike) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
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
    q, w = check_qe(qe, wave)
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
    weighted by ``Δλ`` (:func:`xyz_from_photons`), which equals the
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
    q, w = check_qe(qe, wave)
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


def cached_sensor_to_xyz_matrix(qe: ArrayLike, wave: ArrayLike, *, illuminant: str | ArrayLike, chart: Any,
                                preserve_white: bool) -> NDArray[np.float64]:
    """:func:`sensor_to_xyz_matrix`, cached per (QE, wave, illuminant, chart); read-only ``(3, 3)``."""
    q, w = check_qe(qe, wave)
    return _matrix_cached(tuple(q.ravel().tolist()), tuple(w.tolist()), spectrum_key(illuminant),
                          spectrum_key(chart) if not isinstance(chart, tuple) else chart, preserve_white)


def spectrum_key(v: str | ArrayLike) -> Any:
    """A hashable key for a named or sampled spectrum (cache key)."""
    return v if isinstance(v, str) else tuple(np.asarray(v, dtype=np.float64).ravel().tolist())


@lru_cache(maxsize=32)
def _matrix_cached(qe_key: tuple, wave_key: tuple, illuminant: Any, chart: Any, preserve_white: bool):
    qe = np.asarray(qe_key, dtype=np.float64).reshape(len(wave_key), -1)
    chart_arg = chart if isinstance(chart, str) else np.asarray(chart, dtype=np.float64).reshape(-1, len(wave_key))
    m = sensor_to_xyz_matrix(qe, np.asarray(wave_key), illuminant=illuminant if isinstance(illuminant, str)
                             else np.asarray(illuminant), chart=chart_arg, preserve_white=preserve_white)
    m.setflags(write=False)
    return m


# ----------------------------------------------------------------------------- sRGB

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


def srgb_decode(encoded: ArrayLike) -> NDArray:
    """
    Inverse sRGB transfer curve (IEC 61966-2-1): ``V / 12.92`` for ``V ≤ 0.04045``,
    else ``((V + 0.055) / 1.055)^2.4``. Not clipped; float32 input stays float32.
    """
    v = np.asarray(encoded)
    if v.dtype not in (np.float32, np.float64):
        v = v.astype(np.float64)
    t = v.dtype.type
    low = v <= t(0.04045)
    out = v + t(0.055)
    out /= t(1.055)
    np.power(out, t(2.4), out=out)
    np.divide(v, t(12.92), out=out, where=low)
    return out
