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

from types import MappingProxyType

from .camera import COLOR_UNDEREXPOSURE_STOPS, STUDY_PRESETS, Camera

__all__ = ["PRESETS", "STUDY", "EXTRA", "COLOR_UNDEREXPOSURE_STOPS", "DEGRADATIONS", "names", "preset", "describe",
           "isetcam"]

PRESETS = MappingProxyType(STUDY_PRESETS)  # name → the Camera arguments of each study preset

DEGRADATIONS: dict[str, str] = {  # what the SR model must undo, per study preset
    "color": "warm cast (tungsten light, daylight processing) + noise",
    "pixel": "pixelation, pixel-aperture MTF loss",
    "deblur": "diffraction blur",
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
    return Camera.preset("isetcam", **changes)


def preset(name: str, **changes) -> Camera:
    """
    The named camera as a :class:`camsim.Camera`, with optional field/shortcut
    ``changes``: a study preset (:data:`STUDY`) or ``"isetcam"`` (:func:`isetcam`).
    """
    return Camera.preset(name, **changes)


def describe() -> list[dict[str, str]]:
    """One row per preset (for tables): name, optics, pixel, exposure, processing, degradation."""
    return [_describe(name, Camera.preset(name)) for name in STUDY]


def _describe(name: str, cam: Camera) -> dict[str, str]:
    """The table row of one preset, read from its Camera value."""
    o, bias, light = cam.optics, cam.exposure_bias, cam.scene_light
    return {
        "name": name,
        "optics": f"f/{o.fnumber:g}, D={o.aperture_diameter * 1e3:g} mm, f={o.fnumber * o.aperture_diameter * 1e3:.3g} mm",
        "pixel": f"{cam.sensor.pixel_pitch * 1e6:g} µm",
        "exposure": "auto" if bias == 0 else f"auto {bias:+g} stops",
        "processing": (f"scene light {light}, D65 colour matrix, no white balance" if light
                       else "colour matrix fitted under the scene light, no white balance"),
        "degradation": DEGRADATIONS[name],
    }
