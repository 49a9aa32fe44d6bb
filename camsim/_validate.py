"""
Argument validation — one home for the checks every public function makes
===========================================================================

Wrong *types* raise :class:`ArgumentTypeError` (a :class:`TypeError`); wrong *values*
raise :class:`ValueError`. Every message names the parameter, the allowed range or
choices with units, and the value received.

:class:`ArgumentTypeError` also derives from :class:`ValueError`, so callers written
against the earlier behaviour (a ``ValueError`` for every bad argument) keep working,
as :class:`numpy.exceptions.AxisError` does for ``IndexError``.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from . import spectra

__all__ = [
    "ArgumentTypeError",
    "SEED_LIMIT",
    "illuminant_photons",
    "instance",
    "integer",
    "number",
    "one_of",
    "positive",
    "seed",
]

SEED_LIMIT = 2**64  # seeds are unsigned 64-bit integers


class ArgumentTypeError(TypeError, ValueError):
    """An argument of the wrong type (a ``TypeError``; also a ``ValueError`` for older callers)."""


def _is_real(value: Any) -> bool:
    if isinstance(value, (bool, np.bool_)):
        return False
    if isinstance(value, numbers.Real):
        return True
    return isinstance(value, np.ndarray) and value.ndim == 0 and value.dtype.kind in "fiu"


def _interval(low, high, low_open, high_open) -> str:
    lo = "-inf" if low is None else f"{low:g}"
    hi = "inf" if high is None else f"{high:g}"
    return f"{'(' if low_open else '['}{lo}, {hi}{')' if high_open else ']'}"


def number(name: str, value: Any, unit: str = "", *, low: float | None = None, high: float | None = None,
           low_open: bool = False, high_open: bool = False) -> float:
    """``value`` as a finite float in ``[low, high]`` (ends open where asked)."""
    allowed = _interval(low, high, low_open, high_open)
    if not _is_real(value):
        raise ArgumentTypeError(f"`{name}` must be a number in {allowed} {unit}; got {value!r}".replace("  ", " "))
    v = float(value)
    bad = (not math.isfinite(v)
           or (low is not None and (v < low or (low_open and v == low)))
           or (high is not None and (v > high or (high_open and v == high))))
    if bad:
        raise ValueError(f"`{name}` must be finite and in {allowed} {unit}; got {value!r}".replace("  ", " "))
    return v


def positive(name: str, value: Any, unit: str = "", *, upper: float | None = None) -> float:
    """``value`` as a finite float > 0 (and < ``upper`` when given)."""
    return number(name, value, unit, low=0.0, low_open=True, high=upper, high_open=True)


def integer(name: str, value: Any, *, low: int | None = None, high: int | None = None, unit: str = "") -> int:
    """``value`` as an int in ``[low, high]``; floats, bools and strings are type errors."""
    allowed = _interval(low, high, False, False)
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise ArgumentTypeError(f"`{name}` must be an integer in {allowed} {unit}; got {value!r}".replace("  ", " "))
    v = int(value)
    if (low is not None and v < low) or (high is not None and v > high):
        raise ValueError(f"`{name}` must be an integer in {allowed} {unit}; got {value!r}".replace("  ", " "))
    return v


def seed(name: str, value: Any) -> int:
    """A seed: an integer in [0, 2**64)."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise ArgumentTypeError(f"`{name}` must be an integer in [0, 2**64); got {value!r}")
    if not 0 <= int(value) < SEED_LIMIT:
        raise ValueError(f"`{name}` must be an integer in [0, 2**64); got {value!r}")
    return int(value)


def one_of(name: str, value: Any, allowed: Iterable[Any]) -> Any:
    """``value`` if it is one of ``allowed``, else a ValueError listing them."""
    choices = list(allowed)
    try:
        ok = value in choices
    except TypeError:  # unhashable against a dict/set
        ok = False
    if not ok:
        raise ValueError(f"`{name}` must be one of {choices}; got {value!r}")
    return value


def instance(name: str, value: Any, cls: type | tuple[type, ...], what: str | None = None) -> Any:
    """``value`` if it is an instance of ``cls``, else an :class:`ArgumentTypeError`."""
    if not isinstance(value, cls):
        what = what or (cls.__name__ if isinstance(cls, type) else " or ".join(c.__name__ for c in cls))
        raise ArgumentTypeError(f"`{name}` must be a {what}; got {type(value).__name__}")
    return value


def illuminant_photons(value: str | ArrayLike, wave: NDArray[np.float64], name: str = "illuminant", *,
                       nonzero: bool = True, flatten: bool = False) -> NDArray[np.float64]:
    """
    An illuminant as a photon spectrum on ``wave``: a name from :mod:`camsim.spectra`,
    or a spectrum of ``wave.size`` finite values >= 0 photons (not all zero if ``nonzero``).
    ``flatten`` accepts any shape with ``wave.size`` elements.
    """


    if isinstance(value, str):
        names = spectra.illuminant_names()
        if value not in names:
            raise ValueError(f"`{name}` must be one of {names} or a photon spectrum; got {value!r}")
        return spectra.illuminant(value, wave, photons=True)
    il = np.asarray(value, dtype=np.float64)
    if flatten:
        il = il.reshape(-1)
    if il.ndim != 1 or il.size != wave.size:
        raise ValueError(f"`{name}` spectrum must have shape ({wave.size},) to match `wave`; got {il.shape}")
    if not np.all(np.isfinite(il)) or np.any(il < 0) or (nonzero and not np.any(il > 0)):
        zero = " and not all zero" if nonzero else ""
        raise ValueError(f"`{name}` spectrum must be finite, >= 0 photons{zero}")
    return il
