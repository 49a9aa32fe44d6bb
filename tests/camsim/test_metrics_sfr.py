"""Tests for camsim.metrics.sfr (ISO 12233 slanted-edge SFR); its figure is tested in test_plots.py.

Reference: a slanted edge blurred by a Gaussian of known σ and sampled by square pixels
with 100 % fill factor, rendered here by exact area integration. Each pixel value is the
integral over the pixel square of Φ(d/σ), d the signed distance to the edge, done in
closed form: for t = αx + βy + γ, ∬Φ(t) dx dy = [Ψ₂(t)] / (αβ) over the four corners, with
Ψ₂(t) = ((t² + 1) Φ(t) + t φ(t)) / 2 (the second antiderivative of Φ); it is checked
against 16×16 sub-pixel sampling. The expected SFR along the edge normal is the Gaussian
MTF times the pixel aperture's MTF in that direction,
exp(−2π²σ²f²) · sinc(f cos θ) · sinc(f sin θ), f in cycles/pixel (at 5° it differs from
exp(−2π²σ²f²)·sinc(f) by < 0.002).
"""

import math

import numpy as np
import pytest
from scipy.optimize import brentq
from scipy.special import ndtr

from camsim.metrics.sfr import SFRResult, mtf50, sfr

TOL_SFR = 0.02  # absolute, 0 to 0.5 cycles/pixel
TOL_MTF50 = 0.02  # relative
LO, HI = 0.2, 0.8  # edge levels


def _psi2(t):
    return 0.5 * (t * t + 1.0) * ndtr(t) + 0.5 * t * np.exp(-0.5 * t * t) / math.sqrt(2.0 * math.pi)


def render_edge(rows, cols, angle_deg, sigma):
    """Area-integrated image of a Gaussian-blurred step through the ROI centre.

    The edge makes ``angle_deg`` (≠ 0) with the column axis; brighter to the right.
    """
    th = math.radians(angle_deg)
    x0, y0 = (cols - 1) / 2.0, (rows - 1) / 2.0
    # d = (x - x0) cos θ - (y - y0) sin θ;  t = d / σ = α x + β y + γ
    alpha, beta = math.cos(th) / sigma, -math.sin(th) / sigma
    gamma = (-x0 * math.cos(th) + y0 * math.sin(th)) / sigma
    x, y = np.meshgrid(np.arange(cols, dtype=float), np.arange(rows, dtype=float))
    total = np.zeros_like(x)
    for sx, dx in ((1, 0.5), (-1, -0.5)):
        for sy, dy in ((1, 0.5), (-1, -0.5)):
            total += sx * sy * _psi2(alpha * (x + dx) + beta * (y + dy) + gamma)
    return LO + (HI - LO) * total / (alpha * beta)


def render_edge_sampled(rows, cols, angle_deg, sigma, n=16):
    """Same image by n×n sub-pixel sampling of Φ (independent check of the closed form)."""
    th = math.radians(angle_deg)
    x0, y0 = (cols - 1) / 2.0, (rows - 1) / 2.0
    x, y = np.meshgrid(np.arange(cols, dtype=float), np.arange(rows, dtype=float))
    u = (np.arange(n) + 0.5) / n - 0.5
    acc = np.zeros_like(x)
    for a in u:
        for b in u:
            acc += ndtr(((x + a - x0) * math.cos(th) - (y + b - y0) * math.sin(th)) / sigma)
    return LO + (HI - LO) * acc / (n * n)


def expected_sfr(f, sigma, angle_deg):
    th = math.radians(angle_deg)
    return np.exp(-2.0 * np.pi**2 * sigma**2 * f**2) * np.sinc(f * math.cos(th)) * np.sinc(f * math.sin(th))


def expected_mtf50(sigma, angle_deg):
    return brentq(lambda f: expected_sfr(f, sigma, angle_deg) - 0.5, 1e-3, 0.5)


ROWS, COLS = 64, 96


def test_renderer_closed_form_matches_subsampling():
    a = render_edge(ROWS, COLS, 5.0, 1.0)
    b = render_edge_sampled(ROWS, COLS, 5.0, 1.0)
    np.testing.assert_allclose(a, b, rtol=0, atol=1e-4)


@pytest.mark.parametrize("sigma", [1.0, 1.5])
def test_sfr_matches_gaussian_times_pixel_aperture(sigma):
    res = sfr(render_edge(ROWS, COLS, 5.0, sigma))
    assert res.angle_deg == pytest.approx(5.0, abs=0.01)
    assert res.orientation == "vertical"
    sel = res.frequency <= 0.5
    err = res.mtf[sel] - expected_sfr(res.frequency[sel], sigma, 5.0)
    assert np.abs(err).max() < TOL_SFR  # measured: 0.0040 (σ=1), 0.0034 (σ=1.5)
    assert res.mtf50 == pytest.approx(expected_mtf50(sigma, 5.0), rel=TOL_MTF50)  # measured: -0.37 %, +0.07 %


