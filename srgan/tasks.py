"""
Tasks — how an HR photo becomes its LR input
============================================

A task names a degradation: ``sr`` (antialiased bicubic downsampling,
:func:`srgan.resample.bicubic`) or a camsim camera preset (``sr_color``,
``sr_pixel``, ``sr_deblur`` → presets ``color``, ``pixel``, ``deblur``) whose rendered
output is area-resized (:func:`camsim.resize.resize_area`) to the LR size. HR is the
unprocessed original, centre-cropped to a square and resized to ``scale × lr_size``.
Defaults follow the original study: LR 32×32, HR 128×128 (×4).

Two pairing modes (see ``docs/srgan-data.md``): :meth:`Task.pair` (``whole``: the whole
image through the camera at the task's field of view, as the study did) and
:meth:`Task.patch_pair` (``patches``: an HR crop through the camera with the field of
view scaled to the crop's share of the image, so blur and pixels act at the same
scale per scene degree as in ``whole`` mode). Pairs are made with the optics padding
the scene by reflection (``pad_value="reflect"``), not camsim's ISETCam-default zeros,
so no dark frame is blurred into the LR border.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

import camsim
from camsim.resize import center_crop_square, resize_area

from .resample import bicubic_image

__all__ = ["Task", "TASKS", "MODES", "task_names", "get_task", "register_task"]

MODES = ("whole", "patches")

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
    fov
        Horizontal field of view of a whole image, degrees (camsim's default 10°).
    changes
        Changes to the preset camera, as ``((field, value), ...)`` (``Camera.replace``),
        e.g. ``(("fnumber", 8.0),)``.
    """

    name: str
    preset: str | None
    scale: int = 4
    lr_size: int = 32
    description: str = ""
    fov: float = 10.0
    changes: tuple = ()

    def __post_init__(self):
        if self.scale not in SCALES:
            raise ValueError(f"`scale` must be one of {SCALES}; got {self.scale!r}")
        if isinstance(self.lr_size, bool) or not isinstance(self.lr_size, int) or not 4 <= self.lr_size <= 4096:
            raise ValueError(f"`lr_size` must be an integer in [4, 4096] pixels; got {self.lr_size!r}")
        if not (isinstance(self.fov, (int, float)) and 0.01 <= self.fov <= 170):
            raise ValueError(f"`fov` must be in [0.01, 170] degrees; got {self.fov!r}")
        if self.preset is None and self.changes:
            raise ValueError("`changes` need a camera `preset`; the bicubic task has no camera")
        if self.preset is not None:
            self.camera()  # validates the preset name and the changes now

    @property
    def hr_size(self) -> int:
        """HR side in pixels."""
        return self.scale * self.lr_size

    def camera(self) -> camsim.Camera | None:
        """The task's camera (None for ``sr``): the preset, its ``changes``, reflective padding."""
        if self.preset is None:
            return None
        return camsim.Camera.preset(self.preset, pad_value="reflect", **dict(self.changes))

    def config(self) -> dict:
        """Everything that determines this task's pairs, as a JSON-serialisable dict."""
        cam = self.camera()
        return {"name": self.name, "preset": self.preset, "scale": self.scale, "lr_size": self.lr_size,
                "hr_size": self.hr_size, "fov": float(self.fov), "changes": [[k, v] for k, v in self.changes],
                "lr": "bicubic (srgan.resample)" if cam is None else "camera → centre crop → camsim.resize_area",
                "camera": None if cam is None else cam.config()}

    def pair(self, image: np.ndarray, *, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
        """
        ``(lr, hr)`` float32 ``(n, n, 3)`` images in [0, 1] (sRGB-encoded) from one
        ``(rows, cols, 3)`` float image in [0, 1], whole-image mode: the whole image goes
        through the camera at :attr:`fov`, both outputs are centre-cropped to a square.
        """
        img = _check_image(image)
        hr = bicubic_image(center_crop_square(img), (self.hr_size, self.hr_size))
        return self._lr(img, hr, self.fov, seed), hr

    def patch_pair(self, image: np.ndarray, top: int, left: int, *, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
        """
        ``patches`` mode: HR = the ``hr_size × hr_size`` crop of ``image`` at (``top``, ``left``),
        native resolution; LR = that crop through the camera at the field of view
        ``fov · hr_size / image cols`` (the crop's share of the whole image), so the
        optics and pixels act at the same scale per scene degree as in :meth:`pair`.
        """
        img = _check_image(image)
        n = self.hr_size
        rows, cols = img.shape[:2]
        for nm, v, hi in (("top", top, rows - n), ("left", left, cols - n)):
            if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or not 0 <= v <= hi:
                raise ValueError(f"`{nm}` must be an integer in [0, {hi}] for a {rows}×{cols} image and "
                                 f"{n}-pixel crops; got {v!r}")
        hr = np.ascontiguousarray(img[top:top + n, left:left + n])
        return self._lr(hr, hr, self.fov * n / cols, seed), hr

    def _lr(self, scene_image: np.ndarray, hr: np.ndarray, fov: float, seed: int) -> np.ndarray:
        cam = self.camera()
        if cam is None:
            return bicubic_image(hr, (self.lr_size, self.lr_size))
        out = cam.capture(scene_image, fov=fov, seed=seed).image
        return np.clip(resize_area(center_crop_square(out), (self.lr_size, self.lr_size)), 0, 1).astype(np.float32)


def check_run_args(model, task, seed) -> Task:
    """Validate the ``(model, task, seed)`` triple of an evaluation or analysis run and
    return the :class:`Task` (a name is looked up at ×4). ``model`` must be a
    ``torch.nn.Module``; ``seed`` an integer >= 0."""
    from torch import nn

    if not isinstance(model, nn.Module):
        raise ValueError(f"`model` must be a torch.nn.Module; got {type(model).__name__}")
    if isinstance(task, str):
        task = get_task(task)
    if not isinstance(task, Task):
        raise ValueError(f"`task` must be a srgan.tasks.Task or a task name; got {type(task).__name__}")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"`seed` must be an integer >= 0; got {seed!r}")
    return task


def _check_image(image) -> np.ndarray:
    img = np.asarray(image, dtype=np.float32)
    if img.ndim != 3 or img.shape[2] != 3:
        raise ValueError(f"`image` must be (rows, cols, 3) RGB; got shape {img.shape}")
    if not (np.isfinite(img).all() and img.min() >= 0 and img.max() <= 1):
        raise ValueError("`image` values must be finite and in [0, 1]")
    return img


TASKS: dict[str, Task] = {
    "sr": Task("sr", None, description="resolution only (bicubic-downsampled LR)"),
    "sr_color": Task("sr_color", "color", description="resolution + colour cast and noise (preset color)"),
    "sr_pixel": Task("sr_pixel", "pixel", description="resolution + pixelation / pixel MTF (preset pixel)"),
    "sr_deblur": Task("sr_deblur", "deblur", description="resolution + f/22 diffraction blur (preset deblur)"),
}


def task_names() -> list[str]:
    """Registered task names."""
    return list(TASKS)


def get_task(name: str, *, scale: int = 4, lr_size: int = 32, **changes) -> Task:
    """The registered task ``name`` at ``scale`` and ``lr_size`` (other :class:`Task` fields in ``changes``)."""
    if name not in TASKS:
        raise ValueError(f"`task` must be one of {task_names()}; got {name!r}")
    import dataclasses

    return dataclasses.replace(TASKS[name], scale=scale, lr_size=lr_size, **changes)


def register_task(name: str, preset: str | None, *, description: str = "", fov: float = 10.0,
                  changes: dict | None = None, replace: bool = False) -> Task:
    """
    Add a task to the registry: ``preset`` None (bicubic) or a camsim preset name, with
    optional camera ``changes`` (e.g. ``{"fnumber": 8.0}``). Returns the task.
    """
    if not isinstance(name, str) or not name.isidentifier():
        raise ValueError(f"`name` must be an identifier-like string; got {name!r}")
    if name in TASKS and not replace:
        raise ValueError(f"`name` {name!r} is already registered; pass replace=True to redefine it")
    task = Task(name, preset, description=description, fov=fov, changes=tuple(sorted((changes or {}).items())))
    TASKS[name] = task
    return task
