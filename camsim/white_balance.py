"""
White balance — diagonal gains in sensor space
==============================================

Gains that make a white (or the scene average, or its brightest pixels) neutral, with
the green channel's gain fixed at 1: from the illuminant and the sensor QE
(:func:`illuminant_gains`), gray world and white world (ISETCam
``imageIlluminantCorrection``).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .colorimetry import sensor_response

__all__ = ["WHITE_BALANCE_MODES", "illuminant_gains", "gray_world_gains", "white_world_gains"]

WHITE_BALANCE_MODES: tuple[str, ...] = ("none", "gray_world", "white_world", "illuminant")

_WHITE_WORLD_FRACTION = 0.7  # ISETCam imageIlluminantCorrection: pixels ≥ 0.7 × the channel maximum
_GREEN = 1  # channel whose gain stays 1 in every white-balance mode


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
