"""
Raw — what a sensor exposure produces
=====================================

:class:`Raw` is returned by :meth:`camsim.Sensor.expose` and consumed by
:meth:`camsim.ISP.render` (ISETCam's computed ``sensor`` struct).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = ["Raw"]


@dataclass(frozen=True, eq=False)
class Raw:
    """
    One exposure of a sensor.

    Parameters
    ----------
    electrons
        Collected charge per pixel after noise and full-well clipping, with the
        read-out noise and offsets (read noise, DSNU, column FPN) referred to e⁻ —
        so it can be slightly negative in the dark; e⁻, float32 ``(rows, cols)``.
    volts
        Pixel output after gain/offset and clipping to [0, voltage swing], V, float32.
    digital
        ADC output in DN, uint16 ``(rows, cols)``, or None for an analog sensor.
    mean_electrons
        Noise-free expected photo-electrons per pixel, e⁻ (no dark current), float32.
    cfa
        Bayer layout (``"rggb"``, ``"grbg"``, ``"gbrg"``, ``"bggr"``) or None (monochrome).
    black_level
        Output for zero light, in the units of :attr:`data` (DN if digital, else V).
    white_level
        Largest possible output, in the units of :attr:`data`.
    exposure_time
        Integration time, s.
    analog_gain
        Gain applied before the ADC (dimensionless).
    sensor
        The :class:`camsim.Sensor` that produced it (with its ``size`` filled in).
    seed
        The 64-bit seed of this frame's temporal noise (pass it back to
        :meth:`camsim.Sensor.expose` to reproduce the frame), or None.
    dark_level
        Mean dark signal (dark current × exposure time, through the conversion and
        analog gains) above ``black_level``, in the units of :attr:`data`; what a
        camera measures on its optically masked pixels. 0 with dark current off.
    """

    electrons: NDArray[np.float32]
    volts: NDArray[np.float32]
    digital: NDArray[np.uint16] | None
    mean_electrons: NDArray[np.float32]
    cfa: str | None
    black_level: float
    white_level: float
    exposure_time: float
    analog_gain: float
    sensor: Any = None
    seed: int | None = None
    dark_level: float = 0.0

    @property
    def data(self) -> NDArray[np.float32]:
        """What an image processor reads: DN (as float32) if quantised, else volts."""
        if self.digital is not None:
            return self.digital.astype(np.float32)
        return self.volts

    @property
    def rows(self) -> int:
        return self.volts.shape[0]

    @property
    def cols(self) -> int:
        return self.volts.shape[1]

    def __repr__(self) -> str:
        kind = "analog" if self.digital is None else "digital"
        return (f"Raw({self.rows}×{self.cols}, cfa={self.cfa}, {kind}, "
                f"exposure={self.exposure_time:.4g} s, mean e⁻={float(self.electrons.mean()):.4g})")
