"""
Resize — exact area (box) resampling of images
==============================================

Each output sample is the average of the input over its footprint (input samples are
treated as uniform squares), which is the right anti-aliasing for making
low-resolution targets from camera output. Shares the banded overlap kernel that the
sensor uses for pixel integration (:mod:`camsim._kernels.resample`).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._kernels import resample as _resample

__all__ = ["resize_area", "center_crop_square"]


def resize_area(image: ArrayLike, size: tuple[int, int]) -> NDArray[np.float32]:
    """
    Resize ``image`` (``(rows, cols)`` or ``(rows, cols, channels)``) to ``size`` =
    ``(rows, cols)`` by exact area averaging; float32 out, same value scale as in.
    """
    img = np.asarray(image, dtype=np.float64)
    if img.ndim not in (2, 3) or img.shape[0] < 1 or img.shape[1] < 1:
        raise ValueError(f"`image` must be (rows, cols[, channels]); got shape {img.shape}")
    if not np.all(np.isfinite(img)):
        raise ValueError("`image` contains NaN or inf")
    try:
        rows, cols = (int(size[0]), int(size[1]))
    except (TypeError, ValueError, IndexError):
        raise ValueError(f"`size` must be (rows, cols) integers >= 1; got {size!r}") from None
    if rows < 1 or cols < 1:
        raise ValueError(f"`size` must be (rows, cols) integers >= 1; got {size!r}")
    # Image spans [-1/2, 1/2] on both axes: input cells 1/n wide, output apertures 1/m wide.
    rs, rw = _resample.overlap_band(img.shape[0], 1.0 / img.shape[0], rows, 1.0 / rows, 1.0 / rows)
    cs, cw = _resample.overlap_band(img.shape[1], 1.0 / img.shape[1], cols, 1.0 / cols, 1.0 / cols)
    rw, cw = rw * rows, cw * cols  # weights of each output sum to 1 (averaging)
    planes = img[..., None] if img.ndim == 2 else img
    out = np.stack([_resample.area_resample(np.ascontiguousarray(planes[..., k]), rs, rw, cs, cw)
                    for k in range(planes.shape[2])], axis=-1)
    return (out[..., 0] if img.ndim == 2 else out).astype(np.float32)


def center_crop_square(image: ArrayLike) -> NDArray:
    """The largest centred square of ``image``."""
    img = np.asarray(image)
    if img.ndim not in (2, 3) or min(img.shape[:2]) < 1:
        raise ValueError(f"`image` must be (rows, cols) or (rows, cols, channels) with rows, cols >= 1; got {img.shape}")
    n = min(img.shape[0], img.shape[1])
    r0, c0 = (img.shape[0] - n) // 2, (img.shape[1] - n) // 2
    return img[r0:r0 + n, c0:c0 + n]
