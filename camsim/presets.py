"""
Presets — the three camera settings of the original study
=========================================================

Each preset is an ordinary :class:`camsim.Camera`; change anything with
``Camera.preset("deblur", seed=3)`` or ``camera.replace(fnumber=16)``. Focal length
= f-number × aperture diameter; the sensor is sized to the scene's field of view
(10° for images, ISETCam's default), so the 25 µm camera has about 26 columns (whole 2×2 blocks inside the scene).

| name | f-number | aperture | pixel | exposure | processor | degradation |
|---|---|---|---|---|---|---|
| ``color`` | 4 | 1 mm | 1 µm | auto − 2 stops | D65-calibrated, no white balance; scenes relit by CIE A | warm cast + noise |
| ``pixel`` | 4 | 1 mm | 25 µm | auto | matrix fitted under the scene light, no white balance | pixelation, pixel-aperture MTF loss |
| ``deblur`` | 22 | 0.176 mm | 1 µm | auto | matrix fitted under the scene light, no white balance | diffraction blur |

:func:`names`, :func:`describe` and :data:`STUDY` list only these three. One more
camera is available by name, outside the study: ``preset("isetcam")``
(:func:`isetcam`), ISETCam's default camera for numerical comparisons.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import spectra
from .camera import Camera
from .isp import ISP
from .optics import Optics
from .sensor import Noise, Sensor

__all__ = ["PRESETS", "STUDY", "EXTRA", "COLOR_UNDEREXPOSURE_STOPS", "names", "preset", "describe", "isetcam"]

COLOR_UNDEREXPOSURE_STOPS = 2.0  # the `color` preset's exposure: 2 stops below auto-exposure


@dataclass(frozen=True)
class _Spec:
    fnumber: float
    aperture_diameter: float  # m
    pixel_pitch: float  # m
    exposure_bias: float  # stops
    scene_light: str | None
    degradation: str


PRESETS: dict[str, _Spec] = {
    "color": _Spec(4.0, 1e-3, 1e-6, -COLOR_UNDEREXPOSURE_STOPS, "A", "warm cast (tungsten light, daylight processing) + noise"),
    "pixel": _Spec(4.0, 1e-3, 25e-6, 0.0, None, "pixelation, pixel-aperture MTF loss"),
    "deblur": _Spec(22.0, 0.176e-3, 1e-6, 0.0, None, "diffraction blur"),
}


STUDY: tuple[str, ...] = tuple(PRESETS)  # the study's cameras: what names() / describe() list
EXTRA: tuple[str, ...] = ("isetcam",)  # further cameras preset() builds, not part of the study


def names() -> list[str]:
    """The study's preset names (:data:`STUDY`; ``"isetcam"`` is not one of them)."""
    return list(STUDY)


def isetcam(**changes) -> Camera:
    """
    ISETCam's default camera (``cameraCreate`` with ``sceneFromFile``'s display),
    for numerical comparison with ISETCam; not a study preset.

    | setting | value | ISETCam source |
    |---|---|---|
    | optics | f/4, f = 3.8628 mm, diffraction limited, cos⁴ | ``opticsCreate('default')`` |
    | QE | ``RGB.mat`` filters × photodiode QE 1 × IR filter 1 (peaks r 0.386, g 0.348, b 0.291) | ``sensorCreate`` → ``sensorReadColorFilters('RGB')``; ``pixelCreate`` pd QE ones; IR filter ones |
    | CFA | GRBG | ``sensorCreate`` filter order ``[2 1; 3 2]`` |
    | pixel | 2.8 µm, fill factor 0.75 | ``pixelCreate('default')`` |
    | conversion gain / swing | 1e-4 V/e⁻ / 1 V (well 10 000 e⁻) | ``pixelCreate('default')`` |
    | dark / read noise | 1e-3 V/s = 10 e⁻/s / 1e-3 V = 10 e⁻ | ``pixelCreate('default')`` |
    | DSNU / PRNU / column FPN | 0 / 0 / 0 | ``sensorCreate`` |
    | analog gain / offset / ADC | 1 / 0 / analog | ``sensorCreate`` |
    | size | 72:88 rows:cols, width = scene's | ``sensorCreate`` ``qqcif`` + ``sensorSetSizeToFOV`` (``size_rule="isetcam"``) |
    | exposure | auto, 0.95 of the swing | ``autoExposure(…, 0.95)`` (camsim: brightest pixel, ISETCam 'default': brightest oi sample) |
    | demosaic | bilinear | ``ipCreate`` |
    | colour | 'MCC optimized' fit under D65, unconstrained; no illuminant correction | ``ipCreate``, ``imageSensorTransform`` (camsim fits on BabelColor, ISETCam on ``macbethChart.mat``) |
    | dark subtraction | off | ISETCam's zero level excludes dark current |

    The rendering still goes to sRGB (ISETCam renders to the ``lcdExample`` display).
    """
    wave = spectra.DEFAULT_WAVE
    sensor = Sensor(pixel_pitch=2.8e-6, fill_factor=0.75, size_rule="isetcam", cfa="grbg",
                    qe=spectra.isetcam_color_filters(wave), wave=wave, conversion_gain=1e-4, voltage_swing=1.0,
                    dark_current=10.0, read_noise=10.0, noise=Noise(), auto_exposure_level=0.95)
    isp = ISP(demosaic="bilinear", white_balance="none", calibration_illuminant="D65", preserve_white=False,
              fit_scene_light=False, subtract_dark=False)
    cam = Camera(optics=Optics(), sensor=sensor, isp=isp, name="isetcam")
    return cam.replace(**changes) if changes else cam


def preset(name: str, **changes) -> Camera:
    """
    The named camera as a :class:`camsim.Camera`, with optional field/shortcut
    ``changes``: a study preset (:data:`STUDY`) or ``"isetcam"`` (:func:`isetcam`).
    """
    if name == "isetcam":
        return isetcam(**changes)
    if name not in PRESETS:
        raise ValueError(f"`name` must be one of {list(STUDY) + list(EXTRA)}; got {name!r}")
    s = PRESETS[name]
    # `color` is defined as D65-calibrated (fit_scene_light off): its tungsten cast is the D65 matrix's.
    isp = ISP(white_balance="none", fit_scene_light=s.scene_light is None)
    cam = Camera(fnumber=s.fnumber, aperture_diameter=s.aperture_diameter, pixel_pitch=s.pixel_pitch,
                 exposure_bias=s.exposure_bias, scene_light=s.scene_light, isp=isp, name=name)
    return cam.replace(**changes) if changes else cam


def describe() -> list[dict[str, str]]:
    """One row per preset (for tables): name, optics, pixel, exposure, processing, degradation."""
    rows = []
    for name, s in PRESETS.items():
        exposure = "auto" if s.exposure_bias == 0 else f"auto {s.exposure_bias:+g} stops"
        light = f"scene light {s.scene_light}, " if s.scene_light else ""
        rows.append({
            "name": name,
            "optics": f"f/{s.fnumber:g}, D={s.aperture_diameter * 1e3:g} mm, f={s.fnumber * s.aperture_diameter * 1e3:.3g} mm",
            "pixel": f"{s.pixel_pitch * 1e6:g} µm",
            "exposure": exposure,
            "processing": (f"{light}D65 colour matrix, no white balance" if s.scene_light
                           else "colour matrix fitted under the scene light, no white balance"),
            "degradation": s.degradation,
        })
    return rows
