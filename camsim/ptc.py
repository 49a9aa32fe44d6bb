"""
Photon transfer — mean vs temporal variance over an exposure series
===================================================================

:func:`photon_transfer` exposes a :class:`camsim.Sensor` to an optical image at a
series of exposure times and, as EMVA 1288 does, takes two bright and two dark
frames at each: the mean signal is the mean of the pair, the temporal variance is
half the variance of their difference (which cancels every fixed pattern). For a
linear sensor ``σ²_y − σ²_y.dark = K · (μ_y − μ_y.dark)``: the slope is the overall
system gain K (DN/e⁻ for a quantised sensor, V/e⁻ for an analog one).
:func:`camsim.plots.plot_photon_transfer` draws the curve on log–log axes.

References
----------
- EMVA Standard 1288, Release 4.0 (2021), §2.2–2.4 and §6 (photon transfer method,
  pairs of images, fit range up to 70 % of saturation).
- Janesick, J. R. (2007). *Photon Transfer: DN → λ*. SPIE Press.
- ISETCam ``sensorSNR``, ``sensorPlot(…, 'sensor snr')``.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .optical_image import OpticalImage
from .cfa import CHANNELS
from .sensor import Sensor

__all__ = ["PhotonTransfer", "photon_transfer"]

FIT_FRACTION = 0.7  # EMVA 1288: fit the photon transfer up to 70 % of the saturation signal


@dataclass(frozen=True, eq=False)
class PhotonTransfer:
    """
    Photon-transfer statistics per exposure time and colour channel.

    Parameters
    ----------
    exposure_time
        s, ``(n,)``.
    mean, variance
        Mean and temporal variance of the bright frame pairs, ``(n, n_channels)``, in
        ``units`` and ``units`` squared.
    mean_dark, variance_dark
        The same for the dark pairs (same exposure times), ``(n, n_channels)``.
    units
        ``"DN"`` for a quantised sensor, ``"V"`` for an analog one.
    channels
        Channel names (``("r", "g", "b")`` or ``("mono",)``).
    """

    exposure_time: NDArray[np.float64]
    mean: NDArray[np.float64]
    variance: NDArray[np.float64]
    mean_dark: NDArray[np.float64]
    variance_dark: NDArray[np.float64]
    units: str
    channels: tuple[str, ...]

    @property
    def signal(self) -> NDArray[np.float64]:
        """Dark-corrected mean ``μ_y − μ_y.dark``, ``(n, n_channels)``, in :attr:`units`."""
        return self.mean - self.mean_dark

    @property
    def noise_variance(self) -> NDArray[np.float64]:
        """Dark-corrected temporal variance ``σ²_y − σ²_y.dark``, in :attr:`units` squared."""
        return self.variance - self.variance_dark

    def saturation_index(self) -> NDArray[np.int64]:
        """Index of the largest temporal variance per channel (EMVA 1288 saturation point), ``(n_channels,)``."""
        return np.argmax(self.variance, axis=0)

    def gain(self, max_fraction: float = FIT_FRACTION) -> NDArray[np.float64]:
        """
        Overall system gain K per channel (units per e⁻), ``(n_channels,)``.

        Least-squares slope through the origin of :attr:`noise_variance` against
        :attr:`signal`, over the points below the saturation point whose signal is at
        most ``max_fraction`` of the signal there.
        """
        if not 0 < max_fraction <= 1:
            raise ValueError(f"`max_fraction` must be in (0, 1]; got {max_fraction!r}")
        sat = self.saturation_index()
        out = np.empty(len(self.channels))
        for c in range(len(self.channels)):
            x, y = self.signal[:, c], self.noise_variance[:, c]
            use = (np.arange(x.size) <= sat[c]) & (x <= max_fraction * x[sat[c]])
            if not np.any(use & (x != 0)):
                raise ValueError("no photon-transfer points below the fit limit; extend the exposure series")
            out[c] = np.sum(x[use] * y[use]) / np.sum(x[use] ** 2)
        return out


def _pair_stats(a: NDArray, b: NDArray, masks: list[NDArray[np.bool_]]) -> tuple[NDArray, NDArray]:
    """EMVA pair statistics per mask: mean of (a+b)/2 and var(a − b)/2."""
    a = a.astype(np.float64)
    b = b.astype(np.float64)
    mean = np.array([0.5 * (a[m].mean() + b[m].mean()) for m in masks])
    var = np.array([0.5 * np.var(a[m] - b[m]) for m in masks])
    return mean, var


def photon_transfer(sensor: Sensor, optical_image: OpticalImage, exposure_times: ArrayLike, *,
                    seed: int = 0, roi: tuple[slice, slice] | None = None) -> PhotonTransfer:
    """
    Photon-transfer series: two bright and two dark frames per exposure time.

    Parameters
    ----------
    sensor
        The sensor; a ``size`` of None is resolved from ``optical_image`` once.
    optical_image
        The illumination (normally uniform), photons/(s·m²·nm). The dark frames use a
        zero optical image of the same geometry.
    exposure_times
        Exposure times, s, each > 0, ``(n,)``.
    seed
        Seed of the series; every frame gets its own 64-bit seed from it.
    roi
        Optional ``(row slice, col slice)`` of the pixels to analyse.

    Returns
    -------
    PhotonTransfer
        Statistics of ``raw.data`` (DN if quantised, else V) per CFA channel.
    """
    if not isinstance(sensor, Sensor):
        raise ValueError(f"`sensor` must be a camsim.Sensor; got {type(sensor).__name__}")
    if not isinstance(optical_image, OpticalImage):
        raise ValueError(f"`optical_image` must be a camsim.OpticalImage (spectral irradiance); "
                         f"got {type(optical_image).__name__}")
    times = np.atleast_1d(np.asarray(exposure_times, dtype=np.float64))
    if times.ndim != 1 or times.size == 0 or not np.all(np.isfinite(times)) or np.any(times <= 0):
        raise ValueError(f"`exposure_times` must be a non-empty 1-D array of times > 0 s; got {exposure_times!r}")
    if sensor.size is None:
        sensor = dataclasses.replace(sensor, size=sensor.size_for(optical_image))
    dark = dataclasses.replace(optical_image, irradiance=np.zeros_like(optical_image.irradiance))
    chan = sensor.channel_map()
    if roi is not None:
        chan = np.full(chan.shape, -1, dtype=np.int8)
        chan[roi] = sensor.channel_map()[roi]
    masks = [chan == c for c in range(sensor.n_channels)]
    seeds = np.random.SeedSequence(seed).generate_state(4 * times.size, np.uint64)
    stats = np.empty((4, times.size, sensor.n_channels))
    for i, t in enumerate(times):
        frames = [sensor.expose(o, exposure_time=t, seed=int(seeds[4 * i + k])).data
                  for k, o in enumerate((optical_image, optical_image, dark, dark))]
        stats[0, i], stats[1, i] = _pair_stats(frames[0], frames[1], masks)
        stats[2, i], stats[3, i] = _pair_stats(frames[2], frames[3], masks)
    return PhotonTransfer(
        exposure_time=times,
        mean=stats[0],
        variance=stats[1],
        mean_dark=stats[2],
        variance_dark=stats[3],
        units="V" if sensor.bit_depth is None else "DN",
        channels=("mono",) if sensor.cfa is None else CHANNELS,
    )


def plot_photon_transfer(ptc: PhotonTransfer, *, ax=None):
    """Deprecated: use :func:`camsim.plots.plot_photon_transfer` (same arguments and figure)."""
    import warnings

    from . import plots

    warnings.warn("camsim.ptc.plot_photon_transfer is deprecated; use camsim.plots.plot_photon_transfer",
                  DeprecationWarning, stacklevel=2)
    return plots.plot_photon_transfer(ptc, ax=ax)
