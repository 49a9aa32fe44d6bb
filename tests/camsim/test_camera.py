"""Camera: the whole chain against colour-science, and the study's presets against physics."""

import colour
import numpy as np
import pytest

import camsim
from camsim import charts, spectra
from camsim.camera import Camera
from camsim.isp import ISP

WAVE = spectra.DEFAULT_WAVE


def _patch_means(img, n_rows=4, n_cols=6, frac=0.5):
    """Mean of the central ``frac`` (linear size) of each chart patch, (24, channels)."""
    rows, cols = img.shape[:2]
    out = []
    for r in range(n_rows):
        for c in range(n_cols):
            h, w = rows / n_rows, cols / n_cols
            r0, r1 = int(r * h + h * (1 - frac) / 2), int(r * h + h * (1 + frac) / 2)
            c0, c1 = int(c * w + w * (1 - frac) / 2), int(c * w + w * (1 + frac) / 2)
            out.append(img[r0:r1, c0:c1].reshape(-1, img.shape[2]).mean(axis=0))
    return np.array(out)


def _true_xyz(reflectances, illuminant):
    """XYZ (perfect white Y = 1) of chart patches, via colour.sd_to_XYZ — independent of camsim."""
    refl, _ = spectra.colorchecker(reflectances, WAVE)
    il = colour.SpectralDistribution(dict(zip(WAVE, spectra.illuminant(illuminant, WAVE))))
    return np.array([colour.sd_to_XYZ(colour.SpectralDistribution(dict(zip(WAVE, r))), illuminant=il,
                                      shape=colour.SpectralShape(400, 700, 10)) for r in refl]) / 100


def _lab(xyz, white):
    return colour.XYZ_to_Lab(xyz, colour.XYZ_to_xy(white))


def test_colour_accuracy_on_held_out_chart():
    """Noise-free default camera, matrix fitted on BabelColor, tested on ColorChecker N Ohta
    under D65: mean CIEDE2000 ≤ 3 (exposure matched on the white patch only)."""
    scene = charts.macbeth(reflectances="ColorChecker N Ohta", illuminant="D65")
    cap = Camera(noise=False).capture(scene)
    ours = _patch_means(cap.rendering.xyz)
    truth = _true_xyz("ColorChecker N Ohta", "D65")
    ours = ours * truth[18, 1] / ours[18, 1]  # one scalar: exposure
    white = colour.xy_to_XYZ(colour.CCS_ILLUMINANTS["CIE 1931 2 Degree Standard Observer"]["D65"])
    de = colour.delta_E(_lab(ours, white), _lab(truth, white), method="CIE 2000")
    print(f"held-out ColorChecker ΔE2000 through the full chain: mean {de.mean():.2f}, max {de.max():.2f}")
    assert de.mean() <= 3.0


def test_illuminant_white_balance_neutralises_tungsten():
    """Macbeth under CIE A, ISP white balance for A: neutral patches have C*ab ≤ 3."""
    scene = charts.macbeth(illuminant="A")
    cam = Camera(noise=False, isp=ISP(white_balance="illuminant", scene_illuminant="A"))
    xyz = _patch_means(cam.capture(scene).rendering.xyz)
    white = colour.xy_to_XYZ(colour.CCS_ILLUMINANTS["CIE 1931 2 Degree Standard Observer"]["D65"])
    neutral = xyz[18:23] / xyz[18, 1] * 0.9  # white … dark grey
    lab = _lab(neutral, white)
    chroma = np.hypot(lab[:, 1], lab[:, 2])
    print("C* of neutral patches under A with illuminant correction:", np.round(chroma, 2))
    assert chroma.max() <= 3.0
    # Without correction the cast is obvious.
    raw_cast = _lab(_patch_means(Camera(noise=False).capture(scene).rendering.xyz)[18:19], white)
    assert np.hypot(raw_cast[0, 1], raw_cast[0, 2]) > 10


