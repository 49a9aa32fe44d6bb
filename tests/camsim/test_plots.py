"""Tests for camsim.plots: every figure helper returns a Figure built without pyplot state; old homes deprecated."""

import math
import os
from pathlib import Path

import numpy as np
import pytest
from matplotlib.axes import Axes
from matplotlib.figure import Figure

import camsim.plots
from camsim import Noise, Sensor
from camsim.metrics.sfr import sfr
from camsim.optical_image import OpticalImage
from camsim.plots import plot_photon_transfer, plot_psf_mtf, plot_sfr
from camsim.ptc import photon_transfer

from test_metrics_sfr import COLS, ROWS, expected_sfr, render_edge


def _goodman_mtf(f, cutoff):
    """Goodman (2017) eq. 7-35: H(s) = (2/π)[acos s − s√(1 − s²)], s = ν/ν_c."""
    s = np.clip(np.asarray(f) / cutoff, 0.0, 1.0)
    return (2 / np.pi) * (np.arccos(s) - s * np.sqrt(1 - s**2))


def _photon_transfer():
    s = Sensor(cfa=None, size=(32, 32), wave=[550.0], qe=[0.5], bit_depth=12, read_noise=3.0, noise=Noise())
    oi = OpticalImage(np.full((32, 32, 1), 1e17, np.float32), [550.0], s.pixel_pitch)
    t_sat = s.full_well / float(s.electron_rate(oi).max())
    return photon_transfer(s, oi, t_sat * np.geomspace(1e-2, 1.1, 8), seed=0)


def test_plot_psf_mtf_saves_atomically(tmp_path):
    out = tmp_path / "psf_mtf.png"
    fig = plot_psf_mtf(fnumbers=(4, 22), path=out)
    assert isinstance(fig, Figure) and len(fig.axes) == 2
    assert out.stat().st_size > 1000
    assert os.listdir(tmp_path) == ["psf_mtf.png"]  # no temporary file left behind
    with pytest.raises(ValueError, match="fnumber"):
        plot_psf_mtf(fnumbers=(4, -1))


def test_plot_psf_mtf_draws_the_diffraction_limited_curves():
    wave = 550.0
    fig = plot_psf_mtf(fnumbers=(4, 8), wave=wave)
    ax_psf, ax_mtf = fig.axes
    for line, n in zip(ax_mtf.get_lines(), (4, 8)):
        cutoff = 1.0 / (wave * 1e-6 * n)  # cycles/mm
        f, m = line.get_data()
        np.testing.assert_allclose(m, _goodman_mtf(f, cutoff), atol=1e-6)
    # each PSF cross-section peaks at 1 in the centre; its dotted line sits at the Airy radius 1.22·λ·N
    psf_lines = [ln for ln in ax_psf.get_lines() if ln.get_linestyle() == "-"]
    airy = sorted(ln.get_xdata()[0] for ln in ax_psf.get_lines() if ln.get_linestyle() == ":")
    assert [max(ln.get_ydata()) for ln in psf_lines] == pytest.approx([1.0, 1.0])
    assert airy == pytest.approx([1.22 * wave * 1e-3 * 4, 1.22 * wave * 1e-3 * 8], rel=1e-3)  # µm


def test_plot_sfr_returns_figure():
    sigma = 1.0
    results = [sfr(render_edge(ROWS, COLS, 5.0, s)) for s in (1.0, 1.5)]
    fig = plot_sfr(results, labels=["σ=1", "σ=1.5"], reference=lambda f: expected_sfr(f, sigma, 5.0))
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    assert ax.get_xlabel().startswith("spatial frequency")
    assert len(ax.get_lines()) >= 4
    assert isinstance(plot_sfr(results[0]), Figure)
    with pytest.raises(ValueError, match="labels"):
        plot_sfr(results, labels=["one"])
    with pytest.raises(ValueError, match="results"):
        plot_sfr([])


def test_plot_photon_transfer_draws_the_gain_line():
    ptc = _photon_transfer()
    fig = plot_photon_transfer(ptc)
    ax = fig.axes[0]
    assert ax.get_xscale() == "log" and ax.get_yscale() == "log"
    points, fit = ax.get_lines()[:2]
    x, y = fit.get_data()
    np.testing.assert_allclose(y / x, ptc.gain()[0], rtol=1e-12)  # the line σ² = K·μ
    assert len(points.get_xdata()) > 0
    # drawing into a given Axes returns its figure
    own = Figure()
    target = own.add_subplot()
    assert plot_photon_transfer(ptc, ax=target) is own and len(target.get_lines()) == 2
    with pytest.raises(TypeError, match="ptc"):
        plot_photon_transfer(np.ones(3))
    with pytest.raises(TypeError, match="ax"):
        plot_photon_transfer(ptc, ax="axes")


def test_helpers_leave_no_pyplot_state():
    import matplotlib
    import matplotlib.pyplot as plt

    backend = matplotlib.get_backend()
    before = plt.get_fignums()
    plot_psf_mtf(fnumbers=(4,))
    plot_photon_transfer(_photon_transfer())
    assert plt.get_fignums() == before and matplotlib.get_backend() == backend
    source = Path(camsim.plots.__file__).read_text(encoding="utf-8")
    assert "pyplot" not in source.replace("``pyplot``", "") and "matplotlib.use" not in source
    assert isinstance(Figure().add_subplot(), Axes)


def test_old_homes_are_deprecated_aliases():
    import camsim.metrics.plots
    import camsim.plot_optics
    import camsim.ptc

    with pytest.warns(DeprecationWarning, match="camsim.plots.plot_psf_mtf"):
        assert isinstance(camsim.plot_optics.plot_psf_mtf(fnumbers=(4,)), Figure)
    results = sfr(render_edge(ROWS, COLS, 5.0, 1.0))
    with pytest.warns(DeprecationWarning, match="camsim.plots.plot_sfr"):
        assert isinstance(camsim.metrics.plots.plot_sfr(results), Figure)
    with pytest.warns(DeprecationWarning, match="camsim.plots.plot_photon_transfer"):
        assert isinstance(camsim.ptc.plot_photon_transfer(_photon_transfer()), Figure)
    assert "plot_photon_transfer" not in camsim.ptc.__all__
    assert math.isfinite(results.mtf50)
