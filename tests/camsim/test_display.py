"""Displays (LCD-Apple, sRGB), neutral rendering, photo round trip, ISETCam-parity camera.

References are computed here, independently of camsim's code: the shipped ISETCam CSV
tables read with NumPy, colour-science CMFs / sRGB colourspace / ΔE2000.
"""

from pathlib import Path

import colour
import numpy as np
import pytest

import camsim
from camsim import Camera, Display, Scene
from camsim.optical_image import OpticalImage

DATA = Path(camsim.__file__).parent / "data" / "isetcam"
WAVE = np.arange(400.0, 701.0, 10.0)
CMF = colour.MSDS_CMFS["CIE 1931 2 Degree Standard Observer"]


def _cmf(wave):
    return np.stack([np.interp(wave, CMF.wavelengths, CMF.values[:, k], left=0, right=0) for k in range(3)], 1)


def _xy(xyz):
    xyz = np.asarray(xyz, dtype=np.float64)
    return xyz[..., :2] / xyz.sum(axis=-1, keepdims=True)


def _lcd_apple_csv():
    spd = np.loadtxt(DATA / "lcd_apple_spd.csv", delimiter=",", skiprows=1)
    gamma = np.loadtxt(DATA / "lcd_apple_gamma.csv", delimiter=",", skiprows=1)[:, 1:]
    xyz_k = 683.0 * 4.0 * spd[:, 1:].T @ _cmf(spd[:, 0])  # (primary, XYZ), 4 nm table
    return spd, gamma, xyz_k


def _scene_xyz_mean(scene):
    """Mean XYZ of a scene by direct summation of its radiance (photons → energy) with colour-science CMFs."""
    h, c = 6.62607015e-34, 299792458.0
    energy = scene.radiance.reshape(-1, scene.n_wave).mean(axis=0) * h * c / (scene.wave * 1e-9)
    return 683.0 * 10.0 * energy @ _cmf(scene.wave)


# ----------------------------------------------------------------------------- LCD-Apple
@pytest.mark.parametrize("code", [128, 255])
def test_lcd_apple_grey_colour_and_luminance(code):
    """Grey through the default display: xy of Σₖ gammaₖ(code)·XYZₖ (4 nm CSV, colour-science CMFs) within
    0.001 (for 255 that is the display white, (0.3124, 0.3396)); luminance = Σₖ gammaₖ(code)·Yₖ to 1e-6."""
    _, gamma, xyz_k = _lcd_apple_csv()
    np.testing.assert_allclose(_xy(xyz_k.sum(0)), [0.3124, 0.3396], atol=1e-4)
    g = gamma[int(np.floor(code / 255 * 1023 + 0.5))]  # ISETCam: row round(v/255·1023)
    scene = Scene.from_image(np.full((8, 8, 3), code, np.uint8))
    xyz = _scene_xyz_mean(scene)
    assert np.abs(_xy(xyz) - _xy(g @ xyz_k)).max() < 0.001
    d = Display.default()
    y_k = 683.0 * 10.0 * d.primaries.T @ _cmf(WAVE)[:, 1]  # Y of the primaries on the scene grid
    assert scene.mean_luminance == pytest.approx(float(g @ y_k), rel=1e-6)
    assert xyz[1] == pytest.approx(float(g @ y_k), rel=1e-6)
    assert y_k.sum() == pytest.approx(118.15, rel=1e-3)  # band-averaged to 10 nm: within 0.1 % of the table


