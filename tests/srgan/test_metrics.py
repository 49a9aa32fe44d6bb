"""srgan.metrics against independent implementations (scikit-image) and analytic facts."""

import math
import warnings

import numpy as np
import pytest
from skimage.color import deltaE_ciede2000, rgb2lab, rgb2ycbcr
from skimage.metrics import peak_signal_noise_ratio, structural_similarity

from srgan import metrics


def _pair(seed=0, n=48):
    rng = np.random.default_rng(seed)
    hr = rng.random((n, n, 3))
    test = np.clip(hr + rng.normal(0, 0.05, hr.shape), -0.1, 1.1)  # overshoot: must be clamped
    return hr, test


def _reference_y(img, scale):
    q = np.round(np.clip(img, 0, 1) * 255) / 255  # 8-bit, back to [0, 1] for skimage
    y = rgb2ycbcr(q)[..., 0]
    return y[scale:-scale, scale:-scale]


def test_y_matches_skimage_rgb2ycbcr():
    hr, _ = _pair()
    q = metrics.to_8bit(hr)
    np.testing.assert_allclose(metrics.rgb_to_y(q), rgb2ycbcr(q / 255)[..., 0], atol=1e-10)


@pytest.mark.parametrize("scale", [2, 4])
def test_y_psnr_ssim_match_skimage(scale):
    hr, test = _pair(scale)
    yh, yt = _reference_y(hr, scale), _reference_y(test, scale)
    ref_psnr = peak_signal_noise_ratio(yh, yt, data_range=255)
    ref_ssim = structural_similarity(yh, yt, gaussian_weights=True, sigma=1.5,
                                     use_sample_covariance=False, data_range=255)
    assert abs(metrics.y_psnr(hr, test, scale) - ref_psnr) < 1e-6
    assert abs(metrics.y_ssim(hr, test, scale) - ref_ssim) < 1e-4


def test_rgb_psnr_matches_skimage():
    hr, test = _pair(3)
    h = np.round(np.clip(hr, 0, 1) * 255)[4:-4, 4:-4]
    t = np.round(np.clip(test, 0, 1) * 255)[4:-4, 4:-4]
    assert abs(metrics.rgb_psnr(hr, test, 4) - peak_signal_noise_ratio(h, t, data_range=255)) < 1e-6


def test_identical_images_give_inf_without_warning():
    hr, _ = _pair()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s = metrics.scores(hr, hr, 4)
    assert s.y_psnr == math.inf and s.rgb_psnr == math.inf
    assert s.y_ssim == pytest.approx(1.0) and s.scielab == 0 and s.delta_e2000 == 0
    assert metrics.format_value(s.y_psnr) == "inf"
    assert metrics.format_value(metrics.Scores.mean([s, s]).y_psnr) == "inf"


def test_delta_e2000_matches_skimage():
    hr, test = _pair(5, 16)
    test = np.clip(test, 0, 1)
    ref = deltaE_ciede2000(rgb2lab(hr), rgb2lab(test))  # skimage: sRGB, D65, 2°
    # skimage rounds the sRGB matrix and D65 white to 4-6 digits, colour-science does not:
    # ΔE differs by a few 1e-3 (measured max 3.3e-3), far below a just-noticeable 1.
    np.testing.assert_allclose(metrics.delta_e2000(hr, test), ref, atol=5e-3)


def test_scielab_of_uniform_images_equals_plain_delta_e():
    # S-CIELAB filters sum to 1 in each opponent channel: on uniform fields they change nothing.
    a = np.full((40, 40, 3), [0.4, 0.5, 0.6])
    b = np.full((40, 40, 3), [0.45, 0.5, 0.55])
    qa, qb = metrics.to_8bit(a) / 255, metrics.to_8bit(b) / 255
    plain = deltaE_ciede2000(rgb2lab(qa[:1, :1]), rgb2lab(qb[:1, :1]))[0, 0]
    de = metrics.scielab_map(a, b)
    np.testing.assert_allclose(de, plain, rtol=1e-3)
    assert metrics.scores(a, b, 4).scielab == pytest.approx(plain, rel=1e-3)


def test_samples_per_degree_is_the_stated_viewing_geometry():
    # 120 dpi at 0.5 m: one pixel subtends atan(0.0254/120/0.5) degrees.
    assert metrics.SAMPLES_PER_DEGREE == pytest.approx(1 / math.degrees(math.atan(0.0254 / 120 / 0.5)))
    assert f"{metrics.SAMPLES_PER_DEGREE:.1f} samples/degree" in metrics.CONVENTION


@pytest.mark.parametrize("bad", [{"scale": -1}, {"scale": 2.5}, {"scale": True}, {"scale": 100}])
def test_bad_scale_is_refused(bad):
    hr, test = _pair()
    with pytest.raises(ValueError, match="scale"):
        metrics.y_psnr(hr, test, **bad)


def test_bad_shapes_are_refused():
    hr, test = _pair()
    with pytest.raises(ValueError, match="same shape"):
        metrics.y_psnr(hr, test[:-1], 4)
    with pytest.raises(ValueError, match="hr"):
        metrics.y_psnr(hr[..., 0], test[..., 0], 4)
    with pytest.raises(ValueError, match="border"):
        metrics.y_psnr(hr[:8, :8], test[:8, :8], 4)
    with pytest.raises(ValueError, match="finite"):
        metrics.y_psnr(hr, np.full_like(test, np.nan), 4)
