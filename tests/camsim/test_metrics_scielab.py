"""Tests for camsim.metrics.scielab and camsim.metrics.deltae.

References are independent of the code under test: colour-science called directly
(XYZ_to_Lab + delta_E) for plain CIELAB; a direct 2-D re-construction of ISETCam's filters
(``gauss2`` / ``sumGauss``, as described in the design reference §7.2, with the table
typed in here) for the filter shapes; the CIEDE2000 test pair from Sharma et al. (2005).
"""

import math

import colour
import numpy as np
import pytest

from camsim.metrics import deltae
from camsim.metrics.scielab import (
    OPPONENT_FROM_XYZ,
    SCIELABFilters,
    samples_per_degree_display,
    samples_per_degree_fov,
    scielab,
    scielab_filter_xyz,
    scielab_filters,
    scielab_mean,
    scielab_srgb,
)

TOL_UNIFORM = 1e-6  # ΔE units: S-CIELAB of uniform images vs plain CIELAB
TOL_FILTER_SUM = 1e-9
RNG = np.random.default_rng(20240611)

WHITE_D65 = colour.xy_to_XYZ(colour.CCS_ILLUMINANTS["CIE 1931 2 Degree Standard Observer"]["D65"]) * 100.0
WHITE_A = colour.xy_to_XYZ(colour.CCS_ILLUMINANTS["CIE 1931 2 Degree Standard Observer"]["A"]) * 100.0

# §7.2 'distribution' table: (half-width in degrees, weight) per opponent channel.
ISETCAM_DISTRIBUTION = (
    ((0.05, 1.00327), (0.225, 0.114416), (7.0, -0.117686)),
    ((0.0685, 0.616725), (0.826, 0.383275)),
    ((0.0920, 0.567885), (0.6451, 0.432115)),
)


def plain_delta_e(xyz1, xyz2, white, method="CIE 2000"):
    """CIELAB ΔE straight from colour-science (the reference for uniform images)."""
    xy = colour.XYZ_to_xy(white)
    lab1 = colour.XYZ_to_Lab(np.asarray(xyz1) / white[1], xy)
    lab2 = colour.XYZ_to_Lab(np.asarray(xyz2) / white[1], xy)
    return colour.delta_E(lab1, lab2, method=method)


def uniform(xyz, shape=(24, 30)):
    return np.broadcast_to(np.asarray(xyz, float), (*shape, 3)).copy()


# -- viewing geometry ---------------------------------------------------------------------
class TestSamplesPerDegree:
    def test_display_uses_atan(self):
        pitch = 0.0254 / 120.0
        expected = 1.0 / math.degrees(math.atan(pitch / 0.5))
        assert samples_per_degree_display(120.0, 0.5) == pytest.approx(expected, rel=1e-14)
        # ISETCam's tan() and round() give 41 for the same display.
        assert round(1.0 / math.degrees(math.tan(pitch / 0.5))) == 41
        assert samples_per_degree_display(120.0, 0.5) == pytest.approx(41.23, abs=0.01)

    def test_fov(self):
        assert samples_per_degree_fov(512, 8.0) == 64.0

    @pytest.mark.parametrize(
        "kwargs, match",
        [
            ({"dpi": 0.0, "viewing_distance": 0.5}, "dpi"),
            ({"dpi": 96.0, "viewing_distance": -1.0}, "viewing_distance"),
            ({"dpi": float("nan"), "viewing_distance": 0.5}, "dpi"),
        ],
    )
    def test_raise_exception_display(self, kwargs, match):
        with pytest.raises(ValueError, match=match):
            samples_per_degree_display(**kwargs)

    def test_raise_exception_fov(self):
        with pytest.raises(ValueError, match="fov_deg"):
            samples_per_degree_fov(100, 0.0)
        with pytest.raises(ValueError, match="fov_deg"):
            samples_per_degree_fov(100, 200.0)
        with pytest.raises(ValueError, match="n_samples"):
            samples_per_degree_fov(0, 10.0)


# -- filters --------------------------------------------------------------------------------
def isetcam_filter_2d(spd, support, table):
    """Direct 2-D construction: each 2-D Gaussian normalised, weighted sum, normalised."""
    x = np.arange(1, support + 1) - round(support / 2 + 1e-9)  # MATLAB round(n/2), n odd
    xx, yy = np.meshgrid(x, x)
    total = np.zeros((support, support))
    for hw_deg, w in table:
        sd = hw_deg * spd / math.sqrt(2 * math.log(2))  # ieHwhm2SD, 2-D
        g = np.exp(-0.5 * (xx**2 + yy**2) / sd**2)
        total += w * g / g.sum()
    return total / total.sum()