def test_lcd_apple_16_bit_and_float_interpolate_the_table():
    _, gamma, _ = _lcd_apple_csv()
    d = Display.lcd_apple()
    v = np.array([[0.3, 0.5, 0.9]])
    x = v * 1023
    i = np.floor(x).astype(int)
    want = gamma[i, [0, 1, 2]] * (1 - (x - i)) + gamma[i + 1, [0, 1, 2]] * (x - i)
    np.testing.assert_allclose(d.linearize(v), want, rtol=1e-12)
    v16 = np.array([[0, 32768, 65535]], np.uint16)
    np.testing.assert_allclose(d.linearize(v16), d.linearize(v16 / 65535.0), rtol=1e-12)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_lcd_apple_float_image_matches_np_interp(dtype):
    """Whole float images (odd shape, strided, endpoints and out-of-range values clipped) against
    numpy's own piecewise-linear interpolation of each table column."""
    _, gamma, _ = _lcd_apple_csv()
    d = Display.lcd_apple()
    rng = np.random.default_rng(11)
    v = rng.uniform(-0.05, 1.05, (41, 58, 3)).astype(dtype)
    v[0, 0] = [0.0, 1.0, 0.5]
    grid = np.linspace(0.0, 1.0, gamma.shape[0])
    for img in (v, v[:, ::3]):
        want = np.stack([np.interp(np.clip(img[..., c].astype(np.float64), 0, 1), grid, gamma[:, c])
                         for c in range(3)], axis=-1)
        np.testing.assert_allclose(d.linearize(img), want, rtol=1e-12, atol=1e-15)



@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_lcd_apple_uint_images_are_table_lookups(dtype):
    """Whole images (odd shapes, non-contiguous input): uint8 codes pick row round(v/255·(N−1)) of the
    table (ISETCam), uint16 codes interpolate it; every primary its own column."""
    _, gamma, _ = _lcd_apple_csv()
    d = Display.lcd_apple()
    rng = np.random.default_rng(5)
    v8 = rng.integers(0, 256, (37, 53, 3), dtype=np.uint8)
    want = gamma[np.floor(v8 / 255 * (gamma.shape[0] - 1) + 0.5).astype(int), np.arange(3)]
    got = d.linearize(v8, dtype=dtype)
    assert got.dtype == dtype and got.shape == v8.shape
    np.testing.assert_array_equal(got, want.astype(dtype))
    np.testing.assert_array_equal(d.linearize(v8[:, ::2], dtype=dtype), want[:, ::2].astype(dtype))
    v16 = rng.integers(0, 65536, (9, 11, 3), dtype=np.uint16)
    np.testing.assert_allclose(d.linearize(v16), d.linearize(v16 / 65535.0), rtol=1e-12)


# ----------------------------------------------------------------------------- sRGB display
def test_srgb_display_grey_is_d65_and_primaries_are_bt709():
    d = Display.srgb()
    scene = Scene.from_image(np.full((8, 8, 3), 0.5), display="srgb")
    assert np.abs(_xy(_scene_xyz_mean(scene)) - [0.3127, 0.3290]).max() < 0.0005
    want = np.asarray(colour.RGB_COLOURSPACES["sRGB"].matrix_RGB_to_XYZ).T * 100.0  # rows: R, G, B primaries
    got = 683.0 * 10.0 * d.primaries.T @ _cmf(WAVE)
    np.testing.assert_allclose(got / 100.0, want / 100.0, atol=1e-4)
    assert np.all(d.primaries >= 0)


def test_display_names_and_bad_input():
    assert Display.named("srgb").name.startswith("sRGB")
    with pytest.raises(ValueError, match="lcd-apple.*srgb"):
        Scene.from_image(np.zeros((4, 4, 3)), display="oled")
    p = Display.default().primaries
    bad = np.tile(np.linspace(0, 1, 16)[:, None], (1, 3))
    bad[5, 1] = 0.0
    with pytest.raises(ValueError, match="`transfer`.*monotonic"):
        Display(p, WAVE, bad)
    with pytest.raises(ValueError, match=r"`transfer`.*\[0, 1\]"):
        Display(p, WAVE, np.linspace(0, 1.5, 16))
    with pytest.raises(ValueError, match="`primaries`.*zero luminance"):
        Display(np.zeros_like(p), WAVE)
    with pytest.raises(ValueError, match="`luminance`"):
        Display.srgb(luminance=0.0)


