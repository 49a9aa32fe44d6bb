"""
Demosaic — Bayer colour filter array sampling and interpolation
===============================================================

:func:`demosaic` turns a single-plane Bayer mosaic into a three-channel (R, G, B)
image; :func:`mosaic` is the inverse sampling (keep, at each pixel, the channel its
filter passes). Both work on any scale (DN, volts, normalised) and never clip, so
high-dynamic-range and negative (black-subtracted, noisy) data pass through.

Methods

* ``"bilinear"`` — ISETCam's default (``ieBilinear``): each missing sample is the
  mean of its nearest same-colour neighbours.
* ``"malvar"`` — Malvar, He & Cutler (2004): bilinear plus a gradient correction
  from the channel sampled at the pixel (5×5 linear filters).
* ``"menon"`` — Menon, Andriani & Calvagno (2007), DDFAPD: green interpolated along
  the row and along the column, the direction with the smoother chrominance over a
  5×5 window kept, R/B from colour differences in that direction, then the paper's
  refinement step (colour-demosaicing's ``refining_step=True``).

Image borders use whole-sample symmetric reflection (index −1 reads index 1), as
ISETCam does; a reflected sample always carries the right CFA colour. The
colour-demosaicing package instead uses scipy's default ``"reflect"`` mode (edge
sample repeated) for bilinear and Malvar, so results agree with it everywhere except
in the outermost one (bilinear) or two (Malvar) rows and columns. Its Menon (2007)
already mirrors every filter stage and sums the directional classifier over the
pixels inside the image only; ``"menon"`` does the same, so it agrees everywhere.

Layouts are named by the filters of the top-left 2×2 tile read row by row:
``"rggb"``, ``"grbg"``, ``"gbrg"``, ``"bggr"`` (case-insensitive); :mod:`camsim.cfa`
defines them (:data:`camsim.cfa.CFA_PATTERNS`, :func:`camsim.cfa.cfa_indices`).

References
----------
- Malvar, H. S., He, L.-W. & Cutler, R. (2004). High-quality linear interpolation for
  demosaicing of Bayer-patterned color images. *Proc. IEEE ICASSP 2004*, vol. 3,
  pp. iii-485–488.
- Menon, D., Andriani, S. & Calvagno, G. (2007). Demosaicing with directional
  filtering and a posteriori decision. *IEEE Trans. Image Process.* 16(1), 132–141.
  doi:10.1109/TIP.2006.884928
- ISETCam ``Demosaic``, ``ieBilinear``, ``sensorDetermineCFA``.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

import warnings

from . import cfa as _cfa
from ._kernels import demosaic as _k

__all__ = ["DEMOSAIC_METHODS", "demosaic", "mosaic"]

DEMOSAIC_METHODS: tuple[str, ...] = ("bilinear", "malvar", "menon")


def _as_float32(a: ArrayLike, name: str, ndim: int, shape_text: str) -> NDArray[np.float32]:
    arr = np.asarray(a)
    if arr.dtype == bool or not (np.issubdtype(arr.dtype, np.floating) or np.issubdtype(arr.dtype, np.integer)):
        raise ValueError(f"`{name}` must be a real numeric array; got dtype {arr.dtype}")
    if arr.ndim != ndim:
        raise ValueError(f"`{name}` must have shape {shape_text}; got {arr.shape}")
    if arr.shape[0] < 2 or arr.shape[1] < 2:
        raise ValueError(f"`{name}` must be at least 2×2 pixels (one CFA tile); got {arr.shape}")
    out = np.ascontiguousarray(arr, dtype=np.float32)
    if not np.all(np.isfinite(out)):
        raise ValueError(f"`{name}` must be finite (no NaN or inf, and within float32 range)")
    return out


def demosaic(mosaic: ArrayLike, cfa: str, method: str = "bilinear") -> NDArray[np.float32]:
    """
    Interpolate a Bayer mosaic to a full (R, G, B) image.

    Parameters
    ----------
    mosaic
        Raw samples, one per pixel, any unit (DN, V, normalised), shape
        ``(rows, cols)`` with rows, cols ≥ 2. Converted to float32.
    cfa
        Bayer layout, one of :data:`camsim.cfa.CFA_PATTERNS` (case-insensitive).
    method
        ``"bilinear"`` (ISETCam default), ``"malvar"`` (Malvar–He–Cutler 2004) or
        ``"menon"`` (Menon–Andriani–Calvagno 2007, DDFAPD with refinement).

    Returns
    -------
    numpy.ndarray
        float32, shape ``(rows, cols, 3)``, channels (R, G, B), same unit as
        ``mosaic``; not clipped (Malvar and Menon can over/undershoot near edges). Sampled
        channels are copied unchanged.

    Examples
    --------
    >>> import numpy as np
    >>> demosaic(np.full((4, 4), 0.5), "rggb").mean(axis=(0, 1)).tolist()
    [0.5, 0.5, 0.5]
    """
    idx = _cfa.cfa_indices(cfa)
    if method not in DEMOSAIC_METHODS:
        raise ValueError(f"`method` must be one of {list(DEMOSAIC_METHODS)}; got {method!r}")
    m = _as_float32(mosaic, "mosaic", 2, "(rows, cols)")
    if method == "bilinear":
        return _k.bilinear(m, idx)
    if method == "malvar":
        return _k.malvar(m, idx)
    return _k.menon(m, idx)


def mosaic(rgb: ArrayLike, cfa: str) -> NDArray[np.float32]:
    """
    Sample a three-channel image through a Bayer colour filter array.

    Parameters
    ----------
    rgb
        Image with channels (R, G, B) last, any unit, shape ``(rows, cols, 3)``.
    cfa
        Bayer layout, one of :data:`camsim.cfa.CFA_PATTERNS` (case-insensitive).

    Returns
    -------
    numpy.ndarray
        float32, shape ``(rows, cols)``: ``rgb[i, j, c]`` with ``c`` the filter at
        ``(i, j)``.
    """
    idx = _cfa.cfa_indices(cfa)
    cube = _as_float32(rgb, "rgb", 3, "(rows, cols, 3)")
    if cube.shape[2] != 3:
        raise ValueError(f"`rgb` must have 3 channels (R, G, B) on its last axis; got shape {cube.shape}")
    return _k.mosaic(cube, idx)


def __getattr__(name: str):
    # The Bayer layout lives in camsim.cfa; the old names here still resolve, deprecated.
    if name in ("CFA_PATTERNS", "cfa_indices"):
        warnings.warn(f"camsim.demosaic.{name} is deprecated; use camsim.cfa.{name}", DeprecationWarning,
                      stacklevel=2)
        return getattr(_cfa, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
