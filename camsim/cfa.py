"""
CFA — Bayer colour-filter-array layouts
=======================================

The one home of the Bayer layout: the supported patterns (:data:`CFA_PATTERNS`), the
channel order (:data:`CHANNELS`), the channel index at each site of the 2×2 tile
(:func:`cfa_indices`) and of every pixel of an array (:func:`channel_map`).
:class:`camsim.Sensor` (which pixel integrates which QE column) and
:mod:`camsim.demosaic` (sampling and interpolation) both read it from here.

A pattern is named by the filters of the top-left 2×2 tile read row by row:
``"grbg"`` puts G at (0, 0), R at (0, 1), B at (1, 0) and G at (1, 1); the tile repeats,
so pixel ``(i, j)`` carries the filter at tile site ``(i % 2, j % 2)``.

References
----------
- Bayer, B. E. (1976). Color imaging array. US Patent 3,971,065.
- ISETCam ``sensorCreate`` (``'bayer-grbg'`` default), ``sensorDetermineCFA``.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from . import _validate as _check

__all__ = ["CFA_PATTERNS", "CHANNELS", "cfa_indices", "channel_map", "check_cfa"]

CHANNELS: tuple[str, str, str] = ("r", "g", "b")  # channel order: QE columns, demosaiced planes, channel indices
CFA_PATTERNS: tuple[str, ...] = ("rggb", "grbg", "gbrg", "bggr")  # Bayer layouts, top-left 2×2 tile row by row


def check_cfa(cfa, name: str = "cfa", *, monochrome: bool = False) -> str | None:
    """
    A Bayer layout name, lower-cased.

    Parameters
    ----------
    cfa
        One of :data:`CFA_PATTERNS` (case-insensitive), or None where ``monochrome``.
    name
        Parameter name for the error message.
    monochrome
        Accept None (a sensor without a colour filter array).

    Returns
    -------
    str or None
        The lower-case pattern, or None.

    Raises
    ------
    camsim._validate.ArgumentTypeError
        ``cfa`` is not a string (nor None where allowed); also a ValueError.
    ValueError
        ``cfa`` is not a supported pattern.
    """
    allowed = f"one of {list(CFA_PATTERNS)} (case-insensitive)" + (" or None (monochrome)" if monochrome else "")
    if cfa is None and monochrome:
        return None
    if not isinstance(cfa, str):
        raise _check.ArgumentTypeError(f"`{name}` must be {allowed}; got {cfa!r}")
    key = cfa.lower()
    if key not in CFA_PATTERNS:
        raise ValueError(f"`{name}` must be {allowed}; got {cfa!r}")
    return key


def cfa_indices(cfa: str) -> NDArray[np.int8]:
    """
    Channel index (into :data:`CHANNELS`: 0 = R, 1 = G, 2 = B) of each site of the 2×2 tile.

    Parameters
    ----------
    cfa
        One of :data:`CFA_PATTERNS` (case-insensitive).

    Returns
    -------
    numpy.ndarray
        int8, shape ``(2, 2)``; the filter at pixel ``(i, j)`` is ``[i % 2, j % 2]``.

    Examples
    --------
    >>> cfa_indices("grbg")
    array([[1, 0],
           [2, 1]], dtype=int8)
    """
    key = check_cfa(cfa)
    return np.array([CHANNELS.index(letter) for letter in key], dtype=np.int8).reshape(2, 2)


def channel_map(cfa: str | None, size: tuple[int, int]) -> NDArray[np.int8]:
    """
    Channel index of every pixel of a ``size`` array (the 2×2 tile repeated from the top-left).

    Parameters
    ----------
    cfa
        One of :data:`CFA_PATTERNS` (case-insensitive), or None for monochrome (all 0).
    size
        ``(rows, cols)`` in pixels, each an integer >= 1.

    Returns
    -------
    numpy.ndarray
        int8, shape ``(rows, cols)``.

    Examples
    --------
    >>> channel_map("rggb", (3, 3))
    array([[0, 1, 0],
           [1, 2, 1],
           [0, 1, 0]], dtype=int8)
    """
    key = check_cfa(cfa, monochrome=True)
    try:
        r, c = size
    except (TypeError, ValueError):
        raise ValueError(f"`size` must be (rows, cols); got {size!r}") from None
    rows = _check.integer("size rows", r, low=1, unit="pixels")
    cols = _check.integer("size cols", c, low=1, unit="pixels")
    if key is None:
        return np.zeros((rows, cols), dtype=np.int8)
    return np.tile(cfa_indices(key), ((rows + 1) // 2, (cols + 1) // 2))[:rows, :cols]
