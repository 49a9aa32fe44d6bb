"""
Full-reference quality — PSNR and SSIM
======================================

Peak signal-to-noise ratio and the structural similarity index of Wang et al. (2004)
for float images, written to give the same numbers as scikit-image's
``peak_signal_noise_ratio`` and ``structural_similarity(..., gaussian_weights=True,
sigma=1.5, use_sample_covariance=False, data_range=...)`` with ``channel_axis=-1`` for
colour images.

Conventions (say them in every evaluation table):

- Images are ``(rows, cols)`` (grey) or ``(rows, cols, channels)`` (channels last),
  nominally in ``[0, data_range]``; values outside are allowed (e.g. a network's
  overshoot) and used as they are. Computation is float64.
- Default: PSNR over all channels jointly (one MSE over every value); SSIM computed per
  channel and averaged.
- ``luminance=True`` first reduces RGB to BT.601 luma ``Y' = 0.299 R' + 0.587 G' +
  0.114 B'`` of the given (encoded) values, keeping the range ``[0, data_range]``. This
  is *not* MATLAB's ``rgb2ycbcr`` (studio swing 16-235) used by some super-resolution
  papers, whose Y differences are 219/255 as large: PSNR there is 20·log10(255/219)
  ≈ 1.32 dB higher.
- No border is cropped; crop before calling when a protocol asks for it.

References
----------
- [Wang2004] Wang, Z., Bovik, A. C., Sheikh, H. R. and Simoncelli, E. P. (2004),
  "Image quality assessment: from error visibility to structural similarity",
  *IEEE Trans. Image Process.* 13(4), 600-612.
- ITU-R BT.601-7 (2011), luma coefficients.
- scikit-image ``skimage.metrics`` (the reference these are tested against).
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.ndimage import correlate1d

__all__ = [
    "LUMA_BT601",
    "SSIM_SIGMA",
    "SSIM_K1",
    "SSIM_K2",
    "SSIM_TRUNCATE",
    "psnr",
    "ssim",
]

LUMA_BT601: tuple[float, float, float] = (0.299, 0.587, 0.114)  # ITU-R BT.601 luma weights
SSIM_SIGMA: float = 1.5  # Gaussian window σ in pixels [Wang2004]
SSIM_K1: float = 0.01  # C1 = (K1 · data_range)² [Wang2004]
SSIM_K2: float = 0.03  # C2 = (K2 · data_range)² [Wang2004]
SSIM_TRUNCATE: float = 3.5  # window radius int(3.5 σ + 0.5) = 5 → 11×11, as scikit-image


def _pair(image_true: ArrayLike, image_test: ArrayLike, data_range: float, luminance: bool):
    """Validated float64 pair, shape (rows, cols, channels), and the data range."""
    try:
        rng = float(data_range)
    except (TypeError, ValueError):
        raise ValueError(f"`data_range` must be a number > 0; got {data_range!r}") from None
    if not (math.isfinite(rng) and rng > 0):
        raise ValueError(f"`data_range` must be finite and > 0; got {data_range!r}")
    out = []
    for name, im in (("image_true", image_true), ("image_test", image_test)):
        a = np.asarray(im, dtype=np.float64)
        if a.ndim not in (2, 3):
            raise ValueError(f"`{name}` must be (rows, cols) or (rows, cols, channels); got shape {a.shape}")
        if not np.all(np.isfinite(a)):
            raise ValueError(f"`{name}` must be finite (no NaN or inf)")
        out.append(a if a.ndim == 3 else a[..., None])
    a, b = out
    if a.shape != b.shape:
        raise ValueError(
            f"`image_true` and `image_test` must have the same shape; got "
            f"{np.shape(image_true)} and {np.shape(image_test)}"
        )
    if luminance:
        if a.shape[-1] != 3:
            raise ValueError(f"`luminance=True` needs RGB images with 3 channels; got shape {np.shape(image_true)}")
        w = np.asarray(LUMA_BT601)
        a, b = (a @ w)[..., None], (b @ w)[..., None]
    return a, b, rng


def psnr(
    image_true: ArrayLike, image_test: ArrayLike, *, data_range: float = 1.0, luminance: bool = False
) -> float:
    """
    Peak signal-to-noise ratio, ``10 · log10(data_range² / MSE)`` in dB.

    Parameters
    ----------
    image_true, image_test
        Reference and test images, same shape, ``(rows, cols)`` or ``(rows, cols,
        channels)``, nominally in ``[0, data_range]``.
    data_range
        Peak-to-peak range of the signal, > 0 (1.0 for float images in [0, 1]).
    luminance
        If True, compare BT.601 luma of RGB images instead of all channels.

    Returns
    -------
    float
        PSNR in dB over all values jointly (``inf`` for identical images).

    Examples
    --------
    >>> round(psnr(np.zeros((4, 4)), np.full((4, 4), 0.1)), 6)
    20.0
    """
    a, b, rng = _pair(image_true, image_test, data_range, luminance)
    mse = float(np.mean((a - b) ** 2))
    if mse == 0.0:
        return math.inf
    return 10.0 * math.log10(rng * rng / mse)


def _gaussian_window() -> NDArray[np.float64]:
    radius = int(SSIM_TRUNCATE * SSIM_SIGMA + 0.5)
    x = np.arange(-radius, radius + 1, dtype=np.float64)
    g = np.exp(-0.5 * (x / SSIM_SIGMA) ** 2)
    return g / g.sum()


def _blur(x: NDArray[np.float64], g: NDArray[np.float64]) -> NDArray[np.float64]:
    """Separable Gaussian local mean with symmetric ('reflect') boundaries."""
    return correlate1d(correlate1d(x, g, axis=0, mode="reflect"), g, axis=1, mode="reflect")


def ssim(
    image_true: ArrayLike, image_test: ArrayLike, *, data_range: float = 1.0, luminance: bool = False
) -> float:
    """
    Mean structural similarity (Wang et al. 2004), Gaussian-weighted.

    Local means, variances and covariance use an 11×11 Gaussian window (σ = 1.5 px,
    truncated at 3.5 σ) with population (not sample) normalisation; ``C1 = (0.01 L)²``,
    ``C2 = (0.03 L)²`` with ``L = data_range``. The SSIM map is averaged after dropping a
    5-pixel border (where the window meets the reflected padding), per channel, then over
    channels — scikit-image's ``structural_similarity`` with ``gaussian_weights=True,
    sigma=1.5, use_sample_covariance=False, channel_axis=-1``.

    Parameters
    ----------
    image_true, image_test
        Reference and test images, same shape, ``(rows, cols)`` or ``(rows, cols,
        channels)``, each side >= 11 pixels.
    data_range
        Peak-to-peak range of the signal, > 0 (1.0 for float images in [0, 1]).
    luminance
        If True, compare BT.601 luma of RGB images instead of averaging over channels.

    Returns
    -------
    float
        Mean SSIM, at most 1 (1 for identical images).
    """
    a, b, rng = _pair(image_true, image_test, data_range, luminance)
    g = _gaussian_window()
    if min(a.shape[:2]) < g.size:
        raise ValueError(
            f"`image_true` must be at least {g.size}x{g.size} pixels for the SSIM window; got {a.shape[:2]}"
        )
    c1 = (SSIM_K1 * rng) ** 2
    c2 = (SSIM_K2 * rng) ** 2
    pad = g.size // 2
    values = []
    for ch in range(a.shape[-1]):
        x, y = a[..., ch], b[..., ch]
        mx, my = _blur(x, g), _blur(y, g)
        vx = _blur(x * x, g) - mx * mx
        vy = _blur(y * y, g) - my * my
        cxy = _blur(x * y, g) - mx * my
        s = ((2 * mx * my + c1) * (2 * cxy + c2)) / ((mx * mx + my * my + c1) * (vx + vy + c2))
        values.append(s[pad:-pad, pad:-pad].mean())
    return float(np.mean(values))