class TestFilters:
    @pytest.mark.parametrize("spd", [41.0, 41.24, 64.0, 100.5])
    @pytest.mark.parametrize("version", ["distribution", "original", "hires"])
    @pytest.mark.parametrize("support_deg", [1.0, 2.5])
    def test_filters_sum_to_one(self, spd, version, support_deg):
        f = scielab_filters(spd, support_deg=support_deg, version=version)
        for c in range(3):
            assert f.kernel_2d(c).sum() == pytest.approx(1.0, abs=TOL_FILTER_SUM)
            np.testing.assert_allclose(f.kernels[c].sum(axis=1), 1.0, atol=TOL_FILTER_SUM)
            assert f.weights[c].sum() == pytest.approx(1.0, abs=TOL_FILTER_SUM)

    @pytest.mark.parametrize("spd", [41.0, 64.0])
    def test_matches_isetcam_2d_construction(self, spd):
        f = scielab_filters(spd)
        for c in range(3):
            expected = isetcam_filter_2d(spd, f.support, ISETCAM_DISTRIBUTION[c])
            np.testing.assert_allclose(f.kernel_2d(c), expected, rtol=0, atol=1e-14)

    @pytest.mark.parametrize(
        "spd, support_deg, n", [(41.0, 1.0, 41), (64.0, 1.0, 63), (41.24, 1.0, 41), (41.0, 2.0, 81), (1.5, 1.0, 1)]
    )
    def test_support_is_odd_ceil_rule(self, spd, support_deg, n):
        f = scielab_filters(spd, support_deg=support_deg)
        assert f.support == n
        assert f.kernel_2d(0).shape == (n, n)
        assert f.min_image_size == n // 2 + 1

    def test_sigma_is_half_width_at_half_maximum(self):
        f = scielab_filters(64.0)
        for c in range(3):
            hw = np.array([t[0] for t in ISETCAM_DISTRIBUTION[c]]) * 64.0
            np.testing.assert_allclose(np.exp(-0.5 * (hw / f.sigmas[c]) ** 2), 0.5, rtol=1e-12)

    def test_luminance_surround_is_truncated_to_one_degree(self):
        """The 7° surround (σ ≈ 5.9° ≫ 1°) is nearly flat across the 1° support (ISETCam)."""
        k = scielab_filters(64.0).kernels[0][2]
        assert k.max() / k.min() < 1.01

    def test_arrays_are_read_only(self):
        f = scielab_filters(41.0)
        with pytest.raises(ValueError):
            f.kernels[0][0, 0] = 1.0

    @pytest.mark.parametrize(
        "kwargs, match",
        [
            ({"samples_per_degree": 0.0}, "samples_per_degree"),
            ({"samples_per_degree": float("inf")}, "samples_per_degree"),
            ({"samples_per_degree": 41.0, "support_deg": 0.0}, "support_deg"),
            ({"samples_per_degree": 41.0, "version": "bogus"}, "version"),
        ],
    )
    def test_raise_exception_filters(self, kwargs, match):
        with pytest.raises(ValueError, match=match):
            scielab_filters(**kwargs)


# -- the metric ------------------------------------------------------------------------------
PAIRS = [
    ([20.0, 21.0, 22.0], [21.0, 21.0, 25.0]),  # near-neutral, small difference
    ([41.2, 21.3, 1.9], [35.8, 43.1, 10.2]),  # red vs green, large difference
    ([5.0, 4.0, 30.0], [6.0, 4.5, 24.0]),  # dark blue
    ([90.0, 95.0, 100.0], [80.0, 90.0, 70.0]),  # light
]


