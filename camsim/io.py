"""
I/O — reading and writing images, the embedded default images
=============================================================

The public face of camsim's file handling for other packages (``srgan``): thin
wrappers over the private implementations in :mod:`camsim._io` and
:mod:`camsim.scene`, so those can improve (16-bit PNG, EXIF orientation) without the
callers changing.
"""

from __future__ import annotations

import os
from pathlib import Path

from numpy.typing import NDArray

from . import _io
from .scene import read_image as _read_image

__all__ = ["read_image", "read_pixels", "write_image", "default_images", "atomic_path"]

atomic_path = _io.atomic_path


def read_image(path: str | os.PathLike) -> NDArray:
    """
    Read an image file (or array) as camsim does for :meth:`camsim.Scene.from_image`:
    float64 RGB in [0, 1], ``(rows, cols, 3)`` (8-bit / 255, 16-bit / 65535 — 16-bit
    PNGs are read at 16 bits — grey replicated, alpha dropped, EXIF orientation applied). Raises ``ValueError`` naming the file if it is missing or
    not a readable image.
    """
    return _read_image(path)


def read_pixels(path: str | os.PathLike) -> NDArray:
    """
    The pixels of an image file as stored: dtype uint8, uint16 or float, ``(rows, cols)``
    or ``(rows, cols, channels)`` with any alpha channel kept; 16-bit PNGs at 16 bits,
    EXIF orientation applied. For callers that need alpha or the grey/RGB distinction
    (:func:`read_image` normalises both away). Raises ``ValueError`` naming the file.
    """
    return _io.read_file(path)


def write_image(path: str | os.PathLike, image: NDArray, *, bit_depth: int = 8, quality: int | None = None) -> Path:
    """
    Write a float image in [0, 1] atomically; the format comes from the suffix:
    ``.png``, ``.tif``/``.tiff`` (8 or 16 bits), ``.jpg``/``.jpeg`` (8 bits, ``quality``
    1–100, default 95), ``.bmp``, ``.webp`` (8 bits). Anything else is a ValueError
    before any file is touched.
    """
    return _io.write_image(path, image, bit_depth=bit_depth, quality=quality)


def default_images() -> list[Path]:
    """Paths of camsim's embedded default images (see ``camsim/data/images/PROVENANCE.md``)."""
    return _io.default_images()
