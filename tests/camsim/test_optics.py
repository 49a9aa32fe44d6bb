"""
Tests for camsim.optics — diffraction-limited optics and optical-image formation.

Every expected number is computed here from an independent formula (thin lens,
Goodman's circular-pupil OTF, the Airy pattern from ``scipy.special.j1``, cos⁴ of
the field angle) or quoted from docs/isetcam-reference §10; nothing is compared with
the code's own earlier output.
"""

import dataclasses
import math

import numpy as np
import pytest
from scipy.special import j0, j1

from camsim import charts, spectra
from camsim.optical_image import OpticalImage
from camsim.optics import Optics
from camsim.scene import Scene

MTF_TOLERANCE = 1e-6           # analytic MTF, absolute
OTF_RECOVERY_TOLERANCE = 1e-3  # OTF recovered from a point image, absolute, up to 0.9 ν_c
AIRY_PROFILE_TOLERANCE = 5e-4  # |PSF/peak − [2J₁(x)/x]²|, see test_point_image_is_airy_pattern
AIRY_FIRST_ZERO = 1.2196698912665045  # first zero of J₁ divided by π
ISETCAM_F = 0.004 / math.tan(math.radians(46.0))  # m, ISETCam default focal length


# -- independent references ---------------------------------------------------------------
def analytic_mtf(freq_cyc_mm, wave_nm, fnumber):
    """Goodman (2017) eq. 7-35: H(s) = (2/π)[acos s − s√(1 − s²)], s = ν/ν_c, ν_c = 1/(λN)."""
    s = np.abs(np.asarray(freq_cyc_mm, float)) * (wave_nm * 1e-6) * fnumber
    out = np.zeros_like(s)
    m = s < 1
    out[m] = 2 / np.pi * (np.arccos(s[m]) - s[m] * np.sqrt(1 - s[m] ** 2))
    return out


def airy(r_m, wave_nm, fnumber):
    """Normalised Airy intensity [2J₁(x)/x]², x = π·r/(λN)."""
    x = np.pi * np.asarray(r_m, float) / (wave_nm * 1e-9 * fnumber)
    safe = np.where(x == 0, 1.0, x)
    return np.where(x == 0, 1.0, (2 * j1(safe) / safe) ** 2)


def thin_lens_image_distance(f, s):
    return f * s / (s - f)


