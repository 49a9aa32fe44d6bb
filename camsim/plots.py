"""
Plots — every camsim figure helper
==================================

Matplotlib figures of camsim results: the diffraction-limited PSF and MTF against
f-number (:func:`plot_psf_mtf`), slanted-edge SFR curves (:func:`plot_sfr`) and the
photon-transfer curve of a sensor (:func:`plot_photon_transfer`).

Every helper builds a :class:`matplotlib.figure.Figure` with the object-oriented API
(``fig = Figure(...)``, ``ax = fig.add_subplot()``, then ``ax.plot(...)``) and returns
it: no ``pyplot`` state (no current figure, no figure registry to close), no backend is
chosen, so the helpers work with Agg, in threads and without a display. A notebook
shows a returned figure; ``fig.savefig(path)`` writes it.

References
----------
- [Goodman2017] Goodman, J. W. *Introduction to Fourier Optics*, 4th ed. (2017), §7.3.
- ISO 12233:2017 (SFR presentation: modulation vs cycles/pixel, Nyquist marked).
- EMVA Standard 1288, Release 4.0 (2021), §6 (photon transfer).
- ISETCam ``oiPlot`` ('psf 550', 'mtf'), ``airyDisk``.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from . import _validate as _check
from ._io import atomic_path
from .metrics.sfr import SFRResult
from .optics import Optics

__all__ = ["plot_photon_transfer", "plot_psf_mtf", "plot_sfr"]


# --------------------------------------------------------------------------- optics


def plot_psf_mtf(fnumbers: Sequence[float] = (2.8, 4, 8, 22), wave: float = 550.0, *,
                 path: str | os.PathLike | None = None, dpi: int = 150) -> Figure:
    """
    PSF cross-sections and MTFs of diffraction-limited lenses at several f-numbers.

    Parameters
    ----------
    fnumbers
        f-numbers to compare (dimensionless, each > 0).
    wave
        Wavelength in nm.
    path
        If given, also save the figure there (format from the extension, e.g. ``.png``
        or ``.svg``). The file is written to a temporary file in the same folder and
        moved into place with :func:`os.replace`, so readers never see a partial file.
    dpi
        Resolution for raster formats, dots per inch.

    Returns
    -------
    matplotlib.figure.Figure
        Two panels: left, the PSF through its centre, each normalised to its peak,
        against focal-plane position in µm (dotted lines at the Airy radius
        1.22·λ·N); right, the MTF against spatial frequency in cycles/mm, up to the
        cut-off of the smallest f-number.
    """
    ns = [float(n) for n in fnumbers]
    if not ns:
        raise ValueError("`fnumbers` must hold at least one f-number > 0")
    optics = [Optics(fnumber=n) for n in ns]  # validates each f-number
    w = float(wave)
    if not (np.isfinite(w) and w > 0):
        raise ValueError(f"`wave` must be a finite wavelength > 0 nm; got {wave!r}")

    fig = Figure(figsize=(10.0, 4.0), layout="constrained")
    ax_psf, ax_mtf = fig.subplots(1, 2)
    half_width = 2.5 * max(float(o.airy_radius(w)) for o in optics)  # m, common x range
    f_max = max(float(o.cutoff_frequency(w)) for o in optics)  # cycles/mm
    freq = np.linspace(0.0, f_max, 400)
    for o in optics:
        r_airy = float(o.airy_radius(w))
        spacing = r_airy / 24.0  # 24 samples to the first dark ring
        size = 2 * int(np.ceil(half_width / spacing)) + 1
        psf = o.psf(w, spacing, size)[:, :, 0]
        c = size // 2
        row = psf[c] / psf[c, c]
        x_um = (np.arange(size) - c) * spacing * 1e6
        (line,) = ax_psf.plot(x_um, row, label=f"f/{o.fnumber:g}")
        ax_psf.axvline(r_airy * 1e6, color=line.get_color(), linestyle=":", linewidth=0.8)
        ax_mtf.plot(freq, o.mtf(freq, w)[:, 0], color=line.get_color(), label=f"f/{o.fnumber:g}")
    ax_psf.set(xlim=(-half_width * 1e6, half_width * 1e6), ylim=(0, 1.05),
               xlabel="position on the focal plane (µm)", ylabel="PSF / peak",
               title=f"PSF cross-section at {w:g} nm")
    ax_mtf.set(xlim=(0, f_max), ylim=(0, 1.02), xlabel="spatial frequency (cycles/mm)", ylabel="MTF",
               title=f"Diffraction-limited MTF at {w:g} nm")
    for ax in (ax_psf, ax_mtf):
        ax.grid(True, alpha=0.3)
        ax.legend()

    if path is not None:
        _save_atomic(fig, os.fspath(path), dpi)
    return fig


def _save_atomic(fig: Figure, path: str, dpi: int) -> None:
    """Write ``fig`` to a temporary file beside ``path``, then rename it over ``path``."""
    ext = os.path.splitext(path)[1]
    with atomic_path(path) as tmp:
        fig.savefig(tmp, format=ext[1:].lower() if ext else "png", dpi=dpi)


# --------------------------------------------------------------------------- metrics


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


# --------------------------------------------------------------------------- sensor

# What plot_photon_transfer reads of a camsim.ptc.PhotonTransfer (checked by attribute, so that
# camsim.ptc can keep a deprecated alias of this function without an import cycle).
_PTC_ATTRIBUTES = ("signal", "noise_variance", "channels", "units", "gain", "saturation_index")


def plot_photon_transfer(ptc, *, ax: Axes | None = None) -> Figure:
    """
    Log–log photon-transfer plot: temporal variance against signal, with the fitted gain.

    The y axis starts a little below the smallest variance before saturation, so the
    points past saturation (variance collapsing to the read noise or to zero) may
    leave the plot at the bottom.

    Parameters
    ----------
    ptc
        A :class:`camsim.ptc.PhotonTransfer`, from :func:`camsim.ptc.photon_transfer`.
    ax
        A matplotlib Axes to draw into; None makes a new figure.

    Returns
    -------
    matplotlib.figure.Figure
        The figure of ``ax`` (or the new one): signal ``μ_y − μ_y.dark`` against
        variance ``σ²_y − σ²_y.dark`` per channel, in the ptc's units (DN or V).
    """
    if not all(hasattr(ptc, a) for a in _PTC_ATTRIBUTES):
        raise _check.ArgumentTypeError(f"`ptc` must be a camsim.ptc.PhotonTransfer; got {type(ptc).__name__}")
    if ax is None:
        fig = Figure(figsize=(5.5, 4.0), layout="constrained")
        ax = fig.add_subplot()
    else:
        fig = _check.instance("ax", ax, Axes, "matplotlib Axes").figure
    colours = {"r": "tab:red", "g": "tab:green", "b": "tab:blue", "mono": "k"}
    gains = ptc.gain()
    sat = ptc.saturation_index()
    floor = np.inf  # lowest variance below saturation: the fully clipped points may fall far below
    for c, name in enumerate(ptc.channels):
        y = ptc.noise_variance[: sat[c] + 1, c]
        if np.any(y > 0):
            floor = min(floor, float(y[y > 0].min()))
        x, y = ptc.signal[:, c], ptc.noise_variance[:, c]
        ok = (x > 0) & (y > 0)
        ax.loglog(x[ok], y[ok], "o", ms=3.5, color=colours.get(name, None), label=f"{name}")
        xs = np.geomspace(x[ok].min(), x[ok].max(), 50) if ok.any() else np.array([])
        ax.loglog(xs, gains[c] * xs, "-", lw=0.8, color=colours.get(name, None),
                  label=f"K = {gains[c]:.4g} {ptc.units}/e⁻")
    if np.isfinite(floor):
        ax.set_ylim(bottom=floor / 3)
    u = ptc.units
    ax.set_xlabel(f"signal μ_y − μ_y.dark ({u})")
    ax.set_ylabel(f"temporal variance σ²_y − σ²_y.dark ({u}²)")
    ax.set_title("Photon transfer")
    ax.legend(fontsize=8)
    ax.grid(True, which="both", lw=0.3, alpha=0.5)
    return fig
