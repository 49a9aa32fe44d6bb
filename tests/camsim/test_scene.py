"""Scene: radiometry against colour-science, display round trip, low-rank storage, operations."""

import colour
import numpy as np
import pytest

import camsim
from camsim import charts, spectra
from camsim.display import Display

WAVE = spectra.DEFAULT_WAVE
SHAPE = colour.SpectralShape(400, 700, 10)


def _sd(values):
    return colour.SpectralDistribution(dict(zip(WAVE, values)))


def test_macbeth_patch_xyz_matches_colour_sd_to_xyz():
    """Each patch's XYZ (relative to the perfect white under D65, ×100) equals
    colour.sd_to_XYZ(reflectance, illuminant=D65) on the same grid within 0.5%."""
    scene = charts.macbeth(illuminant="D65", patch_size=4)
    xyz = scene.xyz
    y_white = camsim.colorimetry.luminance_from_photons(scene.illuminant, WAVE)
    refl, names = spectra.colorchecker("BabelColor Average", WAVE)
    d65 = _sd(spectra.illuminant("D65", WAVE))
    for k in range(24):
        r, c = divmod(k, 6)
        ours = xyz[r * 4 + 2, c * 4 + 2] / y_white * 100
        ref = colour.sd_to_XYZ(_sd(refl[k]), illuminant=d65, shape=SHAPE)
        np.testing.assert_allclose(ours, ref, rtol=5e-3, atol=1e-3, err_msg=names[k])


@pytest.mark.parametrize("target", [1.0, 100.0, 3210.5])
def test_uniform_scene_mean_luminance(target):
    scene = charts.uniform(illuminant="D65", mean_luminance=target)
    assert scene.mean_luminance == pytest.approx(target, rel=1e-6)
    assert scene.luminance.mean() == pytest.approx(target, rel=1e-6)


def test_from_image_round_trip_through_display_inverse():
    """scene XYZ → inverse of the display's primaries matrix (built here with
    colour.sd_to_XYZ) → sRGB encoding (colour.cctf_encoding) returns the input RGB."""
    rng = np.random.default_rng(3)
    rgb8 = rng.integers(0, 256, size=(12, 17, 3), dtype=np.uint8)
    display = Display.srgb()  # an sRGB-curve display; LCD-Apple (the default) has a measured table
    scene = camsim.Scene.from_image(rgb8, display=display)
    m = np.stack([colour.sd_to_XYZ(_sd(display.primaries[:, k]), k=683, method="Integration", shape=SHAPE)
                  for k in range(3)])
    linear = scene.xyz @ np.linalg.inv(m)
    back = colour.cctf_encoding(np.clip(linear, 0, 1), function="sRGB")
    np.testing.assert_allclose(back, rgb8 / 255.0, atol=1e-3)


def test_from_image_is_rank_3_and_materialises_consistently():
    img = np.random.default_rng(0).random((8, 9, 3))
    scene = camsim.Scene.from_image(img, mean_luminance=50.0)
    assert scene.rank == 3 and scene.is_low_rank
    full = scene.materialized()
    assert not full.is_low_rank
    np.testing.assert_allclose(full.luminance, scene.luminance, rtol=1e-5)
    assert full.mean_luminance == pytest.approx(50.0, rel=1e-5)


@pytest.mark.parametrize("image", [np.zeros((4, 5)), np.zeros((4, 5, 4), np.uint16), np.ones((3, 3, 1), np.float32)])
def test_from_image_accepts_grey_rgba_uint16(image):
    s = camsim.Scene.from_image(image)
    assert s.shape == (image.shape[0], image.shape[1], 31)


def test_from_image_path_and_errors(tmp_path):
    import imageio.v3 as iio

    p = tmp_path / "x.png"
    iio.imwrite(p, np.full((6, 7, 3), 128, np.uint8))
    assert camsim.Scene.from_image(p).name == "x.png"
    bad = tmp_path / "bad.png"
    bad.write_bytes(b"not an image")
    with pytest.raises(ValueError, match="image"):
        camsim.Scene.from_image(bad)
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        camsim.Scene.from_image(np.full((3, 3, 3), 1.5))
    with pytest.raises(ValueError, match="NaN"):
        camsim.Scene.from_image(np.full((3, 3, 3), np.nan))
    with pytest.raises(ValueError, match="empty"):
        camsim.Scene.from_image(np.zeros((0, 3, 3)))


def test_geometry_as_isetcam():
    """Default Macbeth: 10° at 1.2 m → width 2·1.2·tan 5°, spacing width/96."""
    s = charts.macbeth()
    assert s.width == pytest.approx(2 * 1.2 * np.tan(np.radians(5)), rel=1e-12)
    assert s.sample_spacing == pytest.approx(s.width / 96, rel=1e-12)
    assert s.sample_spacing_deg == pytest.approx(10 / 96)


def test_with_illuminant_divides_out_old_light():
    d65 = charts.macbeth(illuminant="D65")
    relit = d65.with_illuminant("A", keep_luminance=False)
    direct = charts.macbeth(illuminant="A", mean_luminance=None)
    # reflectance is preserved: relit / direct is a single constant
    ratio = relit.radiance / direct.radiance
    assert np.ptp(ratio) / ratio.mean() < 1e-5
    kept = d65.with_illuminant("A")
    assert kept.mean_luminance == pytest.approx(d65.mean_luminance, rel=1e-6)
    np.testing.assert_allclose(kept.reflectance, d65.reflectance, rtol=1e-4, atol=1e-6)


def test_crop_keeps_spacing():
    s = charts.macbeth()
    c = s.crop(16, 32, 16, 48)
    assert c.shape[:2] == (16, 48)
    assert c.sample_spacing == pytest.approx(s.sample_spacing, rel=1e-12)
    with pytest.raises(ValueError, match="height"):
        s.crop(60, 0, 10, 10)


@pytest.mark.parametrize("kw, match", [({"fov": 0}, "fov"), ({"fov": 180}, "fov"), ({"distance": -1}, "distance"),
                                       ({"distance": np.nan}, "distance")])
def test_bad_geometry(kw, match):
    with pytest.raises(ValueError, match=match):
        camsim.Scene.from_image(np.zeros((2, 2, 3)), **kw)


def test_bad_cube_and_luminance():
    with pytest.raises(ValueError, match="radiance"):
        camsim.Scene.from_radiance(np.zeros((3, 3)))
    with pytest.raises(ValueError, match="wave"):
        camsim.Scene.from_radiance(np.ones((3, 3, 5)), WAVE)
    with pytest.raises(ValueError, match="luminance"):
        charts.uniform().with_mean_luminance(-3)


def test_project_weights_must_be_on_the_wave_grid():
    scene = charts.uniform(size=4)
    np.testing.assert_allclose(scene.project(np.ones(WAVE.size)), scene.project(np.ones((WAVE.size, 1)))[..., 0])
    with pytest.raises(ValueError, match="weights"):
        scene.project(np.ones(WAVE.size - 1))
    with pytest.raises(ValueError, match="weights"):
        camsim.OpticalImage(np.ones((2, 2, WAVE.size), np.float32), WAVE, 1e-6).project(np.ones((3, WAVE.size)))


def test_vfov_follows_the_aspect_ratio():
    """Dead-method audit (issue 15): a 2:1 (cols:rows) scene's vertical FOV is 2·atan(tan(fov/2)/2)."""
    import math

    scene = camsim.charts.uniform(size=(16, 32), fov=20.0)
    assert scene.vfov == pytest.approx(math.degrees(2 * math.atan(math.tan(math.radians(10.0)) / 2)), rel=1e-9)
