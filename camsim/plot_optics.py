"""
Plot optics — deprecated: the figure helpers live in :mod:`camsim.plots`
========================================================================

:func:`plot_psf_mtf` here is a deprecated alias of :func:`camsim.plots.plot_psf_mtf`.
"""

from __future__ import annotations

import warnings

from . import plots

__all__ = ["plot_psf_mtf"]


def plot_psf_mtf(*args, **kwargs):
    """Deprecated: use :func:`camsim.plots.plot_psf_mtf` (same arguments and figure)."""
    warnings.warn("camsim.plot_optics.plot_psf_mtf is deprecated; use camsim.plots.plot_psf_mtf",
                  DeprecationWarning, stacklevel=2)
    return plots.plot_psf_mtf(*args, **kwargs)
