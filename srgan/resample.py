"""
Bicubic resampling — the interpolation baseline every SR number is compared with
================================================================================

One implementation for the whole package: :func:`torch.nn.functional.interpolate` with
``mode="bicubic"`` (Keys' cubic convolution, a = −0.75, as PIL and OpenCV),
``align_corners=False`` and ``antialias=True``. With antialiasing the kernel is stretched
by the scale factor when downsampling (PIL's ``Image.resize(BICUBIC)`` behaviour); when
upsampling ``antialias`` changes nothing. The result is *not* clamped (clamp when saving
or scoring, as for a network's output).

References: Keys, R. "Cubic convolution interpolation for digital image processing",
IEEE TASSP 29(6), 1981.
"""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F

__all__ = ["bicubic", "bicubic_image"]


def bicubic(x: torch.Tensor, size: tuple[int, int]) -> torch.Tensor:
    """
    Resize an ``(N, C, H, W)`` float tensor to ``size`` = ``(rows, cols)`` pixels
    (antialiased bicubic, values unclamped, same dtype).
    """
    if not isinstance(x, torch.Tensor) or x.ndim != 4 or not x.is_floating_point():
        raise ValueError(f"`x` must be a float (N, C, H, W) tensor; got {getattr(x, 'shape', type(x))}")
    rows, cols = (int(size[0]), int(size[1]))
    if rows < 1 or cols < 1:
        raise ValueError(f"`size` must be (rows, cols) >= 1; got {size!r}")
    if (rows, cols) == tuple(x.shape[-2:]):
        return x.clone()
    return F.interpolate(x, size=(rows, cols), mode="bicubic", align_corners=False, antialias=True)


def bicubic_image(image: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """:func:`bicubic` for one ``(rows, cols, 3)`` float image in [0, 1]; float32 out, clamped to [0, 1]."""
    img = np.asarray(image, dtype=np.float32)
    if img.ndim != 3:
        raise ValueError(f"`image` must be (rows, cols, channels); got shape {img.shape}")
    t = torch.from_numpy(np.ascontiguousarray(img.transpose(2, 0, 1)))[None]
    out = bicubic(t, size)[0].clamp_(0, 1).numpy().transpose(1, 2, 0)
    return np.ascontiguousarray(out)
