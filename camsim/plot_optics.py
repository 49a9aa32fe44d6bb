"""
Plot optics — PSF and MTF of the diffraction-limited lens against f-number
==========================================================================

One figure for the documentation: the point-spread-function cross-section and the
MTF of :class:`camsim.Optics` at a few f-numbers. Uses the object-oriented Matplotlib
API (:class:`matplotlib.figure.Figure`, no ``pyplot`` state), so it works with the Agg
backend, in threads, and without a display.

References
----------
- [Goodman2017] Goodman, J. W. *Introduction to Fourier Optics*, 4th ed. (2017), §7.3.
- ISETCam ``oiPlot`` ('psf 550', 'mtf'), ``airyDisk``.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

import numpy as np
from matplotlib.figure import Figure

from ._io import atomic_path
from .optics import Optics

__all__ = ["plot_psf_mtf"]


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