class TestScielab:
    @pytest.mark.parametrize("xyz1, xyz2", PAIRS)
    @pytest.mark.parametrize("method", ["CIE 2000", "CIE 1976"])
    @pytest.mark.parametrize("opponent", ["xyz10", "xyz2"])
    def test_uniform_equals_plain_cielab(self, xyz1, xyz2, method, opponent):
        expected = float(plain_delta_e(xyz1, xyz2, WHITE_D65, method))
        res = scielab(
            uniform(xyz1), uniform(xyz2), WHITE_D65, samples_per_degree=41.0, method=method, opponent=opponent
        )
        assert res.delta_e.shape == (24, 30)
        np.testing.assert_allclose(res.delta_e, expected, rtol=0, atol=TOL_UNIFORM)
        assert res.mean == pytest.approx(expected, abs=TOL_UNIFORM)
        np.testing.assert_allclose(res.xyz1, uniform(xyz1), rtol=1e-12)

    def test_uniform_with_one_white_per_image(self):
        xyz1, xyz2 = PAIRS[1]
        lab1 = colour.XYZ_to_Lab(np.asarray(xyz1) / WHITE_D65[1], colour.XYZ_to_xy(WHITE_D65))
        lab2 = colour.XYZ_to_Lab(np.asarray(xyz2) / WHITE_A[1], colour.XYZ_to_xy(WHITE_A))
        expected = float(colour.delta_E(lab1, lab2))
        res = scielab(uniform(xyz1), uniform(xyz2), np.stack([WHITE_D65, WHITE_A]), samples_per_degree=41.0)
        assert res.mean == pytest.approx(expected, abs=TOL_UNIFORM)

    def test_identical_images_give_zero(self):
        xyz = RNG.uniform(0.0, 90.0, (40, 33, 3))
        res = scielab(xyz, xyz, WHITE_D65, samples_per_degree=41.0)
        assert np.all(res.delta_e == 0.0)

    @pytest.mark.parametrize("shape", [(40, 33), (21, 21), (64, 80)])
    def test_fft_matches_separable_and_keeps_shape(self, shape):
        xyz = RNG.uniform(0.0, 90.0, (*shape, 3))
        f = scielab_filters(41.0)
        a = scielab_filter_xyz(xyz, f, method="fft")
        b = scielab_filter_xyz(xyz, f, method="separable")
        assert a.shape == xyz.shape
        np.testing.assert_allclose(a, b, rtol=0, atol=1e-10)

    def test_filtering_equals_direct_2d_convolution(self):
        """Opponent transform, ISETCam's 2-D filters (built above, independently) applied by
        scipy.ndimage.convolve with symmetric ('reflect') borders, inverse transform."""
        from scipy.ndimage import convolve

        xyz = RNG.uniform(0.0, 90.0, (40, 33, 3))
        f = scielab_filters(41.0)
        m = OPPONENT_FROM_XYZ["xyz10"]
        opp = xyz @ m.T
        blurred = np.stack(
            [convolve(opp[..., c], isetcam_filter_2d(41.0, f.support, ISETCAM_DISTRIBUTION[c]), mode="reflect")
             for c in range(3)],
            axis=-1,
        )
        np.testing.assert_allclose(scielab_filter_xyz(xyz, f), blurred @ np.linalg.inv(m).T, rtol=0, atol=1e-10)

    def test_mean_convenience(self):
        xyz1 = RNG.uniform(10.0, 90.0, (32, 32, 3))
        xyz2 = xyz1 * 1.05
        res = scielab(xyz1, xyz2, WHITE_D65, samples_per_degree=41.0)
        assert scielab_mean(xyz1, xyz2, WHITE_D65, samples_per_degree=41.0) == res.mean
        assert res.mean == pytest.approx(res.delta_e.mean())

    def test_wider_support(self):
        """support_deg=3 keeps more of the 7° surround; uniform images still equal CIELAB."""
        xyz1, xyz2 = PAIRS[0]
        a, b = uniform(xyz1, (70, 70)), uniform(xyz2, (70, 70))
        res = scielab(a, b, WHITE_D65, samples_per_degree=41.0, support_deg=3.0)
        assert res.mean == pytest.approx(float(plain_delta_e(xyz1, xyz2, WHITE_D65)), abs=TOL_UNIFORM)


# -- gratings: what S-CIELAB is for ---------------------------------------------------------
SPD_GRATING = 64.0  # samples/degree
N_GRATING = 128  # 2° square; whole periods at 2 and 16 cycles/degree


def grating_profile(cpd):
    # Phase chosen so that symmetric padding continues the grating seamlessly at both ends.
    x = np.arange(N_GRATING) + 0.5
    return np.cos(2 * np.pi * cpd * x / SPD_GRATING)[None, :, None] * np.ones((N_GRATING, 1, 1))


def mean_colour():
    return 0.4 * WHITE_D65


