"""
Tasks — how an HR photo becomes its LR input
============================================

A task names a degradation: ``sr`` (antialiased bicubic downsampling,
:func:`srgan.resample.bicubic`) or a camsim camera preset (``sr_color``,
``sr_pixel``, ``sr_deblur`` → presets ``color``, ``pixel``, ``deblur``) whose rendered
output is area-resized (:func:`camsim.resize.resize_area`) to the LR size. HR is the
unprocessed original, centre-cropped to a square and resized to ``scale × lr_size``.
Defaults follow the original study: LR 32×32, HR 128×128 (×4).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

import camsim
from camsim.resize import center_crop_square, resize_area

from .resample import bicubic_image

__all__ = ["Task", "TASKS", "task_names", "get_task"]

SCALES = (2, 4, 8)


@dataclass(frozen=True)
class Task:
    """
    One SR task.

    Parameters
    ----------
    name
        Registry name.
    preset
        camsim camera preset that makes the LR (None: bicubic downsampling only).
    scale
        Upscaling factor, 2, 4 or 8.
    lr_size
        LR side in pixels (HR side = ``scale × lr_size``).
    description
        What the network must undo.
    """

    name: str
    preset: str | None
    scale: int = 4
    lr_size: int = 32
    description: str = ""

    def __post_init__(self):
        if self.scale not in SCALES:
            raise ValueError(f"`scale` must be one of {SCALES}; got {self.scale!r}")
        if isinstance(self.lr_size, bool) or not isinstance(self.lr_size, int) or not 4 <= self.lr_size <= 4096:
            raise ValueError(f"`lr_size` must be an integer in [4, 4096] pixels; got {self.lr_size!r}")

    @property
    def hr_size(self) -> int:
        """HR side in pixels."""
        return self.scale * self.lr_size

    def camera(self) -> camsim.Camera | None:
        """The task's camera (None for ``sr``)."""
        return None if self.preset is None else camsim.Camera.preset(self.preset)

    def pair(self, image: np.ndarray, *, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
        """
        ``(lr, hr)`` float32 ``(n, n, 3)`` images in [0, 1] (sRGB-encoded) from one
        ``(rows, cols, 3)`` float image in [0, 1], whole-image mode: the whole image goes
        through the camera, both outputs are centre-cropped to a square.
        """
        img = np.asarray(image, dtype=np.float32)
        if img.ndim != 3 or img.shape[2] != 3:
            raise ValueError(f"`image` must be (rows, cols, 3) RGB; got shape {img.shape}")
        hr = bicubic_image(center_crop_square(img), (self.hr_size, self.hr_size))
        cam = self.camera()
        if cam is None:
            lr = bicubic_image(hr, (self.lr_size, self.lr_size))
        else:
            out = cam.capture(img, seed=seed).image
            lr = np.clip(resize_area(center_crop_square(out), (self.lr_size, self.lr_size)), 0, 1)
        return lr.astype(np.float32), hr


TASKS: dict[str, Task] = {
    "sr": Task("sr", None, description="resolution only (bicubic-downsampled LR)"),
    "sr_color": Task("sr_color", "color", description="resolution + colour cast and noise (preset color)"),
    "sr_pixel": Task("sr_pixel", "pixel", description="resolution + pixelation / pixel MTF (preset pixel)"),
    "sr_deblur": Task("sr_deblur", "deblur", description="resolution + f/22 diffraction blur (preset deblur)"),
}


def task_names() -> list[str]:
    """Registered task names."""
    return list(TASKS)


def get_task(name: str, *, scale: int = 4, lr_size: int = 32) -> Task:
    """The registered task ``name`` at ``scale`` and ``lr_size``."""
    if name not in TASKS:
        raise ValueError(f"`task` must be one of {task_names()}; got {name!r}")
    import dataclasses

    return dataclasses.replace(TASKS[name], scale=scale, lr_size=lr_size)
