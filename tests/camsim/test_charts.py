"""Charts: statistics and geometry that follow from their definitions."""

import numpy as np
import pytest

from camsim import charts


def _radial_power_slope(img):
    f = np.fft.fftshift(np.abs(np.fft.fft2(img - img.mean())) ** 2)
    n = img.shape[0]
    y, x = np.indices(f.shape) - n // 2
    r = np.hypot(x, y).astype(int)
    power = np.bincount(r.ravel(), f.ravel()) / np.bincount(r.ravel())
    freqs = np.arange(power.size)
    sel = (freqs >= n // 64) & (freqs <= n // 4)  # mid frequencies
    return np.polyfit(np.log(freqs[sel]), np.log(power[sel]), 1)[0]


@pytest.mark.parametrize("seed", [0, 1])
def test_dead_leaves_power_spectrum_slope(seed):
    """Natural-image statistic: radially averaged power ∝ f^-2 (slope in [-2.3, -1.7])."""
    scene = charts.dead_leaves(size=512, r_min=1.0, r_max=128.0, seed=seed)
    slope = _radial_power_slope(scene.luminance)
    print(f"dead leaves seed {seed}: power spectrum slope {slope:.3f}")
    assert -2.3 <= slope <= -1.7


def test_dead_leaves_seeded_and_colour_rank():
    a = charts.dead_leaves(size=64, seed=5).coefficients
    b = charts.dead_leaves(size=64, seed=5).coefficients
    np.testing.assert_array_equal(a, b)
    c = charts.dead_leaves(size=64, seed=5, color=True)
    assert c.rank == 3 and np.all(c.reflectance >= 0) and np.all(c.reflectance <= 1 + 1e-6)


def test_edge_coverage_exact_area():
    """Coverage of a 5° edge: row sums equal the analytic area right of the edge."""
    rows, cols, angle = 40, 30, 5.0
    cov = charts.edge_coverage(rows, cols, angle)
    t = np.tan(np.radians(angle))
    y = np.arange(rows) + 0.5  # edge x at row centre is linear in y, so row area = cols − x_edge(y_c)
    expected = cols - (cols / 2 + t * (y - rows / 2))
    np.testing.assert_allclose(cov.sum(axis=1), expected, atol=1e-12)
    assert cov.min() >= 0 and cov.max() <= 1


def test_slanted_edge_contrast():
    s = charts.slanted_edge(size=64, angle=5, contrast=0.5, mean_luminance=None)
    lum = s.luminance
    lo, hi = lum[:, :5].mean(), lum[:, -5:].mean()
    assert (hi - lo) / (hi + lo) == pytest.approx(0.5, rel=1e-6)


def test_sweep_point_grid_uniform_shapes():
    assert charts.sweep_frequency(size=64).shape == (64, 64, 31)
    p = charts.point_array(size=32, spacing=8)
    assert (p.coefficients[..., 0] == 1).sum() == 16
    g = charts.grid_lines(size=32, spacing=8)
    assert g.shape[:2] == (32, 32)
    u = charts.uniform(size=(5, 7))
    assert u.shape[:2] == (5, 7) and u.rank == 1


@pytest.mark.parametrize("fn, kw, match", [
    (charts.macbeth, {"patch_size": 0}, "patch_size"),
    (charts.slanted_edge, {"angle": 60}, "angle"),
    (charts.slanted_edge, {"contrast": 0}, "contrast"),
    (charts.dead_leaves, {"r_min": 5, "r_max": 2}, "r_max"),
    (charts.uniform, {"illuminant": "nope"}, "`illuminant`"),  # the parameter the user passed (issue 14)
    (charts.dead_leaves, {"max_disks": 0}, "max_disks"),
    (charts.edge_coverage, {"rows": 0, "cols": 4, "angle": 5.0}, "rows"),
    (charts.edge_coverage, {"rows": 4, "cols": 4.5, "angle": 5.0}, "cols"),
    (charts.edge_coverage, {"rows": 4, "cols": 4, "angle": 5.0, "offset": np.nan}, "offset"),
])
def test_chart_bad_input(fn, kw, match):
    with pytest.raises(ValueError, match=match):
        fn(**kw)
