"""Tests for camsim.metrics.quality (PSNR, SSIM) against scikit-image, an independent program.

skimage settings reproduced: ``peak_signal_noise_ratio(t, x, data_range=R)`` and
``structural_similarity(t, x, gaussian_weights=True, sigma=1.5,
use_sample_covariance=False, data_range=R[, channel_axis=-1])``.
"""

import math

import numpy as np
import pytest
from skimage.metrics import peak_signal_noise_ratio, structural_similarity

from camsim.metrics.quality import LUMA_BT601, psnr, ssim

TOL = 1e-6
RNG = np.random.default_rng(12233)


def pair(shape, noise=0.05, scale=1.0):
    a = RNG.random(shape)
    b = np.clip(a + RNG.normal(0.0, noise, shape), 0.0, 1.0)
    return a * scale, b * scale


def sk_ssim(a, b, data_range, channel_axis=None):
    return structural_similarity(
        a,
        b,
        gaussian_weights=True,
        sigma=1.5,
        use_sample_covariance=False,
        data_range=data_range,
        channel_axis=channel_axis,
    )


CASES = [((64, 64), 1.0), ((48, 72, 3), 1.0), ((33, 40, 3), 255.0), ((11, 11), 1.0), ((40, 50, 2), 1.0)]


@pytest.mark.parametrize("shape, data_range", CASES)
def test_psnr_matches_skimage(shape, data_range):
    a, b = pair(shape, scale=data_range)
    expected = peak_signal_noise_ratio(a, b, data_range=data_range)
    assert psnr(a, b, data_range=data_range) == pytest.approx(expected, abs=TOL)


@pytest.mark.parametrize("shape, data_range", CASES)
def test_ssim_matches_skimage(shape, data_range):
    a, b = pair(shape, scale=data_range)
    expected = sk_ssim(a, b, data_range, channel_axis=-1 if len(shape) == 3 else None)
    assert ssim(a, b, data_range=data_range) == pytest.approx(expected, abs=TOL)


@pytest.mark.parametrize("noise", [0.0, 0.01, 0.3])
def test_ssim_matches_skimage_over_noise_levels(noise):
    a, b = pair((40, 40, 3), noise=noise)
    assert ssim(a, b) == pytest.approx(sk_ssim(a, b, 1.0, channel_axis=-1), abs=TOL)


def test_float32_inputs_are_computed_in_float64():
    a, b = pair((32, 32, 3))
    a32, b32 = a.astype(np.float32), b.astype(np.float32)
    ref = sk_ssim(a32.astype(np.float64), b32.astype(np.float64), 1.0, channel_axis=-1)
    assert ssim(a32, b32) == pytest.approx(ref, abs=1e-12)


def test_luminance_option_uses_bt601_luma():
    a, b = pair((40, 44, 3))
    w = np.asarray(LUMA_BT601)
    ya, yb = a @ w, b @ w
    assert psnr(a, b, luminance=True) == pytest.approx(peak_signal_noise_ratio(ya, yb, data_range=1.0), abs=TOL)
    assert ssim(a, b, luminance=True) == pytest.approx(sk_ssim(ya, yb, 1.0), abs=TOL)


def test_identical_images():
    a, _ = pair((20, 20, 3))
    assert psnr(a, a) == math.inf
    assert ssim(a, a) == pytest.approx(1.0, abs=1e-12)


def test_psnr_known_value():
    """MSE 0.01 at range 1 → 20 dB exactly; at range 2 → 20 + 20·log10(2) dB."""
    a, b = np.zeros((8, 8, 3)), np.full((8, 8, 3), 0.1)
    assert psnr(a, b) == pytest.approx(20.0, abs=1e-12)
    assert psnr(a, b, data_range=2.0) == pytest.approx(20.0 + 20.0 * math.log10(2.0), abs=1e-12)


GOOD = np.zeros((16, 16, 3))


@pytest.mark.parametrize("fn", [psnr, ssim])
@pytest.mark.parametrize(
    "a, b, kwargs, match",
    [
        (GOOD, GOOD[:-1], {}, "same shape"),
        (GOOD, GOOD, {"data_range": 0.0}, "data_range"),
        (GOOD, GOOD, {"data_range": -1.0}, "data_range"),
        (GOOD, GOOD, {"data_range": float("nan")}, "data_range"),
        (np.full((16, 16, 3), np.nan), GOOD, {}, "image_true.*finite"),
        (GOOD, np.full((16, 16, 3), np.inf), {}, "image_test.*finite"),
        (np.zeros(16), np.zeros(16), {}, "image_true"),
        (np.zeros((16, 16, 2)), np.zeros((16, 16, 2)), {"luminance": True}, "luminance"),
    ],
)
def test_raise_exception(fn, a, b, kwargs, match):
    with pytest.raises(ValueError, match=match):
        fn(a, b, **kwargs)


def test_raise_exception_ssim_too_small():
    with pytest.raises(ValueError, match="11x11"):
        ssim(np.zeros((10, 30)), np.zeros((10, 30)))
