"""
Metric plots — deprecated: the figure helpers live in :mod:`camsim.plots`
=========================================================================

:func:`plot_sfr` here is a deprecated alias of :func:`camsim.plots.plot_sfr`.
"""

from __future__ import annotations

import warnings

from .. import plots

__all__ = ["plot_sfr"]


def plot_sfr(*args, **kwargs):
    """Deprecated: use :func:`camsim.plots.plot_sfr` (same arguments and figure)."""
    warnings.warn("camsim.metrics.plots.plot_sfr is deprecated; use camsim.plots.plot_sfr",
                  DeprecationWarning, stacklevel=2)
    return plots.plot_sfr(*args, **kwargs)