def test_color_preset_warm_and_noisier_than_deblur():
    scene = charts.macbeth(patch_size=32)
    color = Camera.preset("color", seed=1).capture(scene)
    deblur = Camera.preset("deblur", seed=1).capture(scene)
    lin = _patch_means(color.linear)
    rb = lin[18:22, 0] / lin[18:22, 2]
    print("color preset R/B of neutral patches:", np.round(rb, 2))
    assert np.all(rb >= 1.3)

    def snr(cap):
        g = _patch_means(cap.linear[..., 1:2], frac=0.4)[20, 0]
        rows, cols = cap.linear.shape[:2]
        patch = cap.linear[int(2.3 * rows / 4):int(2.7 * rows / 4), int(2.3 * cols / 6):int(2.7 * cols / 6), 1]
        return g / patch.std()

    print(f"SNR of a grey patch: color {snr(color):.1f}, deblur {snr(deblur):.1f}")
    assert snr(color) < snr(deblur)


def test_pixel_preset_columns_for_10_degree_scene():
    """25 µm pixels, f = 4 mm, 10°: 2·d_i·tan 5° / 25 µm ≈ 28 columns (ISETCam: 28)."""
    cap = Camera.preset("pixel", noise=False).capture(charts.macbeth())
    d_i = 1 / (1 / 4e-3 - 1 / 1.2)
    expected = 2 * d_i * np.tan(np.radians(5)) / 25e-6
    assert cap.image.shape[1] in (27, 28) and abs(cap.image.shape[1] - expected) <= 1.0