@pytest.mark.parametrize("angle", [3.0, 8.0, -5.0])
def test_sfr_other_angles(angle):
    res = sfr(render_edge(ROWS, COLS, angle, 1.0))
    assert res.angle_deg == pytest.approx(angle, abs=0.01)
    sel = res.frequency <= 0.5
    assert np.abs(res.mtf[sel] - expected_sfr(res.frequency[sel], 1.0, angle)).max() < TOL_SFR
    assert res.mtf50 == pytest.approx(expected_mtf50(1.0, angle), rel=TOL_MTF50)


def test_polarity_transpose_and_rgb_do_not_change_the_sfr():
    img = render_edge(ROWS, COLS, 5.0, 1.0)
    base = sfr(img)
    flipped = sfr(1.0 - img)  # dark-to-bright becomes bright-to-dark
    np.testing.assert_allclose(flipped.mtf, base.mtf, atol=1e-12)
    assert flipped.esf[0] > flipped.esf[-1]  # ESF keeps the input's polarity
    horiz = sfr(img.T)  # near-horizontal edge
    assert horiz.orientation == "horizontal"
    assert horiz.angle_deg == pytest.approx(base.angle_deg, abs=1e-9)
    np.testing.assert_allclose(horiz.mtf, base.mtf, atol=1e-12)
    rgb = sfr(np.stack([img, img, img], axis=-1))
    np.testing.assert_allclose(rgb.mtf, base.mtf, atol=1e-12)


def test_result_fields_and_units():
    res = sfr(render_edge(ROWS, COLS, 5.0, 1.0), pixel_pitch_m=2e-6)
    assert isinstance(res, SFRResult)
    assert res.frequency[0] == 0.0 and res.mtf[0] == pytest.approx(1.0)
    assert res.frequency[-1] <= 1.0 + 1e-12
    assert res.frequency.shape == res.mtf.shape
    np.testing.assert_allclose(res.frequency_cy_mm, res.frequency / 2e-3)
    assert res.mtf50_cy_mm == pytest.approx(res.mtf50 / 2e-3)
    # an integer number of phase cycles: rows_used · tan θ is within tan θ / 2 of floor(rows · tan θ)
    b = abs(res.edge_slope)
    assert abs(res.rows_used * b - math.floor(ROWS * b)) <= 0.5 * b + 1e-12
    # the ESF runs from LO to HI
    assert res.esf[0] == pytest.approx(LO, abs=1e-3) and res.esf[-1] == pytest.approx(HI, abs=1e-3)
    with pytest.raises(ValueError, match="pixel_pitch_m"):
        _ = sfr(render_edge(ROWS, COLS, 5.0, 1.0)).frequency_cy_mm


def test_noisy_edge_still_close():
    rng = np.random.default_rng(3)
    img = render_edge(ROWS, COLS, 5.0, 1.0) + rng.normal(0.0, 0.005, (ROWS, COLS))
    assert sfr(img).mtf50 == pytest.approx(expected_mtf50(1.0, 5.0), rel=0.05)


def test_mtf50_interpolates():
    assert mtf50([0.0, 0.1, 0.2], [1.0, 0.6, 0.4]) == pytest.approx(0.15)
    assert math.isnan(mtf50([0.0, 0.1], [1.0, 0.9]))
    with pytest.raises(ValueError, match="frequency"):
        mtf50([0.0, 0.1], [1.0])
    with pytest.raises(ValueError, match="level"):
        mtf50([0.0, 0.1], [1.0, 0.2], level=1.5)


@pytest.mark.parametrize(
    "roi, kwargs, match",
    [
        (np.full((64, 64), 0.5), {}, "no usable edge"),  # flat
        (np.random.default_rng(1).random((64, 64)), {}, "no usable edge"),  # noise only
        (render_edge(ROWS, COLS, 5.0, 1.0) + np.random.default_rng(2).normal(0, 0.1, (ROWS, COLS)), {}, "too noisy"),
        (render_edge_sampled(ROWS, COLS, 0.0, 1.0, n=4), {}, "tilted only"),  # exactly vertical
        (render_edge(ROWS, COLS, 5.0, 1.0)[:, 44:], {}, "leaves the region"),  # edge at the border
        (np.full((6, 64), 0.5), {}, "at least 8x8"),
        (np.full((64, 64, 4), 0.5), {}, "roi"),
        (np.full((64, 64), np.nan), {}, "finite"),
        (render_edge(ROWS, COLS, 5.0, 1.0), {"oversample": 2}, "oversample"),
        (render_edge(ROWS, COLS, 5.0, 1.0), {"pixel_pitch_m": 0.0}, "pixel_pitch_m"),
        (render_edge(ROWS, COLS, 5.0, 1.0), {"min_contrast": 1.5}, "min_contrast"),
        (render_edge(ROWS, COLS, 5.0, 1.0), {"min_snr": -1.0}, "min_snr"),
        (np.stack([render_edge(ROWS, COLS, 5.0, 1.0)] * 3, -1), {"weights": (1.0, 2.0)}, "weights"),
    ],
)
def test_raise_exception_sfr(roi, kwargs, match):
    with pytest.raises(ValueError, match=match):
        sfr(roi, **kwargs)