def point_scene(n, spacing, optics, wave, distance=1.2, value=1.0):
    """A single bright sample at (n//2, n//2) on black, with focal-plane spacing ``spacing`` (m)."""
    d = thin_lens_image_distance(optics.focal_length, distance)
    fov = 2 * math.degrees(math.atan(spacing * n / 2 / d))
    cube = np.zeros((n, n, len(wave)), np.float32)
    cube[n // 2, n // 2, :] = value
    return Scene(cube, None, wave, fov=fov, distance=distance)


# -- construction ----------------------------------------------------------------------------
class TestOpticsParameters:
    def test_default_is_isetcam_quarter_inch_lens(self):
        """isetcam-reference §10: f = 3.862755 mm, D = 0.965689 mm, f/4."""
        o = Optics()
        assert o.fnumber == 4.0
        assert o.focal_length == pytest.approx(3.862755e-3, abs=1e-9)
        assert o.aperture_diameter == pytest.approx(0.965689e-3, abs=1e-9)
        assert o.relative_illumination is True
        assert o.transmittance == 1.0

    def test_study_deblur_preset(self):
        o = Optics(fnumber=22, aperture_diameter=0.176e-3)
        assert o.focal_length == pytest.approx(22 * 0.176e-3, rel=1e-12)
        assert o.focal_length == pytest.approx(3.872e-3, rel=1e-12)

    @pytest.mark.parametrize("kwargs, expected", [
        (dict(fnumber=8.0, focal_length=0.01), (8.0, 0.01, 0.00125)),
        (dict(focal_length=0.01, aperture_diameter=0.002), (5.0, 0.01, 0.002)),
        (dict(fnumber=2.0, aperture_diameter=0.003), (2.0, 0.006, 0.003)),
        (dict(fnumber=2.0, focal_length=0.006, aperture_diameter=0.003), (2.0, 0.006, 0.003)),
        (dict(fnumber=8.0), (8.0, ISETCAM_F, ISETCAM_F / 8)),
        (dict(focal_length=0.05), (4.0, 0.05, 0.0125)),
        (dict(aperture_diameter=0.001), (4.0, 0.004, 0.001)),
    ])
    def test_any_two_determine_the_third(self, kwargs, expected):
        o = Optics(**kwargs)
        assert (o.fnumber, o.focal_length, o.aperture_diameter) == pytest.approx(expected, rel=1e-12)

    def test_frozen_and_hashable(self):
        o = Optics(fnumber=8)
        with pytest.raises(dataclasses.FrozenInstanceError):
            o.fnumber = 4.0
        assert Optics(fnumber=8) == o and hash(Optics(fnumber=8)) == hash(o)

    def test_spectral_transmittance_is_linear_and_held_at_the_ends(self):
        o = Optics(transmittance=(np.array([450.0, 650.0]), np.array([0.5, 0.9])))
        t = o.transmittance_at([400.0, 450.0, 550.0, 600.0, 650.0, 700.0])
        np.testing.assert_allclose(t, [0.5, 0.5, 0.7, 0.8, 0.9, 0.9], rtol=1e-12)
        assert o == Optics(transmittance=([450, 650], [0.5, 0.9]))


# -- MTF / OTF / PSF --------------------------------------------------------------------------
class TestTransferFunctions:
    @pytest.mark.parametrize("fnumber", [4.0, 22.0])
    def test_mtf_equals_circular_pupil_formula(self, fnumber):
        wave = np.array([450.0, 550.0, 650.0])
        freq = np.linspace(0, 1.5 / (450e-6 * fnumber), 777)  # past every cut-off
        got = Optics(fnumber=fnumber).mtf(freq, wave)
        assert got.shape == (freq.size, wave.size)
        for i, w in enumerate(wave):
            np.testing.assert_allclose(got[:, i], analytic_mtf(freq, w, fnumber), atol=MTF_TOLERANCE, rtol=0)
            beyond = freq >= 1 / (w * 1e-6 * fnumber)
            assert beyond.any() and np.all(got[beyond, i] == 0.0)
        assert np.all(got[0] == 1.0)

    def test_mtf_at_half_cutoff(self):
        """isetcam-reference §9.1: H(0.5) = (2/π)(acos 0.5 − 0.5·√0.75) ≈ 0.3910."""
        nu_c = 1 / (550e-6 * 4)
        h = Optics().mtf([0.5 * nu_c], [550.0])[0, 0]
        assert h == pytest.approx(2 / np.pi * (np.arccos(0.5) - 0.5 * np.sqrt(0.75)), abs=1e-12)
        assert h == pytest.approx(0.3910, abs=1e-4)

    def test_otf_broadcasts_with_wave_last(self):
        fx = np.linspace(-500, 500, 7)[None, :]
        fy = np.linspace(-300, 300, 5)[:, None]
        got = Optics(fnumber=4).otf(fx, fy, [450.0, 650.0])
        assert got.shape == (5, 7, 2)
        rho = np.hypot(fx, fy)
        np.testing.assert_allclose(got[..., 1], analytic_mtf(rho, 650.0, 4), atol=MTF_TOLERANCE)

    def test_cutoff_and_airy_radius(self):
        """isetcam-reference §10: 454.545 cycles/mm and 2.684 µm at 550 nm, f/4."""
        o = Optics()
        assert o.cutoff_frequency(550.0) == pytest.approx(454.545, abs=1e-3)
        assert o.airy_radius(550.0) == pytest.approx(2.684e-6, abs=1e-9)
        np.testing.assert_allclose(o.cutoff_frequency([450.0, 650.0]), [1e6 / 1800, 1e6 / 2600])

    @pytest.mark.parametrize("spacing_over_lambda_n, size", [(1 / 8, 129), (0.8, 64), (3.0, 16)])
    def test_psf_samples_the_airy_pattern(self, spacing_over_lambda_n, size):
        """
        psf() gives point samples of the Airy pattern at any spacing, including coarse
        spacings where the OTF extends past the grid's Nyquist frequency (aliases summed).
        """
        o = Optics(fnumber=4)
        dx = spacing_over_lambda_n * 550e-9 * 4
        p = o.psf(550.0, dx, size)
        assert p.shape == (size, size, 1)
        p = p[..., 0]
        assert p.sum() == pytest.approx(1.0, abs=1e-12)
        c = size // 2
        assert np.unravel_index(np.argmax(p), p.shape) == (c, c)
        yy, xx = np.indices(p.shape)
        ref = airy(np.hypot(yy - c, xx - c) * dx, 550.0, 4)
        np.testing.assert_allclose(p / p[c, c], ref, atol=AIRY_PROFILE_TOLERANCE)


# -- thin-lens geometry and radiometry ------------------------------------------------------------
class TestGeometry:
    def test_thin_lens(self):
        o = Optics()
        assert o.image_distance() == o.focal_length
        assert o.image_distance(math.inf) == o.focal_length
        d = thin_lens_image_distance(ISETCAM_F, 1.2)
        assert o.image_distance(1.2) == pytest.approx(d, rel=1e-12)
        assert o.image_distance(1.2) == pytest.approx(3.87523e-3, abs=1e-8)  # isetcam-reference §3.1
        assert o.magnification(1.2) == pytest.approx(-d / 1.2, rel=1e-12)
        assert o.magnification(1.2) == pytest.approx(-3.2294e-3, abs=1e-7)

    def test_irradiance_factor_default(self):
        """isetcam-reference §10: π/(1 + 64·(1.0032294)²) = 0.0480263 at f/4, 1.2 m."""
        assert Optics().irradiance_factor(1.2) == pytest.approx(0.0480263, rel=1e-5)

    def test_irradiance_factor_includes_transmittance(self):
        o = Optics(fnumber=2, focal_length=0.01, transmittance=(np.array([400.0, 700.0]), np.array([0.4, 1.0])))
        m = thin_lens_image_distance(0.01, 3.0) / 3.0
        t = np.array([0.4, 0.7, 1.0])
        np.testing.assert_allclose(o.irradiance_factor(3.0, [400.0, 550.0, 700.0]),
                                   np.pi * t / (1 + 16 * (1 + m) ** 2), rtol=1e-12)

    def test_default_macbeth_geometry(self):
        """Spacing 2·d_img·tan(5°)/96 (image distance, not focal length); 64×96 pads to 80×120."""
        scene = charts.macbeth()
        oi = Optics().form_image(scene)
        d_img = thin_lens_image_distance(ISETCAM_F, 1.2)
        assert isinstance(oi, OpticalImage)
        assert oi.sample_spacing == pytest.approx(2 * d_img * math.tan(math.radians(5)) / 96, abs=1e-9, rel=1e-12)
        assert oi.irradiance.shape == (80, 120, 31)
        assert oi.irradiance.dtype == np.float32
        assert oi.pad == (8, 12)
        assert oi.image_distance == pytest.approx(d_img, rel=1e-12)
        assert oi.name == scene.name
        np.testing.assert_array_equal(oi.wave, scene.wave)
        # the scene area subtends the scene's field of view from the image distance
        scene_width = oi.sample_spacing * 96
        assert math.degrees(2 * math.atan(scene_width / 2 / oi.image_distance)) == pytest.approx(10.0, rel=1e-12)

    def test_padding_rounds_half_up_and_keeps_spacing(self):
        o = Optics()
        scene = charts.uniform(size=(4, 12), wave=[550.0])
        a = o.form_image(scene)                 # 4/8 = 0.5 → 1 (MATLAB round), 12/8 = 1.5 → 2
        b = o.form_image(scene, pad=0.0)
        c = o.form_image(scene, pad=0.5, crop=True)
        assert a.pad == (1, 2) and a.irradiance.shape == (6, 16, 1)
        assert b.pad == (0, 0) and b.irradiance.shape == (4, 12, 1)
        assert c.pad == (0, 0) and c.irradiance.shape == (4, 12, 1)
        assert a.sample_spacing == b.sample_spacing == c.sample_spacing


# -- image formation ---------------------------------------------------------------------------
class TestFormImage:
    @pytest.mark.parametrize("fnumber", [4.0, 22.0])
    def test_applied_otf_is_the_analytic_otf(self, fnumber):
        """
        Point scene, cos⁴ off: FFT(output) / FFT(input irradiance) recovers the OTF that
        form_image applied; it must equal the analytic H (written above) up to 0.9 ν_c.
        The input irradiance is the scene radiance × π/(1 + 4N²(1+|m|)²) from the thin lens.
        """
        wave = np.array([450.0, 550.0, 650.0])
        o = Optics(fnumber=fnumber, relative_illumination=False)
        dx = 450e-9 * fnumber / 4  # Nyquist = 2 ν_c(450 nm): the whole OTF is on the grid
        n, value = 64, 1e12
        oi = o.form_image(point_scene(n, dx, o, wave, value=value))
        d = thin_lens_image_distance(o.focal_length, 1.2)
        factor = np.pi * value / (1 + 4 * fnumber ** 2 * (1 + d / 1.2) ** 2)
        rows, cols = oi.irradiance.shape[:2]
        pr, pc = oi.pad
        fy = np.fft.fftfreq(rows, dx) * 1e-3
        fx = np.fft.rfftfreq(cols, dx) * 1e-3
        rho = np.hypot(fy[:, None], fx[None, :])
        for i, w in enumerate(wave):
            inp = np.zeros((rows, cols))
            inp[pr + n // 2, pc + n // 2] = factor
            h = np.fft.rfft2(oi.irradiance[..., i].astype(np.float64)) / np.fft.rfft2(inp)
            sel = rho <= 0.9 / (w * 1e-6 * fnumber)
            err = np.abs(h[sel] - analytic_mtf(rho[sel], w, fnumber))
            assert err.max() < OTF_RECOVERY_TOLERANCE, f"{w} nm: max |H_rec − H| = {err.max():.2e}"

    def test_point_image_is_airy_pattern(self):
        """
        550 nm point, f/4, spacing λN/16 = 0.1375 µm (256² scene, 35 µm ≈ 13 Airy radii).

        - First dark ring (parabolic sub-sample minimum of the centre row) within 3 % of 1.22·λ·N.
        - Encircled energy inside the true first zero 1.2197·λ·N: 1 − J₀² − J₁² = 83.8 %, ± 1 %.
        - Centre row / peak vs [2J₁(x)/x]² within 5e-4 of the peak. The sampled image is
          the Airy pattern periodised over the padded 44 µm window (circular FFT); the
          folded-back r⁻³ tails add ≈1e-4 of the peak, float32 rounding ≈1e-7. 5e-4 is
          a few times that and 1/35 of the first side lobe (0.0175), so a wrong cut-off,
          a wrong spacing or a shift by one sample fails it.
        """
        lam, n_f, n = 550.0, 4.0, 256
        o = Optics(fnumber=n_f, relative_illumination=False)
        dx = lam * 1e-9 * n_f / 16
        oi = o.form_image(point_scene(n, dx, o, [lam]))
        assert oi.sample_spacing == pytest.approx(dx, rel=1e-12)
        e = oi.irradiance[..., 0].astype(np.float64)
        cy, cx = n // 2 + oi.pad[0], n // 2 + oi.pad[1]
        assert np.unravel_index(np.argmax(e), e.shape) == (cy, cx)
        row = e[cy, cx:] / e[cy, cx]
        r = np.arange(row.size) * dx
        assert np.max(np.abs(row - airy(r, lam, n_f))) < AIRY_PROFILE_TOLERANCE

        r_nominal = 1.22 * lam * 1e-9 * n_f
        k = int(np.argmin(row[: int(1.5 * r_nominal / dx)]))
        a, b, c = row[k - 1], row[k], row[k + 1]
        r_zero = (k + 0.5 * (a - c) / (a - 2 * b + c)) * dx
        assert r_zero == pytest.approx(r_nominal, rel=0.03)

        r0 = AIRY_FIRST_ZERO * lam * 1e-9 * n_f
        yy, xx = np.indices(e.shape)
        inside = np.hypot(yy - cy, xx - cx) * dx < r0
        ee = e[inside].sum() / e.sum()
        x0 = np.pi * AIRY_FIRST_ZERO
        assert 1 - j0(x0) ** 2 - j1(x0) ** 2 == pytest.approx(0.838, abs=1e-3)  # the reference itself
        assert ee == pytest.approx(0.838, abs=0.01)

    def test_uniform_scene_irradiance(self):
        """
        Uniform spectral radiance L(λ), spectral lens transmittance, cos⁴ off, 'mean'
        padding (the padded image is then exactly uniform, so blur cannot change it):
        E = π·T(λ)·L(λ)/(1 + 4N²(1+|m|)²) everywhere, to 1e-6.
        """
        wave = spectra.DEFAULT_WAVE
        radiance = np.linspace(1e15, 3e16, wave.size)
        tw, tv = np.array([400.0, 700.0]), np.array([0.6, 0.95])
        o = Optics(transmittance=(tw, tv), relative_illumination=False)
        scene = Scene(np.ones((64, 96, 1), np.float32), radiance[None, :], wave, fov=10, distance=1.2)
        oi = o.form_image(scene, pad_value="mean")
        m = thin_lens_image_distance(ISETCAM_F, 1.2) / 1.2
        expected = np.pi * np.interp(wave, tw, tv) * radiance / (1 + 4 * 16 * (1 + m) ** 2)
        e = oi.irradiance.astype(np.float64)
        np.testing.assert_allclose(e[40, 60], expected, rtol=1e-6)
        np.testing.assert_allclose(e, np.broadcast_to(expected, e.shape), rtol=2e-6)

    def test_relative_illumination_is_cos4_of_field_angle(self):
        """
        Corner / centre irradiance of a uniform scene = cos⁴(field angle of the corner sample).

        The cos⁴ map is applied before the blur, and blurring a curved field changes it
        by ~λN/d_i times the relative slope; at a 3.9 mm focal length that is ~1e-4, the
        size of the tolerance. So this uses a 100 mm lens (blur effect ~1e-5) at a 20°
        field, and 'border' padding, which pads with the corner sample's own value so no
        step is blurred into the corner. The scene is odd-sized so one sample sits on the
        axis. Field angle θ = atan(r/d_i), r the distance of the corner sample's centre
        from the axis, (0.5 − n/2)·Δ in x and y.
        """
        n, fov, s, f = 129, 20.0, 1.2, 0.1
        o = Optics(fnumber=4, focal_length=f)
        scene = Scene(np.full((n, n, 1), 1e16, np.float32), None, [550.0], fov=fov, distance=s)
        oi = o.form_image(scene, pad_value="border")
        d = thin_lens_image_distance(f, s)
        dx = 2 * d * math.tan(math.radians(fov / 2)) / n
        pr, pc = oi.pad
        e = oi.irradiance[..., 0].astype(np.float64)
        centre, corner = e[pr + n // 2, pc + n // 2], e[pr, pc]
        theta = math.atan(math.hypot((0.5 - n / 2) * dx, (0.5 - n / 2) * dx) / d)
        assert corner / centre == pytest.approx(math.cos(theta) ** 4, rel=1e-4)
        # and the on-axis sample gets the plain irradiance factor
        assert centre == pytest.approx(np.pi * 1e16 / (1 + 64 * (1 + d / s) ** 2), rel=1e-4)

    @pytest.mark.parametrize("make_scene", [
        lambda: charts.macbeth(),
        lambda: Scene(np.random.default_rng(3).random((40, 56, 7), dtype=np.float32) * 1e16, None,
                      np.linspace(420, 680, 7)),
        lambda: charts.point_array(size=64, spacing=8),  # coarse points: genuine negative lobes
    ])
    def test_blur_conserves_power(self, make_scene):
        """Σ over the padded image = Σ of the unblurred irradiance (π L/(1+4N²(1+|m|)²)·cos⁴), within 0.1 %."""
        scene = make_scene()
        o = Optics()
        oi = o.form_image(scene)
        d = thin_lens_image_distance(ISETCAM_F, scene.distance)
        dx = 2 * d * math.tan(math.radians(scene.fov / 2)) / scene.cols
        y = (np.arange(scene.rows) + 0.5 - scene.rows / 2) * dx
        x = (np.arange(scene.cols) + 0.5 - scene.cols / 2) * dx
        cos4 = np.cos(np.arctan(np.hypot(y[:, None], x[None, :]) / d)) ** 4
        unblurred = (scene.radiance.astype(np.float64) * cos4[..., None]).sum(axis=(0, 1))
        unblurred *= np.pi / (1 + 64 * (1 + d / scene.distance) ** 2)
        np.testing.assert_allclose(oi.irradiance.astype(np.float64).sum(axis=(0, 1)), unblurred, rtol=1e-3)

    def test_low_rank_chunked_and_full_cube_paths_agree(self):
        scene = charts.dead_leaves(size=48, color=True)
        assert scene.is_low_rank
        o = Optics(fnumber=8)
        ref = o.form_image(scene.materialized(), wave_chunk=31).irradiance
        for chunk in (1, 5, 8):
            got = o.form_image(scene, wave_chunk=chunk, workers=1).irradiance
            np.testing.assert_allclose(got, ref, rtol=1e-5, atol=1e-6 * ref.max())

    @pytest.mark.parametrize("wave", [[550.0], [450.0, 550.0, 650.0]])
    def test_scene_is_not_modified(self, wave):
        """Regression: a 1-wavelength cube's transposed view is contiguous and must still be copied."""
        scene = Scene(np.full((8, 8, len(wave)), 2e15, np.float32), None, wave)
        before = scene.coefficients.copy()
        o = Optics()
        first = o.form_image(scene).irradiance
        second = o.form_image(scene).irradiance
        np.testing.assert_array_equal(scene.coefficients, before)
        np.testing.assert_array_equal(first, second)

    def test_crop_returns_scene_area_of_padded_image(self):
        scene = charts.slanted_edge(size=32, wave=[450.0, 600.0])
        o = Optics()
        full = o.form_image(scene)
        cropped = o.form_image(scene, crop=True)
        pr, pc = full.pad
        np.testing.assert_array_equal(cropped.irradiance, full.irradiance[pr:pr + 32, pc:pc + 32])
        assert cropped.sample_spacing == full.sample_spacing and cropped.optics is o

    def test_pad_values(self):
        """'border' pads with scene-area sample (0, 0); 'mean' with the mean; before the blur."""
        img = np.ones((16, 16, 1), np.float32)
        img[0, 0] = 3.0
        scene = Scene(img * 1e15, None, [550.0])
        o = Optics(relative_illumination=False, fnumber=0.5)  # tiny PSF: far padding ≈ its value
        k = float(o.irradiance_factor(scene.distance, 550.0)) * 1e15
        border = o.form_image(scene, pad=1.0, pad_value="border").irradiance[..., 0]
        mean = o.form_image(scene, pad=1.0, pad_value="mean").irradiance[..., 0]
        zero = o.form_image(scene, pad=1.0, pad_value="zero").irradiance[..., 0]
        # sample far from the scene area in the padding
        assert border[-1, -1] == pytest.approx(3.0 * k, rel=1e-3)
        assert mean[-1, -1] == pytest.approx((255 + 3) / 256 * k, rel=1e-3)
        assert abs(zero[-1, -1]) < 1e-3 * k


# -- bad input ------------------------------------------------------------------------------------
class TestBadInput:
    @pytest.mark.parametrize("kwargs, name", [
        (dict(fnumber=0), "fnumber"),
        (dict(fnumber=-4), "fnumber"),
        (dict(fnumber=float("nan")), "fnumber"),
        (dict(fnumber=float("inf")), "fnumber"),
        (dict(fnumber="f/4"), "fnumber"),
        (dict(focal_length=0.0), "focal_length"),
        (dict(focal_length=-1e-3), "focal_length"),
        (dict(focal_length=float("inf")), "focal_length"),
        (dict(aperture_diameter=0.0), "aperture_diameter"),
        (dict(aperture_diameter=float("nan")), "aperture_diameter"),
        (dict(fnumber=4, focal_length=4e-3, aperture_diameter=1.01e-3), "fnumber"),
        (dict(transmittance=0.0), "transmittance"),
        (dict(transmittance=1.2), "transmittance"),
        (dict(transmittance=float("nan")), "transmittance"),
        (dict(transmittance=([400, 700], [0.5, 1.1])), "transmittance"),
        (dict(transmittance=([400, 700], [0.0, 1.0])), "transmittance"),
        (dict(transmittance=([700, 400], [0.5, 1.0])), "transmittance"),
        (dict(transmittance=([400, 550, 700], [0.5, 1.0])), "transmittance"),
        (dict(relative_illumination="yes"), "relative_illumination"),
    ])
    def test_optics_parameters(self, kwargs, name):
        with pytest.raises(ValueError, match=name):
            Optics(**kwargs)

    def test_inconsistent_triplet_message_names_all_three(self):
        with pytest.raises(ValueError, match="aperture_diameter") as info:
            Optics(fnumber=4, focal_length=4e-3, aperture_diameter=1.01e-3)
        assert "focal_length" in str(info.value) and "1e-09" in str(info.value)

    def test_consistent_triplet_within_1e9(self):
        Optics(fnumber=4, focal_length=4e-3, aperture_diameter=1e-3 * (1 + 1e-11))

    @pytest.mark.parametrize("kwargs, name", [
        (dict(pad=-0.1), "pad"),
        (dict(pad=float("nan")), "pad"),
        (dict(pad_value="edge"), "pad_value"),
        (dict(workers=0), "workers"),
        (dict(wave_chunk=0), "wave_chunk"),
        (dict(crop="no"), "crop"),
    ])
    def test_form_image_options(self, kwargs, name):
        scene = charts.uniform(size=8, wave=[550.0])
        with pytest.raises(ValueError, match=name):
            Optics().form_image(scene, **kwargs)

    def test_form_image_needs_a_scene(self):
        with pytest.raises(ValueError, match="scene"):
            Optics().form_image(np.ones((8, 8, 31)))

    @pytest.mark.parametrize("call, name", [
        (lambda o: o.image_distance(o.focal_length), "scene_distance"),
        (lambda o: o.magnification(-1.0), "scene_distance"),
        (lambda o: o.irradiance_factor(float("nan")), "scene_distance"),
        (lambda o: o.mtf([0, float("nan")], [550.0]), "freq"),
        (lambda o: o.mtf([0.0], [-550.0]), "wave"),
        (lambda o: o.otf([0.0], [float("inf")], [550.0]), "fy"),
        (lambda o: o.airy_radius(0.0), "wave"),
        (lambda o: o.psf(550.0, 0.0, 16), "spacing"),
        (lambda o: o.psf(550.0, 1e-7, 0), "size"),
    ])
    def test_method_arguments(self, call, name):
        with pytest.raises(ValueError, match=name):
            call(Optics())