def _high_frequency_energy(linear):
    """Energy above 0.1 cycles/pixel of the edge's line-spread (row derivative), per unit step."""
    y = linear.mean(axis=2)
    rows = y[y.shape[0] // 4: 3 * y.shape[0] // 4]
    step = np.median(rows[:, -8:]) - np.median(rows[:, :8])
    d = np.diff(rows, axis=1) / step
    f = np.fft.rfftfreq(d.shape[1])
    power = (np.abs(np.fft.rfft(d, axis=1)) ** 2).mean(axis=0)
    return power[f > 0.1].sum()


def test_deblur_preset_removes_high_frequencies():
    """f/22 at 1 µm cuts off near 1/(λN) ≈ 0.083 cycles/pixel: energy above 0.1 cycles/pixel
    is ≤ 0.2× that of an f/4, 1 µm camera (noise off, edge chart finer than the pixels)."""
    scene = charts.slanted_edge(size=256, angle=5, fov=2.0)
    sharp = Camera(fnumber=4, aperture_diameter=1e-3, pixel_pitch=1e-6, noise=False).capture(scene)
    blurred = Camera.preset("deblur", noise=False).capture(scene)
    assert blurred.image.shape[1] < scene.cols  # chart sampled more finely than the pixels
    e_sharp, e_blur = _high_frequency_energy(sharp.linear), _high_frequency_energy(blurred.linear)
    print(f"energy > 0.1 cycles/pixel: f/4 {e_sharp:.4g}, f/22 {e_blur:.4g}, ratio {e_blur / e_sharp:.3f}")
    assert e_blur <= 0.2 * e_sharp


def test_capture_from_path_array_and_save(tmp_path):
    import imageio.v3 as iio

    path = tmp_path / "photo.jpg"
    rgb = (np.random.default_rng(0).random((40, 60, 3)) * 255).astype(np.uint8)
    iio.imwrite(path, rgb)
    cap = camsim.Camera(fnumber=22).capture(str(path), seed=0)
    assert cap.image.dtype == np.float32 and cap.image.min() >= 0 and cap.image.max() <= 1
    assert cap.scene.fov == 10.0 and cap.raw.cfa == "grbg"
    out16 = cap.save(tmp_path / "o16.png", bit_depth=16)
    import png  # pypng: an independent decoder that keeps 16-bit RGB (Pillow reduces it to 8 bits)

    width, height, rows, info = png.Reader(filename=str(out16)).asDirect()
    decoded = np.vstack([np.asarray(r, dtype=np.uint16) for r in rows]).reshape(height, width, 3)
    assert info["bitdepth"] == 16
    np.testing.assert_allclose(decoded / 65535, cap.image, atol=0.6 / 65535)
    cap2 = camsim.Camera(noise=False).capture(rgb, fov=5.0)
    assert cap2.scene.fov == 5.0


def test_same_seed_same_image():
    cam = Camera(pixel_pitch=5e-6)
    a = cam.capture(charts.macbeth(), seed=3).image
    b = cam.capture(charts.macbeth(), seed=3).image
    c = cam.capture(charts.macbeth(), seed=4).image
    np.testing.assert_array_equal(a, b)
    assert np.abs(a - c).max() > 0


def test_shortcuts():
    cam = Camera(fnumber=22, aperture_diameter=0.176e-3, pixel_pitch=1e-6, exposure_time=0.01, noise=False)
    assert cam.optics.focal_length == pytest.approx(22 * 0.176e-3)
    assert cam.sensor.pixel_pitch == 1e-6 and cam.sensor.exposure_time == 0.01
    assert not cam.sensor.noise.photon_shot
    assert Camera(fnumber=8).optics.focal_length == pytest.approx(Camera().optics.focal_length)
    assert Camera(exposure_time="auto").sensor.exposure_time is None
    assert cam.replace(fnumber=8).optics.fnumber == 8
    assert Camera.preset("deblur").optics.focal_length == pytest.approx(3.872e-3)


def test_auto_exposure_bias_doubles_exposure():
    cam = Camera(noise=False)
    oi = cam.optics.form_image(charts.macbeth())
    assert cam.replace(exposure_bias=1).exposure_for(oi) == pytest.approx(2 * cam.exposure_for(oi), rel=1e-12)


@pytest.mark.parametrize("kw, match", [({"fnumber": -1}, "fnumber"), ({"pixel_pitch": 0}, "pixel_pitch"),
                                       ({"exposure_time": "sometimes"}, "exposure_time"),
                                       ({"exposure_bias": np.nan}, "exposure_bias"), ({"noise": "yes"}, "noise"),
                                       ({"scene_light": "sunset"}, "scene_light"), ({"optics": 3}, "optics"),
                                       ({"seed": True}, "seed"), ({"seed": -1}, "seed"), ({"seed": 2**64}, "seed")])
def test_camera_bad_input(kw, match):
    with pytest.raises(ValueError, match=match):
        Camera(**kw)


def test_unknown_preset():
    with pytest.raises(ValueError, match="color"):
        Camera.preset("sepia")


def test_black_level_clamp_removes_the_dark_pedestal():
    """deblur needs a ~50 s exposure: 10 e⁻/s of dark current is ~500 e⁻ of pedestal. With the
    ISP's dark subtraction the image matches a sensor without dark current (up to dark shot
    noise); without it, the dark areas are lifted by the pedestal."""
    import dataclasses

    scene = charts.slanted_edge(size=128, angle=5, contrast=1.0, fov=2.0)  # left half: reflectance 0
    cam = Camera.preset("deblur", seed=0)
    clamped = cam.capture(scene)
    assert clamped.raw.exposure_time > 10
    lifted = cam.replace(isp=ISP(subtract_dark=False)).capture(scene)
    no_dark = cam.replace(sensor=dataclasses.replace(cam.sensor, dark_current=0.0)).capture(scene)
    dark = slice(None), slice(0, clamped.linear.shape[1] // 4)
    y_clamped, y_lifted, y_ref = (c.linear[dark].mean() for c in (clamped, lifted, no_dark))
    print(f"dark area, linear: no dark current {y_ref:.4f}; with dark current and subtraction "
          f"{y_clamped:.4f}, without subtraction {y_lifted:.4f}")
    assert abs(y_clamped - y_ref) < 0.2 * (y_lifted - y_ref)


def test_exposure_for_closed_form():
    """Uniform irradiance E on a monochrome sensor: auto-exposure t = level·full_well / (E·Δλ·QE·pitch²·FF), × 2**bias."""
    from camsim import Noise, Sensor
    from camsim.optical_image import OpticalImage

    pitch, ff, e, qe = 2.8e-6, 0.75, 1e17, 0.5
    sensor = Sensor(pixel_pitch=pitch, fill_factor=ff, size=(8, 8), cfa=None, wave=[550.0], qe=[qe], noise=Noise.off())
    oi = OpticalImage(np.full((8, 8, 1), e, np.float32), [550.0], pitch)
    rate = e * 10.0 * qe * pitch**2 * ff  # e⁻/s; a lone wavelength has a 10 nm bin
    for bias in (0.0, -1.5, 2.0):
        cam = Camera(sensor=sensor, exposure_bias=bias)
        assert cam.exposure_for(oi) == pytest.approx(0.95 * sensor.full_well / rate * 2**bias, rel=1e-6)
        assert cam.replace(exposure_time=0.01).exposure_for(oi) == pytest.approx(0.01 * 2**bias, rel=1e-12)
