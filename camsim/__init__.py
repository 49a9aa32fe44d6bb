"""
camsim — a physically based camera simulator
============================================

Scene (spectral radiance) → optics (diffraction-limited OTF) → optical image
(irradiance) → sensor (pixels, QE, noise, ADC) → image processor (demosaic, colour,
sRGB). A Python reimplementation of the ISETCam chain (Farrell & Wandell, Stanford).
"""

from . import charts, spectra, units
from .display import Display
from .scene import Scene

__version__ = "0.1.0"

__all__ = ["Scene", "Display", "charts", "spectra", "units", "__version__"]