def isoluminant_grating(cpd, amplitude=6.0):
    """Red-green grating made in opponent space: O2 varies, O1 and O3 fixed."""
    m = OPPONENT_FROM_XYZ["xyz10"]
    opp = m @ mean_colour() + grating_profile(cpd) * np.array([0.0, amplitude, 0.0])
    xyz = opp @ np.linalg.inv(m).T
    assert xyz.min() > 0
    return xyz


def luminance_grating(cpd, contrast=0.2):
    return mean_colour() * (1.0 + contrast * grating_profile(cpd))


def grating_ratio(xyz):
    """S-CIELAB mean ΔE / pixelwise CIELAB mean ΔE, grating vs its uniform mean."""
    flat = np.broadcast_to(mean_colour(), xyz.shape)
    pixelwise = float(np.mean(plain_delta_e(xyz, flat, WHITE_D65)))
    spatial = scielab(xyz, flat, WHITE_D65, samples_per_degree=SPD_GRATING).mean
    return spatial / pixelwise, pixelwise


class TestGratings:
    def test_isoluminant_grating_is_invisible_at_16_cpd(self):
        ratio, pixelwise = grating_ratio(isoluminant_grating(16.0))
        assert pixelwise > 10.0  # a large colour difference pixel by pixel...
        assert ratio < 1.0 / 5.0  # ...that S-CIELAB blurs away (measured: 1/94)

    def test_luminance_grating_is_kept_at_2_cpd(self):
        ratio, pixelwise = grating_ratio(luminance_grating(2.0))
        assert pixelwise > 1.0
        assert ratio >= 0.5  # measured: 0.98

    def test_chromatic_blur_is_stronger_than_luminance_blur(self):
        """At 4 cycles/degree the red-green channel loses more than the luminance one."""
        assert grating_ratio(isoluminant_grating(4.0))[0] < grating_ratio(luminance_grating(4.0))[0]


# -- sRGB wrapper -----------------------------------------------------------------------------
class TestScielabSRGB:
    def test_uniform_equals_colour_srgb_cielab(self):
        rgb1, rgb2 = np.array([0.8, 0.3, 0.2]), np.array([0.7, 0.35, 0.25])
        xyz1, xyz2 = colour.sRGB_to_XYZ(rgb1), colour.sRGB_to_XYZ(rgb2)
        white = colour.sRGB_to_XYZ(np.ones(3))
        expected = float(plain_delta_e(xyz1, xyz2, white))
        res = scielab_srgb(uniform(rgb1), uniform(rgb2), samples_per_degree=41.0)
        assert res.mean == pytest.approx(expected, abs=TOL_UNIFORM)

    def test_peak_luminance_sets_scale_only(self):
        rgb1 = RNG.uniform(0.0, 1.0, (30, 30, 3))
        rgb2 = np.clip(rgb1 + RNG.normal(0.0, 0.05, rgb1.shape), 0.0, 1.0)
        a = scielab_srgb(rgb1, rgb2, samples_per_degree=41.0, peak_luminance=100.0)
        b = scielab_srgb(rgb1, rgb2, samples_per_degree=41.0, peak_luminance=250.0)
        assert a.mean == pytest.approx(b.mean, rel=1e-10)
        np.testing.assert_allclose(b.xyz1, 2.5 * a.xyz1, rtol=1e-12)

    @pytest.mark.parametrize(
        "rgb, kwargs, match",
        [
            (np.full((30, 30, 3), 1.2), {}, "srgb1"),
            (np.full((30, 30, 3), 0.5), {"peak_luminance": 0.0}, "peak_luminance"),
            (np.full((30, 30), 0.5), {}, "srgb1"),
        ],
    )
    def test_raise_exception_srgb(self, rgb, kwargs, match):
        with pytest.raises(ValueError, match=match):
            scielab_srgb(rgb, np.full((30, 30, 3), 0.5), samples_per_degree=41.0, **kwargs)


# -- bad input -----------------------------------------------------------------------------
GOOD = uniform([20.0, 21.0, 22.0])


