"""
Spectra — every tabulated spectrum camsim uses, resampled to a wavelength grid
==============================================================================

The single place that reads spectral data (all from colour-science) and puts it on
a wavelength grid in nm (default 400:10:700, as ISETCam). Nothing else in camsim
embeds a spectral table.

Resampling is linear interpolation; outside a dataset's range the end values are
held (colour-science's own convention for ``SpectralDistribution.align``), except
for colour-matching functions, which are zero outside their tabulation.

References
----------
- CIE 15:2018 (CMFs, illuminants D65, A, F-series).
- Ohta, N. (1997) and Pascale, D. (2006), BabelColor — ColorChecker reflectances.
- Darrodi, M. M. et al. (2015), NPL camera spectral sensitivities (Nikon 5100).
- ISETCam (MIT licence) ``data/displays/LCD-Apple.mat`` and
  ``data/sensor/colorfilters/RGB.mat``, shipped as CSV in ``camsim/data/isetcam/``
  with their licence notice (:func:`isetcam_display`, :func:`isetcam_color_filters`).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .units import check_wave, energy_to_photons

__all__ = [
    "DEFAULT_WAVE",
    "wavelengths",
    "resample",
    "cmfs",
    "luminosity",
    "illuminant",
    "illuminant_names",
    "blackbody",
    "colorchecker",
    "colorchecker_names",
    "display_primaries",
    "display_names",
    "camera_sensitivities",
    "camera_names",
    "isetcam_display",
    "isetcam_color_filters",
]

_ISETCAM_DATA = Path(__file__).parent / "data" / "isetcam"

DEFAULT_WAVE: NDArray[np.float64] = np.arange(400.0, 701.0, 10.0)  # nm, ISETCam default


def wavelengths(start: float = 400.0, stop: float = 700.0, step: float = 10.0) -> NDArray[np.float64]:
    """Inclusive, uniform wavelength grid in nm (``start``, ``stop`` and ``step`` in nm)."""
    for name, v in (("start", start), ("stop", stop), ("step", step)):
        if not np.isfinite(v) or v <= 0:
            raise ValueError(f"`{name}` must be a finite wavelength > 0 nm; got {v!r}")
    if stop < start:
        raise ValueError(f"`stop` ({stop} nm) must be >= `start` ({start} nm)")
    n = int(np.floor((stop - start) / step + 1e-9)) + 1
    return start + step * np.arange(n, dtype=np.float64)


def _grid(wave: ArrayLike | None) -> NDArray[np.float64]:
    return DEFAULT_WAVE.copy() if wave is None else check_wave(wave)


def resample(values: ArrayLike, wave_in: ArrayLike, wave: ArrayLike | None = None, *, fill: float | None = None) -> NDArray[np.float64]:
    """
    Linearly resample spectra from ``wave_in`` to ``wave`` (both nm).

    ``values`` has wavelength on its first axis, shape ``(n_in,)`` or ``(n_in, k)``.
    Outside ``wave_in`` the end values are held, or ``fill`` is used if given.
    """
    wi = check_wave(wave_in, "wave_in")
    wo = _grid(wave)
    v = np.asarray(values, dtype=np.float64)
    if v.shape[0] != wi.size:
        raise ValueError(f"`values` first axis ({v.shape[0]}) must match `wave_in` ({wi.size} samples)")
    flat = v.reshape(wi.size, -1)
    out = np.empty((wo.size, flat.shape[1]))
    for k in range(flat.shape[1]):
        out[:, k] = np.interp(wo, wi, flat[:, k], left=fill, right=fill)
    return out.reshape((wo.size,) + v.shape[1:])


def _msds(msds, wave, fill=None):
    return resample(msds.values, msds.wavelengths, wave, fill=fill)


@lru_cache(maxsize=64)
def _cmfs_cached(key: tuple) -> NDArray[np.float64]:
    import colour

    out = _msds(colour.MSDS_CMFS["CIE 1931 2 Degree Standard Observer"], np.array(key), fill=0.0)
    out.setflags(write=False)
    return out


def cmfs(wave: ArrayLike | None = None) -> NDArray[np.float64]:
    """CIE 1931 2° colour-matching functions x̄ȳz̄ (energy basis), shape ``(n_wave, 3)``."""
    return _cmfs_cached(tuple(_grid(wave))).copy()


def luminosity(wave: ArrayLike | None = None) -> NDArray[np.float64]:
    """CIE photopic luminous efficiency V(λ) (= ȳ of CIE 1931), shape ``(n_wave,)``."""
    return _cmfs_cached(tuple(_grid(wave)))[:, 1].copy()


def illuminant_names() -> list[str]:
    """Names accepted by :func:`illuminant`."""
    import colour

    return sorted(colour.SDS_ILLUMINANTS) + ["equal_energy", "equal_photons"]


def illuminant(name: str = "D65", wave: ArrayLike | None = None, *, photons: bool = False) -> NDArray[np.float64]:
    """
    Relative spectral power distribution of a named illuminant, shape ``(n_wave,)``.

    Parameters
    ----------
    name
        A colour-science illuminant (``"D65"``, ``"A"``, ``"FL1"``…``"FL12"``, ``"E"``,
        LED and ISO 7589 series …), ``"equal_energy"`` or ``"equal_photons"``.
        Use :func:`blackbody` for a Planckian radiator.
    wave
        Wavelength grid in nm (default 400:10:700).
    photons
        If true, return the SPD converted to photons (relative units); otherwise
        relative energy (the tabulated CIE values).
    """
    import colour

    w = _grid(wave)
    if name == "equal_energy":
        spd = np.ones_like(w)
    elif name == "equal_photons":
        spd = 550.0 / w  # a flat photon spectrum has energy ∝ 1/λ (relative, 1 at 550 nm)
    elif isinstance(name, str) and name in colour.SDS_ILLUMINANTS:
        sd = colour.SDS_ILLUMINANTS[name]
        spd = resample(sd.values, sd.wavelengths, w)
    else:
        raise ValueError(f"`name` must be one of {illuminant_names()}; got {name!r}")
    return energy_to_photons(spd, w) if photons else spd


def blackbody(temperature: float, wave: ArrayLike | None = None, *, photons: bool = False) -> NDArray[np.float64]:
    """
    Planck spectral radiance of a blackbody at ``temperature`` (K), in W/(sr·m²·nm)
    (or photons/(s·sr·m²·nm) if ``photons``), shape ``(n_wave,)``.
    """
    from scipy.constants import Boltzmann, c, h

    try:
        temperature = float(temperature)
    except (TypeError, ValueError):
        raise ValueError(f"`temperature` must be a number > 0 K; got {temperature!r}") from None
    if not np.isfinite(temperature) or temperature <= 0:
        raise ValueError(f"`temperature` must be > 0 K; got {temperature!r}")
    w = _grid(wave)
    lam = w * 1e-9  # m
    # Planck's law with CODATA constants, W/(sr·m²·m) → per nm.
    energy = 2 * h * c**2 / lam**5 / np.expm1(h * c / (lam * Boltzmann * temperature)) * 1e-9
    return energy_to_photons(energy, w) if photons else energy


def colorchecker_names() -> list[str]:
    """Measured ColorChecker data sets accepted by :func:`colorchecker`."""
    return ["BabelColor Average", "ColorChecker N Ohta", "ISO 17321-1"]


def colorchecker(name: str = "BabelColor Average", wave: ArrayLike | None = None) -> tuple[NDArray[np.float64], list[str]]:
    """
    Spectral reflectances of the 24 ColorChecker patches (row-major, dark skin →
    black), shape ``(24, n_wave)`` in [0, 1], and the patch names.
    """
    import colour

    if name not in colorchecker_names():
        raise ValueError(f"`name` must be one of {colorchecker_names()}; got {name!r}")
    sds = colour.SDS_COLOURCHECKERS[name]
    names = list(sds)
    w = _grid(wave)
    refl = np.stack([resample(sds[n].values, sds[n].wavelengths, w) for n in names])
    return refl, names


def display_names() -> list[str]:
    """Display primaries available from colour-science."""
    import colour

    return sorted(colour.MSDS_DISPLAY_PRIMARIES)


def display_primaries(name: str = "Apple Studio Display", wave: ArrayLike | None = None) -> NDArray[np.float64]:
    """
    Spectral power of a display's R, G, B primaries at full drive, in W/(sr·m²·nm)
    as tabulated by colour-science, shape ``(n_wave, 3)``; zero outside the table.
    """
    import colour

    if name not in colour.MSDS_DISPLAY_PRIMARIES:
        raise ValueError(f"`name` must be one of {display_names()}; got {name!r}")
    return np.clip(_msds(colour.MSDS_DISPLAY_PRIMARIES[name], _grid(wave), fill=0.0), 0.0, None)


def camera_names() -> list[str]:
    """Camera spectral sensitivities available from colour-science."""
    import colour

    return sorted(colour.MSDS_CAMERA_SENSITIVITIES)


def camera_sensitivities(name: str = "Nikon 5100 (NPL)", wave: ArrayLike | None = None) -> NDArray[np.float64]:
    """
    Relative R, G, B spectral sensitivities of a camera (each peak 1), shape
    ``(n_wave, 3)``; zero outside the measured range.
    """
    import colour

    if name not in colour.MSDS_CAMERA_SENSITIVITIES:
        raise ValueError(f"`name` must be one of {camera_names()}; got {name!r}")
    return np.clip(_msds(colour.MSDS_CAMERA_SENSITIVITIES[name], _grid(wave), fill=0.0), 0.0, None)


@lru_cache(maxsize=8)
def _isetcam_csv(name: str) -> NDArray[np.float64]:
    table = np.loadtxt(_ISETCAM_DATA / name, delimiter=",", skiprows=1, dtype=np.float64)
    table.setflags(write=False)
    return table


def isetcam_display(name: str = "lcd-apple", wave: ArrayLike | None = None) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """
    ISETCam's calibrated ``LCD-Apple`` display (``displayCreate('LCD-Apple')``, the
    display ``sceneFromFile`` uses by default).

    Parameters
    ----------
    name
        ``"lcd-apple"`` (the only ISETCam display shipped).
    wave
        Wavelengths in nm (default 400:10:700). Each sample is the mean of the
        380:4:780 nm table (piecewise linear, zero outside) over its band
        ``λ ± Δλ/2`` (:func:`camsim.units.wave_bin_width`), so band integrals of the
        peaked primaries are kept: at 10 nm the white's xy moves by (+0.0003,
        +0.0006) from the 4 nm table, against (+0.0005, +0.0011) with ISETCam's
        point interpolation (``displaySet(d, 'wave', w)``).

    Returns
    -------
    primaries, gamma
        Spectral radiance of R, G, B at full drive, W/(sr·m²·nm), ``(n_wave, 3)``;
        and the measured transfer table, linear drive of each primary at codes
        0…1023, ``(1024, 3)``.
    """
    if name != "lcd-apple":
        raise ValueError(f"`name` must be 'lcd-apple'; got {name!r}")
    spd = _isetcam_csv("lcd_apple_spd.csv")
    gamma = _isetcam_csv("lcd_apple_gamma.csv")[:, 1:].copy()
    return np.clip(_band_average(spd[:, 1:], spd[:, 0], _grid(wave)), 0.0, None), gamma


def _band_average(values: NDArray[np.float64], wave_in: NDArray[np.float64], wave: NDArray[np.float64]) -> NDArray[np.float64]:
    """Mean of piecewise-linear spectra (zero outside ``wave_in``) over each band ``wave ± Δλ/2``, ``(n, k)``."""
    from .units import wave_bin_width

    x = np.concatenate([[wave_in[0]], wave_in, [wave_in[-1]]])
    y = np.vstack([np.zeros((1, values.shape[1])), values, np.zeros((1, values.shape[1]))])
    h = np.diff(x)
    cum = np.vstack([np.zeros((1, y.shape[1])), np.cumsum(0.5 * (y[1:] + y[:-1]) * h[:, None], axis=0)])

    def integral(t):  # ∫_{x0}^{t} of the piecewise-linear function, exact
        t = np.clip(t, x[0], x[-1])
        i = np.clip(np.searchsorted(x, t, side="right") - 1, 0, len(x) - 2)
        d = (t - x[i])[:, None]
        hh = np.where(h[i] > 0, h[i], 1.0)[:, None]
        return cum[i] + y[i] * d + (y[i + 1] - y[i]) * d**2 / (2 * hh)

    half = wave_bin_width(wave) / 2
    return (integral(wave + half) - integral(wave - half)) / (2 * half)[:, None]


def isetcam_color_filters(wave: ArrayLike | None = None) -> NDArray[np.float64]:
    """
    ISETCam's default Bayer colour-filter transmittances (``sensorCreate`` default,
    ``RGB.mat``), columns (r, g, b), ``(n_wave, 3)``; linear interpolation of the
    370:1:730 nm table, zero outside (ISETCam ``sensorReadColorFilters``).
    """
    t = _isetcam_csv("sensor_rgb_default.csv")
    return np.clip(resample(t[:, 1:], t[:, 0], _grid(wave), fill=0.0), 0.0, None)
