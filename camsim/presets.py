"""
Presets — the three camera settings of the original study
=========================================================

Each preset is an ordinary :class:`camsim.Camera`; change anything with
``Camera.preset("deblur", seed=3)`` or ``camera.replace(fnumber=16)``. Focal length
= f-number × aperture diameter; the sensor is sized to the scene's field of view
(10° for images, ISETCam's default), so the 25 µm camera has about 28 columns.

| name | f-number | aperture | pixel | exposure | processor | degradation |
|---|---|---|---|---|---|---|
| ``color`` | 4 | 1 mm | 1 µm | auto − 2 stops | D65-calibrated, no white balance; scenes relit by CIE A | warm cast + noise |
| ``pixel`` | 4 | 1 mm | 25 µm | auto | default | pixelation, pixel-aperture MTF loss |
| ``deblur`` | 22 | 0.176 mm | 1 µm | auto | default | diffraction blur |
"""

from __future__ import annotations

from dataclasses import dataclass

from .camera import Camera
from .isp import ISP

__all__ = ["PRESETS", "COLOR_UNDEREXPOSURE_STOPS", "names", "preset", "describe"]

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


def names() -> list[str]:
    """Preset names."""
    return list(PRESETS)


def preset(name: str, **changes) -> Camera:
    """The named preset as a :class:`camsim.Camera`, with optional field/shortcut ``changes``."""
    if name not in PRESETS:
        raise ValueError(f"`name` must be one of {names()}; got {name!r}")
    s = PRESETS[name]
    cam = Camera(fnumber=s.fnumber, aperture_diameter=s.aperture_diameter, pixel_pitch=s.pixel_pitch,
                 exposure_bias=s.exposure_bias, scene_light=s.scene_light, isp=ISP(white_balance="none"), name=name)
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
            "processing": f"{light}D65 colour matrix, no white balance",
            "degradation": s.degradation,
        })
    return rows
