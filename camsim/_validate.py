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
from numpy.typing import NDArray

from . import spectra
from .units import energy_to_photons

__all__ = [
    "ArgumentTypeError",
    "SEED_LIMIT",
    "illuminant_name",
    "illuminant_photons",
    "illuminant_spectrum",
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


def flag(name: str, value: Any) -> bool:
    """``value`` as a bool: True or False (numpy bools too); anything else is an :class:`ArgumentTypeError`."""
    if not isinstance(value, (bool, np.bool_)):
        raise ArgumentTypeError(f"`{name}` must be True or False; got {value!r}")
    return bool(value)


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


def illuminant_name(name: str, value: Any, *, alternatives: str = "") -> str:
    """
    ``value`` if it names an illuminant of :func:`camsim.spectra.illuminant_names`;
    ``alternatives`` (e.g. ``" or a photon spectrum"``) completes the error message.
    """
    names = spectra.illuminant_names()
    if not isinstance(value, str):
        raise ArgumentTypeError(f"`{name}` must be an illuminant name, one of {names}{alternatives}; got {value!r}")
    if value not in names:
        raise ValueError(f"`{name}` must be one of {names}{alternatives}; got {value!r}")
    return value


def _is_spectral_distribution(value: Any) -> bool:
    if isinstance(value, (str, np.ndarray, list, tuple, numbers.Number)) or value is None:
        return False
    import colour

    return isinstance(value, colour.SpectralDistribution)


def _spectrum_values(name: str, value: Any) -> NDArray[np.float64]:
    """``value`` as a float64 array; anything that is not numbers is an :class:`ArgumentTypeError`."""
    what = f"`{name}` must be an illuminant name, a colour.SpectralDistribution or a photon spectrum (numbers)"
    if isinstance(value, (bool, np.bool_, bytes, dict, set)) or value is None:
        raise ArgumentTypeError(f"{what}; got {type(value).__name__}")
    try:
        return np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise ArgumentTypeError(f"{what}; got {value!r}") from None


def illuminant_spectrum(value: Any, name: str = "illuminant", *,
                        allow_none: bool = False) -> str | tuple[float, ...] | None:
    """
    An illuminant kept as a value before any wavelength grid is known (a field of a
    frozen dataclass, resolved later by :func:`illuminant_photons`): a name of
    :func:`camsim.spectra.illuminant_names` (kept as is), or a 1-D photon spectrum of at
    least 2 finite values >= 0, not all zero (as a tuple); None where ``allow_none``.
    """
    if value is None and allow_none:
        return None
    if isinstance(value, str):
        return illuminant_name(name, value, alternatives=" or a photon spectrum")
    if _is_spectral_distribution(value):
        raise ArgumentTypeError(f"`{name}` must be an illuminant name or a photon spectrum on the sensor's "
                                "wavelengths here (resample a colour.SpectralDistribution first)")
    arr = _spectrum_values(name, value)
    if arr.ndim != 1 or arr.size < 2 or not np.all(np.isfinite(arr)) or np.any(arr < 0) or not np.any(arr > 0):
        raise ValueError(f"`{name}` must be an illuminant name or a 1-D photon spectrum (finite, >= 0, not all zero)"
                         f"; got shape {arr.shape}")
    return tuple(arr.tolist())


_ALTERNATIVES = ", a colour.SpectralDistribution or a photon spectrum"


def illuminant_photons(value: Any, wave: NDArray[np.float64], name: str = "illuminant", *,
                       nonzero: bool = True, flatten: bool = False) -> NDArray[np.float64]:
    """
    An illuminant as a photon spectrum on ``wave`` (nm) — the one resolver of camsim.

    ``value`` is a name of :func:`camsim.spectra.illuminant_names` (its tabulated
    energy SPD, converted to photons), a :class:`colour.SpectralDistribution` in
    relative energy (colour-science's convention; resampled linearly to ``wave`` with
    its end values held, then converted to photons), or ``wave.size`` finite values
    >= 0 photons (``flatten``: any shape with that many elements). The result is not
    all zero if ``nonzero``. Wrong types raise :class:`ArgumentTypeError`, wrong values
    ValueError, both naming ``name``.
    """
    if isinstance(value, str):
        return spectra.illuminant(illuminant_name(name, value, alternatives=_ALTERNATIVES), wave, photons=True)
    if _is_spectral_distribution(value):
        energy = spectra.resample(value.values, value.wavelengths, wave)
        il = energy_to_photons(energy, wave)
    else:
        il = _spectrum_values(name, value)
    if flatten:
        il = il.reshape(-1)
    if il.ndim != 1 or il.size != wave.size:
        raise ValueError(f"`{name}` spectrum has {il.size} samples but `wave` has {wave.size} wavelengths: it must "
                         f"have shape ({wave.size},); got {il.shape}")
    if not np.all(np.isfinite(il)) or np.any(il < 0) or (nonzero and not np.any(il > 0)):
        zero = " and not all zero" if nonzero else ""
        raise ValueError(f"`{name}` spectrum must be finite, >= 0 photons{zero}")
    return il
