"""
SR metrics — the conventions of super-resolution papers
=======================================================

Every score compares a test image (bicubic or network output) with the HR original:

- Both images are clamped to [0, 1] and rounded to 8 bits (what a saved PNG holds),
  then ``scale`` pixels are cropped from every border (the SR-paper convention: the
  border is where upscalers see padding).
- **Y-PSNR / Y-SSIM** on the luma of BT.601 YCbCr in MATLAB's ``rgb2ycbcr`` convention
  (studio swing): ``Y = 16 + 65.481 R + 128.553 G + 24.966 B`` with R, G, B in [0, 1],
  so Y ∈ [16, 235]; PSNR with peak 255, SSIM (Wang et al. 2004, 11×11 Gaussian window,
  σ = 1.5, population covariance) with ``data_range = 255``. Y is not rounded.
- **RGB-PSNR** over all three 8-bit channels jointly, peak 255, same crop.
- Identical images give PSNR = ``inf`` (no division, no warning); tables print "inf".
- **ΔE2000**: mean CIEDE2000 of colour-science's sRGB (IEC 61966-2-1) → XYZ → CIELAB
  under D65, same crop.
- **S-CIELAB** (Zhang & Wandell 1997, :func:`camsim.metrics.scielab_srgb`): the HR-size
  image is shown one image pixel per display pixel on an ideal sRGB display of
  :data:`DISPLAY_DPI` dpi viewed from :data:`VIEWING_DISTANCE_M` m (ISETCam's
  ``scParams`` defaults), i.e. :data:`SAMPLES_PER_DEGREE` ≈ 41.2 samples/degree; a 128-px
  image then subtends ≈ 3.1°. The ΔE00 map is computed on the whole image and averaged
  over the cropped interior.

References
----------
- ITU-R BT.601-7 (2011); MATLAB ``rgb2ycbcr``; scikit-image ``skimage.color.rgb2ycbcr``.
- Wang, Z., Bovik, A. C., Sheikh, H. R., Simoncelli, E. P. (2004), IEEE TIP 13(4).
- Ledig, C. et al. (2017), "Photo-Realistic Single Image Super-Resolution Using a
  Generative Adversarial Network", CVPR (evaluation on Y with a ``scale`` border).
- Sharma, G., Wu, W., Dalal, E. N. (2005), "The CIEDE2000 color-difference formula",
  Color Res. Appl. 30(1).
- Zhang, X., Wandell, B. A. (1997), "A spatial extension of CIELAB for digital
  color-image reproduction", J. Soc. Inf. Display 5(1).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields

import numpy as np
from numpy.typing import ArrayLike, NDArray

from camsim.metrics import samples_per_degree_display, scielab_srgb, ssim as _ssim

__all__ = [
    "Y_OFFSET",
    "Y_WEIGHTS",
    "DISPLAY_DPI",
    "VIEWING_DISTANCE_M",
    "SAMPLES_PER_DEGREE",
    "CONVENTION",
    "Scores",
    "to_8bit",
    "rgb_to_y",
    "crop_border",
    "psnr_8bit",
    "y_psnr",
    "y_ssim",
    "rgb_psnr",
    "delta_e2000",
    "scielab_map",
    "scores",
    "format_value",
]

Y_OFFSET: float = 16.0
Y_WEIGHTS: tuple[float, float, float] = (65.481, 128.553, 24.966)  # per unit R, G, B in [0, 1]
DISPLAY_DPI: float = 120.0
VIEWING_DISTANCE_M: float = 0.5
SAMPLES_PER_DEGREE: float = samples_per_degree_display(DISPLAY_DPI, VIEWING_DISTANCE_M)
CONVENTION: str = (
    f"Y (BT.601), crop = scale px, 8-bit; S-CIELAB at {SAMPLES_PER_DEGREE:.1f} samples/degree "
    f"({DISPLAY_DPI:g} dpi at {VIEWING_DISTANCE_M:g} m); ΔE2000 on sRGB → Lab D65"
)


def _rgb(image: ArrayLike, name: str) -> NDArray[np.float64]:
    a = np.asarray(image, dtype=np.float64)
    if a.ndim != 3 or a.shape[2] != 3:
        raise ValueError(f"`{name}` must be an RGB image of shape (rows, cols, 3); got shape {a.shape}")
    if not np.all(np.isfinite(a)):
        raise ValueError(f"`{name}` must be finite (no NaN or inf)")
    return a


def _scale(scale: int) -> int:
    if isinstance(scale, bool) or not isinstance(scale, (int, np.integer)) or not 0 <= scale <= 64:
        raise ValueError(f"`scale` (border crop) must be an integer in [0, 64] pixels; got {scale!r}")
    return int(scale)


def to_8bit(image: ArrayLike) -> NDArray[np.float64]:
    """Clamp to [0, 1] and round to the 8-bit codes 0..255 (float64, values on the 0..255 scale)."""
    a = np.asarray(image, dtype=np.float64)
    if not np.all(np.isfinite(a)):
        raise ValueError("`image` must be finite (no NaN or inf)")
    return np.round(np.clip(a, 0.0, 1.0) * 255.0)


def rgb_to_y(image_255: ArrayLike) -> NDArray[np.float64]:
    """
    BT.601 studio-swing luma of an RGB image on the 0..255 scale:
    ``16 + (65.481 R + 128.553 G + 24.966 B) / 255`` (MATLAB ``rgb2ycbcr``), unrounded.

    >>> float(rgb_to_y(np.full((1, 1, 3), 255.0))[0, 0])
    235.0
    """
    a = _rgb(image_255, "image_255")
    return Y_OFFSET + a @ (np.asarray(Y_WEIGHTS) / 255.0)


def crop_border(image: ArrayLike, border: int) -> NDArray:
    """``image`` without ``border`` pixels on each side (``border`` in [0, 64], image larger than 2·border)."""
    a = np.asarray(image)
    b = _scale(border)
    if a.ndim < 2 or min(a.shape[:2]) <= 2 * b:
        raise ValueError(f"`image` must be larger than 2 × border = {2 * b} pixels; got shape {a.shape}")
    return a[b:a.shape[0] - b, b:a.shape[1] - b] if b else a


def psnr_8bit(reference: ArrayLike, test: ArrayLike) -> float:
    """``10 log10(255² / MSE)`` in dB for arrays on the 0..255 scale; ``inf`` when identical."""
    a = np.asarray(reference, dtype=np.float64)
    b = np.asarray(test, dtype=np.float64)
    if a.shape != b.shape or a.size == 0:
        raise ValueError(f"`reference` and `test` must be non-empty and the same shape; got {a.shape}, {b.shape}")
    mse = float(np.mean((a - b) ** 2))
    return math.inf if mse == 0.0 else 10.0 * math.log10(255.0 * 255.0 / mse)


def _prepared(hr: ArrayLike, test: ArrayLike, scale: int) -> tuple[NDArray, NDArray]:
    h, t = _rgb(hr, "hr"), _rgb(test, "test")
    if h.shape != t.shape:
        raise ValueError(f"`hr` and `test` must have the same shape; got {h.shape} and {t.shape}")
    b = _scale(scale)
    return crop_border(to_8bit(h), b), crop_border(to_8bit(t), b)


def y_psnr(hr: ArrayLike, test: ArrayLike, scale: int) -> float:
    """PSNR (dB) on BT.601 Y of the 8-bit images, ``scale`` px border cropped."""
    h, t = _prepared(hr, test, scale)
    return psnr_8bit(rgb_to_y(h), rgb_to_y(t))


def y_ssim(hr: ArrayLike, test: ArrayLike, scale: int) -> float:
    """SSIM on BT.601 Y of the 8-bit images (``data_range`` 255), ``scale`` px border cropped."""
    h, t = _prepared(hr, test, scale)
    return _ssim(rgb_to_y(h), rgb_to_y(t), data_range=255.0)


def rgb_psnr(hr: ArrayLike, test: ArrayLike, scale: int) -> float:
    """PSNR (dB) over R, G, B jointly of the 8-bit images, ``scale`` px border cropped."""
    h, t = _prepared(hr, test, scale)
    return psnr_8bit(h, t)


def _lab_d65(srgb01: NDArray[np.float64]) -> NDArray[np.float64]:
    import colour
    from colour.utilities import domain_range_scale

    with domain_range_scale("reference"):
        xyz = colour.sRGB_to_XYZ(srgb01)
        d65 = colour.CCS_ILLUMINANTS["CIE 1931 2 Degree Standard Observer"]["D65"]
        return colour.XYZ_to_Lab(xyz, d65)


def delta_e2000(reference: ArrayLike, test: ArrayLike) -> NDArray[np.float64]:
    """
    Per-pixel CIEDE2000 between two sRGB-encoded images (or colour arrays ``(..., 3)``)
    in [0, 1], through colour-science's sRGB → XYZ → CIELAB (D65 white).
    """
    import colour

    a = np.asarray(reference, dtype=np.float64)
    b = np.asarray(test, dtype=np.float64)
    if a.shape != b.shape or a.ndim < 1 or a.shape[-1] != 3:
        raise ValueError(f"`reference` and `test` must be (..., 3) arrays of one shape; got {a.shape}, {b.shape}")
    for name, v in (("reference", a), ("test", b)):
        if not np.all(np.isfinite(v)) or v.min() < 0 or v.max() > 1:
            raise ValueError(f"`{name}` must hold finite sRGB values in [0, 1]")
    return np.asarray(colour.delta_E(_lab_d65(a), _lab_d65(b), method="CIE 2000"), dtype=np.float64)


def scielab_map(hr: ArrayLike, test: ArrayLike, *, samples_per_degree: float = SAMPLES_PER_DEGREE) -> NDArray[np.float64]:
    """S-CIELAB ΔE00 map (rows, cols) of the 8-bit-rounded images, at ``samples_per_degree`` (> 0)."""
    h, t = _rgb(hr, "hr"), _rgb(test, "test")
    if h.shape != t.shape:
        raise ValueError(f"`hr` and `test` must have the same shape; got {h.shape} and {t.shape}")
    return scielab_srgb(to_8bit(h) / 255.0, to_8bit(t) / 255.0, samples_per_degree=samples_per_degree).delta_e


@dataclass(frozen=True)
class Scores:
    """
    One comparison of a test image with its HR original (conventions: module docstring).

    Attributes
    ----------
    y_psnr, rgb_psnr
        dB; ``inf`` for identical images.
    y_ssim
        Mean SSIM on Y, at most 1.
    scielab
        Mean S-CIELAB ΔE00 over the cropped interior.
    delta_e2000
        Mean per-pixel CIEDE2000 over the cropped interior.
    """

    y_psnr: float
    y_ssim: float
    rgb_psnr: float
    scielab: float
    delta_e2000: float

    @classmethod
    def names(cls) -> tuple[str, ...]:
        """Field names, in table order."""
        return tuple(f.name for f in fields(cls))

    @classmethod
    def mean(cls, items: "list[Scores] | tuple[Scores, ...]") -> "Scores":
        """Field-wise mean (PSNR averaged in dB as SR papers do; one ``inf`` makes the mean ``inf``)."""
        if len(items) == 0:
            raise ValueError("`items` must hold at least one Scores")
        return cls(*(float(np.mean([getattr(s, n) for s in items])) for n in cls.names()))


def scores(hr: ArrayLike, test: ArrayLike, scale: int, *, samples_per_degree: float = SAMPLES_PER_DEGREE,
           de_map: NDArray | None = None) -> Scores:
    """All five scores of ``test`` against ``hr`` (RGB in [0, 1], same shape) with a ``scale``-px crop.

    ``de_map`` may pass a precomputed :func:`scielab_map` of the same pair."""
    h, t = _prepared(hr, test, scale)
    b = _scale(scale)
    de = scielab_map(hr, test, samples_per_degree=samples_per_degree) if de_map is None else np.asarray(de_map)
    if de.shape != np.shape(hr)[:2]:
        raise ValueError(f"`de_map` must have shape {np.shape(hr)[:2]}; got {de.shape}")
    yh, yt = rgb_to_y(h), rgb_to_y(t)
    return Scores(
        y_psnr=psnr_8bit(yh, yt),
        y_ssim=_ssim(yh, yt, data_range=255.0),
        rgb_psnr=psnr_8bit(h, t),
        scielab=float(crop_border(de, b).mean()),
        delta_e2000=float(delta_e2000(h / 255.0, t / 255.0).mean()),
    )


def format_value(value: float, digits: int = 2) -> str:
    """Table text for a number: ``"inf"`` for +∞, ``"nan"`` for NaN, else fixed-point.

    >>> format_value(float("inf")), format_value(31.4159), format_value(0.91234, 4)
    ('inf', '31.42', '0.9123')
    """
    v = float(value)
    if math.isnan(v):
        return "nan"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    return f"{v:.{int(digits)}f}"
