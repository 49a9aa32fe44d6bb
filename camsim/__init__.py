"""
camsim — a physically based camera simulator
============================================

Scene (spectral radiance) → optics (diffraction-limited OTF) → optical image
(irradiance) → sensor (pixels, QE, noise, ADC) → image processor (demosaic, colour,
sRGB). A Python reimplementation of the ISETCam chain (Farrell & Wandell, Stanford)::

    import camsim
    capture = camsim.Camera(fnumber=22).capture("photo.jpg")
    capture.save("photo_f22.png")
"""

from . import charts, metrics, presets, spectra, units
from .camera import Camera, Capture
from .display import Display
from .isp import ISP, Rendering
from .optical_image import ChannelImage, OpticalImage
from .optics import Optics
from .raw import Raw
from .scene import Scene
from .sensor import Noise, Sensor

__version__ = "0.1.0"

__all__ = [
    "Camera",
    "Capture",
    "ChannelImage",
    "Display",
    "ISP",
    "Noise",
    "OpticalImage",
    "Optics",
    "Raw",
    "Rendering",
    "Scene",
    "Sensor",
    "charts",
    "metrics",
    "presets",
    "spectra",
    "units",
    "__version__",
]