# ----------------------------------------------------------------------------- neutral in, neutral out
def test_grey_through_camera_srgb_display_is_neutral():
    cap = Camera(noise=False).capture(np.full((48, 64, 3), 128, np.uint8), display="srgb")
    lin = cap.linear[10:-10, 10:-10].reshape(-1, 3).mean(0)
    assert lin.max() / lin.min() - 1 < 0.02


def test_grey_through_camera_lcd_apple_keeps_display_white():
    _, _, xyz_k = _lcd_apple_csv()
    cap = Camera(noise=False).capture(np.full((48, 64, 3), 255, np.uint8))
    lin = cap.linear[10:-10, 10:-10].reshape(-1, 3).mean(0).astype(np.float64)
    xyz = colour.RGB_to_XYZ(lin, colour.RGB_COLOURSPACES["sRGB"], apply_cctf_decoding=False)
    assert np.abs(_xy(xyz) - _xy(xyz_k.sum(0))).max() < 0.005


# ----------------------------------------------------------------------------- photo round trip
def test_colorchecker_photo_round_trip_delta_e():
    """24 ColorChecker patches as sRGB (colour-science, D65) → sRGB display → camera → ΔE2000 ≤ 3 (mean)."""
    cc = colour.CCS_COLOURCHECKERS["ColorChecker24 - After November 2014"]
    xyy = np.array(list(cc.data.values()))
    xyz = colour.xyY_to_XYZ(xyy)
    xyz_d65 = colour.chromatic_adaptation(xyz, colour.xy_to_XYZ(cc.illuminant), colour.xy_to_XYZ([0.3127, 0.3290]))
    lin = np.clip(colour.XYZ_to_RGB(xyz_d65, colour.RGB_COLOURSPACES["sRGB"], apply_cctf_encoding=False), 0, 1)
    srgb = colour.cctf_encoding(lin, function="sRGB")
    p = 32
    img = np.zeros((4 * p, 6 * p, 3))
    for k in range(24):
        r, c = divmod(k, 6)
        img[r * p:(r + 1) * p, c * p:(c + 1) * p] = srgb[k]
    out = Camera(noise=False).capture(img, display="srgb").linear.astype(np.float64)
    rows, cols = out.shape[:2]
    got = np.array([out[int((k // 6 + 0.5) * rows / 4) - 3:int((k // 6 + 0.5) * rows / 4) + 3,
                        int((k % 6 + 0.5) * cols / 6) - 3:int((k % 6 + 0.5) * cols / 6) + 3].reshape(-1, 3).mean(0)
                    for k in range(24)])
    got *= lin[18, 1] / got[18, 1]  # white patch (index 18) matched in G
    cs = colour.RGB_COLOURSPACES["sRGB"]
    lab = lambda rgb: colour.XYZ_to_Lab(colour.RGB_to_XYZ(rgb, cs, apply_cctf_decoding=False), cs.whitepoint)  # noqa: E731
    de = colour.delta_E(lab(lin), lab(got), method="CIE 2000")
    assert de.mean() <= 3.0, de.round(2)


# ----------------------------------------------------------------------------- ISETCam-parity camera
def test_isetcam_camera_mean_electrons_uniform_d65():
    """Mean e⁻ per channel for a uniform D65 irradiance: t·pitch²·FF·Σ E·filter·Δλ, filters from the CSV."""
    cam = Camera.preset("isetcam", noise=False)
    d65 = colour.SDS_ILLUMINANTS["D65"]
    e = np.interp(WAVE, d65.wavelengths, d65.values) * 1e16  # photons/(s·m²·nm)
    oi = OpticalImage(np.broadcast_to(e.astype(np.float32), (40, 40, WAVE.size)).copy(), WAVE, 2e-6)
    t = 0.01
    raw = cam.sensor.expose(oi, exposure_time=t, seed=1)
    filt = np.loadtxt(DATA / "sensor_rgb_default.csv", delimiter=",", skiprows=1)
    qe = np.stack([np.interp(WAVE, filt[:, 0], filt[:, k + 1], left=0, right=0) for k in range(3)], 1)
    want = t * (2.8e-6) ** 2 * 0.75 * (e * 10.0) @ qe
    chan = cam.sensor.channel_map(raw.mean_electrons.shape)
    m = raw.mean_electrons[2:-2, 2:-2]
    ch = chan[2:-2, 2:-2]
    got = np.array([m[ch == k].mean() for k in range(3)])
    np.testing.assert_allclose(got, want, rtol=5e-3)


def test_isetcam_camera_settings_and_shape():
    cam = camsim.presets.isetcam()
    s, isp = cam.sensor, cam.isp
    assert (s.pixel_pitch, s.fill_factor, s.full_well, s.read_noise, s.dark_current, s.cfa) == \
        (2.8e-6, 0.75, 10000.0, 10.0, 10.0, "grbg")
    assert (isp.demosaic, isp.white_balance, isp.preserve_white, isp.fit_scene_light) == ("bilinear", "none", False, False)
    cap = cam.replace(noise=False).capture(np.full((64, 128, 3), 200, np.uint8))
    rows, cols = cap.raw.data.shape
    # ISETCam sensorSetSizeToFOV: k = width/(88·pitch); ceil(round(72k)/2)·2, ceil(round(88k)/2)·2
    width = 2 * cap.optical_image.image_distance * np.tan(np.radians(5.0))
    k = width / (88 * 2.8e-6)
    assert abs(cols - 88 * k) <= 2 and rows == int(np.ceil(np.floor(72 * k + 0.5) / 2) * 2)
    assert "isetcam" not in camsim.presets.names() and len(camsim.presets.describe()) == 3
    assert Camera(noise=False).sensor.size_rule == "scene"


def test_xyz_to_linear_rgb_inverts_rgb_to_xyz_and_degrees_per_dot():
    """Dead-method audit (issue 15): the inverse matrix round-trips; one dot's visual angle is atan(pitch / d)."""
    import math

    d = camsim.Display.srgb()
    rgb = np.array([[0.2, 0.5, 0.9], [1.0, 1.0, 1.0]])
    np.testing.assert_allclose(d.xyz_to_linear_rgb(rgb @ d.rgb_to_xyz), rgb, rtol=1e-12, atol=1e-12)
    assert d.degrees_per_dot == pytest.approx(math.degrees(math.atan(0.0254 / d.dpi / d.viewing_distance)), rel=1e-12)


def test_xyz_to_linear_rgb_matches_colour_science_srgb():
    """Independent reference: colour-science's sRGB primaries and D65 white (IEC 61966-2-1), Y scaled to the luminance."""
    cs = colour.RGB_COLOURSPACES["sRGB"]
    xyz_to_rgb = np.linalg.inv(colour.normalised_primary_matrix(cs.primaries, cs.whitepoint))
    xyz = np.array([[20.0, 30.0, 40.0], [95.047, 100.0, 108.883], [5.0, 1.0, 0.3]])
    for luminance in (100.0, 250.0):
        d = Display.srgb(luminance=luminance)
        # 5e-4: the Gaussian-band primaries reproduce the sRGB primaries on the 10 nm CMF grid to ~1e-4
        np.testing.assert_allclose(d.xyz_to_linear_rgb(xyz), (xyz / luminance) @ xyz_to_rgb.T, atol=5e-4)


def test_degrees_per_dot_small_angle_series():
    """Independent reference: one dot of pitch p = 25.4 mm / dpi at distance d subtends p/d − (p/d)³/3 rad (Taylor)."""
    import math

    for d in (Display.srgb(), Display.lcd_apple()):
        x = 0.0254 / d.dpi / d.viewing_distance
        assert d.degrees_per_dot == pytest.approx(math.degrees(x - x**3 / 3), rel=1e-11)
    assert Display.lcd_apple().degrees_per_dot == pytest.approx(0.0303, abs=5e-5)  # 96 dpi at 0.5 m