class TestScielabBadInput:
    @pytest.mark.parametrize(
        "xyz1, xyz2, white, kwargs, match",
        [
            (GOOD, GOOD[:-1], WHITE_D65, {}, "same shape"),
            (GOOD[..., :2], GOOD[..., :2], WHITE_D65, {}, "xyz1"),
            (np.where(np.arange(3) == 1, np.nan, GOOD), GOOD, WHITE_D65, {}, "xyz1.*finite"),
            (GOOD, GOOD - 25.0, WHITE_D65, {}, "xyz2.*>= 0"),
            (GOOD[:10], GOOD[:10], WHITE_D65, {}, "xyz1.*minimum 21"),
            (GOOD, GOOD, WHITE_D65, {"method": "CIE 2001"}, "method"),
            (GOOD, GOOD, WHITE_D65, {"filter_method": "direct"}, "filter_method"),
            (GOOD, GOOD, WHITE_D65, {"opponent": "lms10"}, "opponent"),
            (GOOD, GOOD, WHITE_D65, {"samples_per_degree": -1.0}, "samples_per_degree"),
            (GOOD, GOOD, [95.0, 0.0, 108.0], {}, "white"),
            (GOOD, GOOD, [95.0, 100.0], {}, "white"),
        ],
    )
    def test_raise_exception_scielab(self, xyz1, xyz2, white, kwargs, match):
        kwargs = {"samples_per_degree": 41.0, **kwargs}
        with pytest.raises(ValueError, match=match):
            scielab(xyz1, xyz2, white, **kwargs)

    def test_raise_exception_filter_xyz(self):
        with pytest.raises(ValueError, match="filters"):
            scielab_filter_xyz(GOOD, None)
        with pytest.raises(ValueError, match="method"):
            scielab_filter_xyz(GOOD, scielab_filters(41.0), method="direct")
        assert isinstance(scielab_filters(41.0), SCIELABFilters)


# -- ΔE helpers ------------------------------------------------------------------------------
class TestDeltaE:
    def test_sharma_2005_pair(self):
        """CIEDE2000 test pair 1 of Sharma, Wu & Dalal (2005), Table 1: ΔE00 = 2.0425."""
        assert float(deltae.delta_e([50.0, 2.6772, -79.7751], [50.0, 0.0, -82.7485])) == pytest.approx(2.0425, abs=1e-4)

    @pytest.mark.parametrize("method", ["CIE 2000", "CIE 1976", "CIE 1994", "CMC", "cie 2000"])
    def test_delta_e_equals_colour(self, method):
        lab1 = RNG.uniform([0, -60, -60], [100, 60, 60], (50, 3))
        lab2 = RNG.uniform([0, -60, -60], [100, 60, 60], (50, 3))
        canonical = {"cie 2000": "CIE 2000"}.get(method, method)
        np.testing.assert_allclose(
            deltae.delta_e(lab1, lab2, method=method), colour.delta_E(lab1, lab2, method=canonical), rtol=1e-14
        )

    def test_delta_e_xyz(self):
        xyz1 = RNG.uniform(0, 90, (5, 4, 3))
        xyz2 = RNG.uniform(0, 90, (5, 4, 3))
        expected = plain_delta_e(xyz1, xyz2, WHITE_D65)
        np.testing.assert_allclose(deltae.delta_e_xyz(xyz1, xyz2, WHITE_D65), expected, rtol=1e-12)

    def test_xyz_to_lab_white_is_l100(self):
        np.testing.assert_allclose(deltae.xyz_to_lab(WHITE_A, WHITE_A), [100.0, 0.0, 0.0], atol=1e-10)

    @pytest.mark.parametrize(
        "call, match",
        [
            (lambda: deltae.delta_e([50, 0, 0], [50, 0, 0], method="CIE 2077"), "method"),
            (lambda: deltae.delta_e([50, 0, 0], [[50, 0, 0]] * 2), "same shape"),
            (lambda: deltae.delta_e([50, 0], [50, 0]), "lab1"),
            (lambda: deltae.delta_e([50, np.inf, 0], [50, 0, 0]), "lab1.*finite"),
            (lambda: deltae.delta_e_xyz([1, -1, 1], [1, 1, 1], WHITE_D65), "xyz1.*>= 0"),
            (lambda: deltae.delta_e_xyz([1, 1, 1], [1, 1, 1], [1, 1]), "white"),
            (lambda: deltae.delta_e_xyz([1, 1, 1], [1, 1, 1], WHITE_D65, method="x"), "method"),
            (lambda: deltae.xyz_to_lab([1, 1, 1], [0, 1, 1]), "white"),
        ],
    )
    def test_raise_exception_delta_e(self, call, match):
        with pytest.raises(ValueError, match=match):
            call()
