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

import numpy as _np

# colour-science sets numpy's global print options (legacy="1.13") on import; importing
# camsim must not change the user's numpy, so they are restored after our imports.
_print_options = _np.get_printoptions()

from . import cfa, charts, colorimetry, io, metrics, presets, resize, spectra, units, white_balance  # noqa: E402
from .camera import Camera, Capture  # noqa: E402
from .display import Display
from .isp import ISP, Rendering
from .optical_image import OpticalImage
from .optics import Optics
from .resize import center_crop_square, resize_area
from .raw import Raw
from .scene import Scene
from .sensor import Noise, Sensor
from .threads import get_threads, set_threads  # noqa: E402

_np.set_printoptions(**_print_options)
del _print_options

__version__ = "0.1.0"

__all__ = [
    "Camera",
    "Capture",
    "Display",
    "ISP",
    "Noise",
    "OpticalImage",
    "Optics",
    "Raw",
    "Rendering",
    "Scene",
    "Sensor",
    "center_crop_square",
    "cfa",
    "charts",
    "colorimetry",
    "get_threads",
    "io",
    "metrics",
    "presets",
    "resize",
    "resize_area",
    "set_threads",
    "spectra",
    "units",
    "white_balance",
    "__version__",
]


def __getattr__(name: str):
    # ChannelImage is the fast path's internal carrier (camsim._channel.ChannelImage);
    # camsim.ChannelImage still resolves, with a DeprecationWarning.
    if name == "ChannelImage":
        import warnings

        from ._channel import ChannelImage

        warnings.warn("camsim.ChannelImage is internal (camsim._channel.ChannelImage)", DeprecationWarning,
                      stacklevel=2)
        return ChannelImage
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
