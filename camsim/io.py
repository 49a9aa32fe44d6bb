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

import numpy as np
from numpy.typing import NDArray

from . import _io
from .scene import read_image as _read_image

__all__ = ["read_image", "write_image", "default_images", "atomic_path"]

atomic_path = _io.atomic_path


def read_image(path: str | os.PathLike) -> NDArray:
    """
    Read an image file (or array) as camsim does for :meth:`camsim.Scene.from_image`:
    float64 RGB in [0, 1], ``(rows, cols, 3)`` (8-bit / 255, 16-bit / 65535, grey
    replicated, alpha dropped). Raises ``ValueError`` naming the file if it is missing or
    not a readable image.
    """
    return _read_image(path)


def write_image(path: str | os.PathLike, image: NDArray, *, bit_depth: int = 8) -> Path:
    """Write a float image in [0, 1] as an 8- or 16-bit PNG (or by suffix), atomically."""
    return _io.write_image(path, np.asarray(image), bit_depth=bit_depth)


def default_images() -> list[Path]:
    """Paths of camsim's embedded default images (see ``camsim/data/images/PROVENANCE.md``)."""
    return _io.default_images()
