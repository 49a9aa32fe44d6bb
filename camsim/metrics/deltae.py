"""
Colour difference — CIELAB ΔE via colour-science
================================================

Thin, validating wrappers around :func:`colour.XYZ_to_Lab` and :func:`colour.delta_E`:
the ΔE formulas themselves are colour-science's, not re-implemented here.

XYZ may be on any scale (e.g. Y in cd/m², or Y = 1 for white) provided the white point
is on the same scale: CIELAB only sees the ratios ``X/Xn, Y/Yn, Z/Zn``.

References
----------
- CIE 15:2018, *Colorimetry*, 4th ed. (CIELAB, ΔE*ab 1976).
- CIE 142-2001, *Improvement to industrial colour-difference evaluation* (CIEDE2000).
- Sharma, G., Wu, W. and Dalal, E. N. (2005), "The CIEDE2000 color-difference formula:
  implementation notes, supplementary test data, and mathematical observations",
  *Color Res. Appl.* 30(1), 21-30.
"""

from __future__ import annotations

import colour
import numpy as np
from colour.utilities import domain_range_scale
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "DELTA_E_METHODS",
    "xyz_to_lab",
    "delta_e",
    "delta_e_xyz",
    "delta_e_method",
    "xyz_to_lab_unchecked",
]

#: ΔE formulas accepted by :func:`delta_e` (names as colour-science spells them,
#: matched case-insensitively). All take CIELAB L* in [0, 100].
DELTA_E_METHODS: tuple[str, ...] = ("CIE 1976", "CIE 1994", "CIE 2000", "CMC")


def delta_e_method(method: str) -> str:
    """Canonical ΔE method name, or ValueError naming ``method``."""
    if isinstance(method, str):
        for name in DELTA_E_METHODS:
            if method.lower() == name.lower():
                return name
    raise ValueError(f"`method` must be one of {DELTA_E_METHODS}; got {method!r}")


def _triplets(a: ArrayLike, name: str) -> NDArray[np.float64]:
    """float64 array with a last axis of 3, finite, or ValueError naming ``name``."""
    x = np.asarray(a, dtype=np.float64)
    if x.ndim == 0 or x.shape[-1] != 3:
        raise ValueError(f"`{name}` must have a last axis of length 3; got shape {x.shape}")
    if not np.all(np.isfinite(x)):
        raise ValueError(f"`{name}` must be finite (no NaN or inf)")
    return x


def _white(white: ArrayLike, name: str = "white") -> NDArray[np.float64]:
    """White point XYZ, shape (3,), finite and > 0."""
    w = np.asarray(white, dtype=np.float64)
    if w.shape != (3,):
        raise ValueError(f"`{name}` must be one XYZ triplet, shape (3,); got shape {w.shape}")
    if not (np.all(np.isfinite(w)) and np.all(w > 0)):
        raise ValueError(f"`{name}` XYZ must be finite and > 0; got {w}")
    return w


def xyz_to_lab_unchecked(xyz: NDArray[np.float64], white: NDArray[np.float64]) -> NDArray[np.float64]:
    """Unchecked CIELAB; negative XYZ (e.g. after filtering) go through CIE's linear segment."""
    with domain_range_scale("reference"):
        return colour.XYZ_to_Lab(xyz / white[1], colour.XYZ_to_xy(white))


def xyz_to_lab(xyz: ArrayLike, white: ArrayLike) -> NDArray[np.float64]:
    """
    CIE 1976 L*a*b* of XYZ relative to a white point (:func:`colour.XYZ_to_Lab`).

    Parameters
    ----------
    xyz
        Tristimulus values, shape ``(..., 3)``, >= 0, any scale.
    white
        XYZ of the reference white on the same scale as ``xyz``, shape ``(3,)``, > 0.

    Returns
    -------
    numpy.ndarray
        L* in [0, 100] for ``0 <= Y <= Yn``, a*, b*; shape ``(..., 3)``, float64.

    Examples
    --------
    >>> round(float(xyz_to_lab([17.1, 18.0, 19.6], [95.047, 100.0, 108.883])[0]), 3)  # L* of 18 % grey
    49.496
    """
    x = _triplets(xyz, "xyz")
    if np.any(x < 0):
        raise ValueError("`xyz` must be >= 0 (tristimulus values cannot be negative)")
    return xyz_to_lab_unchecked(x, _white(white))


def delta_e(lab1: ArrayLike, lab2: ArrayLike, method: str = "CIE 2000") -> NDArray[np.float64]:
    """
    Colour difference between two CIELAB arrays (:func:`colour.delta_E`).

    Parameters
    ----------
    lab1, lab2
        CIELAB values with L* in [0, 100], identical shapes ``(..., 3)``.
    method
        One of :data:`DELTA_E_METHODS` (case-insensitive): ``"CIE 2000"`` (CIEDE2000,
        default), ``"CIE 1976"`` (Euclidean ΔE*ab), ``"CIE 1994"`` or ``"CMC"`` (l:c = 2:1).

    Returns
    -------
    numpy.ndarray
        ΔE, shape ``(...)``, float64 (0-d array for single triplets).

    Examples
    --------
    >>> float(delta_e([50.0, 0.0, 0.0], [53.0, 4.0, 0.0], method="CIE 1976"))
    5.0
    """
    m = delta_e_method(method)
    a = _triplets(lab1, "lab1")
    b = _triplets(lab2, "lab2")
    if a.shape != b.shape:
        raise ValueError(f"`lab1` and `lab2` must have the same shape; got {a.shape} and {b.shape}")
    with domain_range_scale("reference"):
        return np.asarray(colour.delta_E(a, b, method=m), dtype=np.float64)


def delta_e_xyz(
    xyz1: ArrayLike, xyz2: ArrayLike, white: ArrayLike, method: str = "CIE 2000"
) -> NDArray[np.float64]:
    """
    Pixelwise CIELAB colour difference of two XYZ arrays under one white point.

    Parameters
    ----------
    xyz1, xyz2
        Tristimulus values >= 0, identical shapes ``(..., 3)``, any scale.
    white
        XYZ of the reference white on the same scale, shape ``(3,)``, > 0.
    method
        ΔE formula, see :func:`delta_e`.

    Returns
    -------
    numpy.ndarray
        ΔE, shape ``(...)``, float64.
    """
    m = delta_e_method(method)
    a = _triplets(xyz1, "xyz1")
    b = _triplets(xyz2, "xyz2")
    if a.shape != b.shape:
        raise ValueError(f"`xyz1` and `xyz2` must have the same shape; got {a.shape} and {b.shape}")
    for name, x in (("xyz1", a), ("xyz2", b)):
        if np.any(x < 0):
            raise ValueError(f"`{name}` must be >= 0 (tristimulus values cannot be negative)")
    w = _white(white)
    return delta_e(xyz_to_lab_unchecked(a, w), xyz_to_lab_unchecked(b, w), method=m)
