"""
Metric plots — SFR curves
=========================

A matplotlib figure of one or more slanted-edge SFRs (:func:`camsim.metrics.sfr`),
built with the object-oriented API (``matplotlib.figure.Figure``), so no pyplot state
or GUI backend is touched.

References
----------
- ISO 12233:2017 (SFR presentation: modulation vs cycles/pixel, Nyquist marked).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from matplotlib.figure import Figure

from .sfr import SFRResult

__all__ = ["plot_sfr"]


def plot_sfr(
    results: SFRResult | Sequence[SFRResult],
    *,
    labels: Sequence[str] | None = None,
    reference: Callable[[np.ndarray], np.ndarray] | None = None,
    reference_label: str = "expected",
    title: str = "Slanted-edge SFR",
) -> Figure:
    """
    Plot SFR curves against cycles/pixel with Nyquist and MTF50 marked.

    Parameters
    ----------
    results
        One :class:`~camsim.metrics.sfr.SFRResult` or several.
    labels
        One legend label per result; default ``"MTF50 = … cy/px"``.
    reference
        Optional function of frequency (cycles/pixel) → expected MTF, drawn dashed.
    reference_label
        Legend label for ``reference``.
    title
        Axes title.

    Returns
    -------
    matplotlib.figure.Figure
        One axes: x in cycles/pixel (0 to 1), y modulation. Save with ``fig.savefig``.
    """
    items = [results] if isinstance(results, SFRResult) else list(results)
    if not items or not all(isinstance(r, SFRResult) for r in items):
        raise ValueError("`results` must be an SFRResult or a non-empty sequence of them")
    if labels is not None and len(labels) != len(items):
        raise ValueError(f"`labels` must have one entry per result ({len(items)}); got {len(labels)}")
    fig = Figure(figsize=(6.0, 4.0), layout="constrained")
    ax = fig.add_subplot()
    for i, r in enumerate(items):
        label = labels[i] if labels is not None else f"MTF50 = {r.mtf50:.3f} cy/px"
        (line,) = ax.plot(r.frequency, r.mtf, label=label)
        if np.isfinite(r.mtf50):
            ax.plot([r.mtf50], [0.5], "o", color=line.get_color(), ms=4)
    if reference is not None:
        f = np.linspace(0.0, max(float(r.frequency[-1]) for r in items), 256)
        ax.plot(f, reference(f), "k--", lw=1, label=reference_label)
    ax.axvline(0.5, color="0.5", lw=0.8, ls=":", label="Nyquist")
    ax.axhline(0.5, color="0.8", lw=0.8)
    ax.set_xlim(0.0, 1.0)
    ax.set_ylim(0.0, 1.05)
    ax.set_xlabel("spatial frequency (cycles/pixel)")
    ax.set_ylabel("SFR (modulation)")
    ax.set_title(title)
    ax.legend(loc="upper right")
    return fig
