"""
Metrics — image-quality measures for camsim outputs
===================================================

One module per concept:

- :mod:`camsim.metrics.deltae` — CIELAB ΔE (colour-science's formulas), XYZ → CIELAB.
- :mod:`camsim.metrics.scielab` — S-CIELAB spatial colour difference (Zhang & Wandell).
- :mod:`camsim.metrics.sfr` — slanted-edge SFR/MTF (ISO 12233:2017 e-SFR) and MTF50.
- :mod:`camsim.metrics.quality` — PSNR and SSIM for float images.
- Figures of SFRs: :func:`camsim.plots.plot_sfr` (plotting stays out of the metric
  namespace; :mod:`camsim.metrics.plots` is a deprecated alias).

All functions take numpy arrays and compute in float64.

References
----------
- Zhang, X. and Wandell, B. A. (1997), *J. Soc. Inf. Display* 5(1), 61-63 (S-CIELAB).
- Johnson, G. M. and Fairchild, M. D. (2003), *Color Res. Appl.* 28(6), 425-435.
- ISO 12233:2017, *Photography — Electronic still picture imaging — Resolution and
  spatial frequency responses*.
- Burns, P. D. (2000), "Slanted-edge MTF for digital camera and scanner analysis",
  *Proc. IS&T PICS*, 135-138 (sfrmat).
- Wang, Z., Bovik, A. C., Sheikh, H. R. and Simoncelli, E. P. (2004), "Image quality
  assessment: from error visibility to structural similarity", *IEEE Trans. Image
  Process.* 13(4), 600-612.
"""

from .deltae import DELTA_E_METHODS, delta_e, delta_e_xyz, xyz_to_lab
from .quality import LUMA_BT601, psnr, ssim
from .scielab import (
    OPPONENT_FROM_XYZ,
    SCIELAB_FILTER_PARAMETERS,
    SCIELABFilters,
    SCIELABResult,
    samples_per_degree_display,
    samples_per_degree_fov,
    scielab,
    scielab_filter_xyz,
    scielab_filters,
    scielab_mean,
    scielab_srgb,
)
from .sfr import LUMINANCE_REC709, SFRResult, mtf50, sfr

__all__ = [
    "DELTA_E_METHODS",
    "delta_e",
    "delta_e_xyz",
    "xyz_to_lab",
    "OPPONENT_FROM_XYZ",
    "SCIELAB_FILTER_PARAMETERS",
    "SCIELABFilters",
    "SCIELABResult",
    "samples_per_degree_display",
    "samples_per_degree_fov",
    "scielab",
    "scielab_filter_xyz",
    "scielab_filters",
    "scielab_mean",
    "scielab_srgb",
    "LUMINANCE_REC709",
    "SFRResult",
    "mtf50",
    "sfr",
    "LUMA_BT601",
    "psnr",
    "ssim",
]
