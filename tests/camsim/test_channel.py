"""Fast (spectral-basis) camera path against the per-wavelength reference path.

The reference is :meth:`camsim.Optics.form_image` (one FFT pair per wavelength) followed
by the spectral projection ``Δλ·Σ_λ E·QE_c`` that :meth:`camsim.Sensor.electron_rate`
applies, in float64. The fast path is :func:`camsim._channel.form_channel_image`. Both are
float32 computations of the same linear map, so they agree to float32 rounding (a few
1e-7); the tolerance asked of them is :data:`TOLERANCE_FAST`. The numba kernels are
checked against plain NumPy twins in ``test_kernels_spectral.py`` and ``test_kernels_resample.py``.
"""

import dataclasses
import os
import tracemalloc

import imageio.v3 as iio
import numpy as np
import pytest

import camsim
from camsim import Camera, Noise, Optics, Scene, Sensor, _otf, charts, spectra
from camsim.display import Display
from camsim._channel import ChannelImage, form_channel_image
from camsim.optical_image import OpticalImage
from camsim.scene import read_image
from camsim.units import wave_bin_width


TOLERANCE_FAST = 1e-4  # max |fast − reference| / max |reference| (channel signal, electrons)
TOLERANCE_RENDER = 1e-4  # max |fast − reference| of rendered images in [0, 1]
WAVE = spectra.DEFAULT_WAVE
IMAGE_DIR = os.path.join(os.path.dirname(camsim.__file__), "data", "images")


def _rel(a, b):
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    return float(np.abs(a - b).max() / np.abs(b).max())


# --------------------------------------------------------------------------- scenes


def _random_image_scene():
    rgb = np.random.default_rng(0).integers(0, 256, (96, 128, 3), dtype=np.uint8)
    return Scene.from_image(rgb, name="random")


def _embedded_image_scene():
    rgb = iio.imread(os.path.join(IMAGE_DIR, "astronaut.png"))[150:246, 180:308]
    return Scene.from_image(rgb, name="astronaut crop")


def _smooth_cube(rows=48, cols=64, rank=5, seed=1):
    """Full cube (basis=None) of exactly ``rank`` smooth (Gaussian-bump) spectra, photons/(s·sr·m²·nm)."""
    rng = np.random.default_rng(seed)
    centres = np.linspace(420, 680, rank)
    basis = np.exp(-0.5 * ((WAVE[None, :] - centres[:, None]) / 40.0) ** 2) * 1e16
    coef = rng.random((rows, cols, rank))
    return Scene.from_radiance((coef @ basis).astype(np.float32), WAVE, illuminant=basis.sum(axis=0),
                               name="smooth cube")


SCENES = {
    "random image (rank 3)": _random_image_scene,
    "embedded image (rank 3)": _embedded_image_scene,
    "macbeth (full cube → SVD)": lambda: charts.macbeth().low_rank(1e-4),
    "macbeth (full cube, identity basis)": charts.macbeth,
    "grey chart (rank 1)": lambda: charts.slanted_edge(size=64),
}


def _reference_signal(oi: OpticalImage, qe):
    """Δλ·Σ_λ E·QE_c in float64, (rows, cols, n_ch)."""
    w = qe * wave_bin_width(oi.wave)[:, None]
    return (oi.irradiance.reshape(-1, oi.n_wave).astype(np.float64) @ w).reshape(oi.rows, oi.cols, -1)


# --------------------------------------------------------------------------- fast vs reference


@pytest.mark.parametrize("scene_name", list(SCENES))
@pytest.mark.parametrize("pad_value", ["zero", "mean", "border"])
@pytest.mark.parametrize("cos4", [True, False])
@pytest.mark.parametrize("fnumber", [4.0, 22.0])
def test_channel_image_equals_per_wavelength_reference(scene_name, pad_value, cos4, fnumber):
    """Channel signal on the whole padded grid and noise-free electrons, Bayer and monochrome."""
    scene = SCENES[scene_name]()
    optics = Optics(fnumber=fnumber, relative_illumination=cos4)
    oi = optics.form_image(scene, pad_value=pad_value)
    for cfa in ("grbg", None):
        sensor = Sensor(cfa=cfa, noise=Noise.off())
        qe = sensor.qe_on(scene.wave)
        ci = form_channel_image(optics, scene, qe, pad_value=pad_value)
        assert ci.signal.shape == (oi.rows, oi.cols, sensor.n_channels)
        assert ci.pad == oi.pad and ci.sample_spacing == oi.sample_spacing
        assert ci.image_distance == oi.image_distance
        assert _rel(ci.signal, _reference_signal(oi, qe)) <= TOLERANCE_FAST
        assert _rel(sensor.electron_rate(ci), sensor.electron_rate(oi)) <= TOLERANCE_FAST


def test_channel_image_crop_and_workers():
    scene = _random_image_scene()
    optics = Optics()
    qe = Sensor().qe_on(scene.wave)
    full = form_channel_image(optics, scene, qe)
    crop = form_channel_image(optics, scene, qe, crop=True, workers=1)
    pr, pc = full.pad
    assert crop.pad == (0, 0) and crop.signal.shape == (scene.rows, scene.cols, 3)
    np.testing.assert_allclose(crop.signal, full.signal[pr:pr + scene.rows, pc:pc + scene.cols],
                               rtol=0, atol=1e-6 * float(full.signal.max()))


def test_full_cube_identity_path_chunks_agree():
    scene = charts.macbeth()
    optics = Optics(fnumber=8)
    qe = Sensor().qe_on(scene.wave)
    a = form_channel_image(optics, scene, qe, wave_chunk=31).signal
    for chunk in (1, 5, 8):
        assert _rel(form_channel_image(optics, scene, qe, wave_chunk=chunk).signal, a) <= 1e-6


def test_low_rank_scene_with_more_channels_than_basis_functions():
    """Rank 1 scene, 3 channels: the channel spectra need their own array (not in place)."""
    scene = charts.uniform(size=(20, 24))
    assert scene.rank == 1
    optics = Optics()
    qe = Sensor().qe_on(scene.wave)
    assert _rel(form_channel_image(optics, scene, qe).signal, _reference_signal(optics.form_image(scene), qe)) \
        <= TOLERANCE_FAST


def test_lens_transmittance_is_in_the_effective_otf():
    scene = _random_image_scene()
    optics = Optics(transmittance=(WAVE, np.linspace(0.5, 0.9, WAVE.size)))
    qe = Sensor().qe_on(scene.wave)
    assert _rel(form_channel_image(optics, scene, qe).signal, _reference_signal(optics.form_image(scene), qe)) \
        <= TOLERANCE_FAST


# --------------------------------------------------------------------------- camera


CAMERAS = {
    "default": lambda: Camera(noise=False),
    "monochrome": lambda: Camera(sensor=Sensor(cfa=None), noise=False),
    "color": lambda: Camera.preset("color", noise=False),
    "pixel": lambda: Camera.preset("pixel", noise=False),
    "deblur": lambda: Camera.preset("deblur", noise=False),
}


@pytest.mark.parametrize("camera_name", list(CAMERAS))
@pytest.mark.parametrize("scene_name", ["random image (rank 3)", "embedded image (rank 3)", "smooth cube",
                                        "grey chart (rank 1)"])
def test_capture_fast_equals_reference(camera_name, scene_name):
    """Whole chain, noise off: rendered images agree to 1e-4 (absolute, in [0, 1])."""
    scene = _smooth_cube() if scene_name == "smooth cube" else SCENES[scene_name]()
    fast = CAMERAS[camera_name]()
    reference = fast.replace(fast=False)
    a, b = fast.capture(scene), reference.capture(scene)
    assert isinstance(a.optical_image, ChannelImage) and isinstance(b.optical_image, OpticalImage)
    assert a.image.shape == b.image.shape
    assert np.abs(a.image.astype(np.float64) - b.image).max() <= TOLERANCE_RENDER
    assert np.abs(a.linear.astype(np.float64) - b.linear).max() <= TOLERANCE_RENDER
    assert _rel(a.raw.mean_electrons, b.raw.mean_electrons) <= TOLERANCE_FAST
    assert a.raw.exposure_time == pytest.approx(b.raw.exposure_time, rel=TOLERANCE_FAST)


def test_camera_path_choice():
    """Low rank → fast; full cube of SVD rank < n_wave/2 → fast; Macbeth (rank 24 ≥ 15.5) → reference."""
    cam = Camera(noise=False)
    assert isinstance(cam.form_image(_random_image_scene()), ChannelImage)
    assert isinstance(cam.form_image(_smooth_cube()), ChannelImage)
    assert charts.macbeth().low_rank(camsim.camera.FULL_CUBE_RTOL).rank >= WAVE.size / 2
    assert isinstance(cam.form_image(charts.macbeth()), OpticalImage)
    assert isinstance(cam.replace(fast=False).form_image(_random_image_scene()), OpticalImage)
    with pytest.raises(ValueError, match="fast"):
        Camera(fast="yes")


def test_capture_spectral_optical_image_on_demand():
    cam = Camera(noise=False)
    cap = cam.capture(_random_image_scene())
    assert isinstance(cap.optical_image, ChannelImage)
    oi = cap.spectral_optical_image()
    np.testing.assert_array_equal(oi.irradiance, cam.optics.form_image(cap.scene).irradiance)
    ref_cap = cam.replace(fast=False).capture(_random_image_scene())
    assert ref_cap.spectral_optical_image() is ref_cap.optical_image


def test_capture_computes_the_electron_rate_once(monkeypatch):
    calls = []
    original = Sensor.electron_rate

    def counting(self, oi):
        calls.append(type(oi).__name__)
        return original(self, oi)

    monkeypatch.setattr(Sensor, "electron_rate", counting)
    Camera(noise=False).capture(_random_image_scene())
    Camera(noise=False, fast=False).capture(_random_image_scene())
    assert calls == ["ChannelImage", "OpticalImage"]


def test_capture_with_fixed_exposure_and_bias():
    scene = _random_image_scene()
    for cam in (Camera(noise=False, exposure_time=0.01, exposure_bias=-1), Camera(noise=False, exposure_bias=1)):
        a, b = cam.capture(scene), cam.replace(fast=False).capture(scene)
        assert a.raw.exposure_time == pytest.approx(b.raw.exposure_time, rel=1e-6)
    assert Camera(noise=False, exposure_time=0.01, exposure_bias=-1).capture(scene).raw.exposure_time == 0.005


def test_same_size_images_share_the_effective_otf():
    """Luminance scaling goes into the coefficients, so every image keeps the display basis
    and the effective OTFs are computed once per camera and image size (colour preset:
    relit by CIE A, then scaled back to its luminance)."""
    rng = np.random.default_rng(9)
    images = [rng.integers(0, 256, (40, 56, 3), dtype=np.uint8) for _ in range(3)]
    a, b = (Scene.from_image(im, mean_luminance=lum) for im, lum in zip(images, (30.0, 80.0)))
    np.testing.assert_array_equal(a.basis, b.basis)
    cam = Camera.preset("color", noise=False)
    cam.capture(images[0])
    before = len(_otf._otf_cache)
    for im in images[1:]:
        cam.capture(im)
    assert len(_otf._otf_cache) == before


# --------------------------------------------------------------------------- sensor API


def test_sensor_rejects_channel_image_for_another_qe():
    scene = _random_image_scene()
    optics = Optics()
    ci = form_channel_image(optics, scene, Sensor().qe_on(scene.wave))
    with pytest.raises(ValueError, match="QE"):
        Sensor(cfa=None).electron_rate(ci)
    with pytest.raises(ValueError, match="QE"):
        Sensor(qe=Sensor().qe * 0.5).expose(ci, exposure_time=0.01)
    ci_mono = form_channel_image(optics, scene, Sensor(cfa=None).qe_on(scene.wave))
    assert Sensor(cfa=None).electron_rate(ci_mono).shape == Sensor(cfa=None).size_for(ci_mono)


def test_sensor_channel_image_on_another_wave_grid():
    """The QE check uses the sensor's QE resampled to the image's wavelengths."""
    scene = _random_image_scene().with_wave(np.arange(400.0, 701.0, 20.0))
    sensor = Sensor(noise=Noise.off())
    optics = Optics()
    ci = form_channel_image(optics, scene, sensor.qe_on(scene.wave))
    assert _rel(sensor.electron_rate(ci), sensor.electron_rate(optics.form_image(scene))) <= TOLERANCE_FAST


def test_form_channel_image_bad_input():
    scene = _random_image_scene()
    with pytest.raises(ValueError, match="qe"):
        form_channel_image(Optics(), scene, np.ones((30, 3)))
    with pytest.raises(ValueError, match="qe"):
        form_channel_image(Optics(), scene, -np.ones((31, 3)))
    with pytest.raises(ValueError, match="pad_value"):
        form_channel_image(Optics(), scene, np.ones((31, 3)), pad_value="edge")
    with pytest.raises(ValueError, match="scene"):
        form_channel_image(Optics(), np.ones((4, 4, 31)), np.ones((31, 3)))


def test_channel_image_validation():
    with pytest.raises(ValueError, match="qe"):
        ChannelImage(np.ones((4, 4, 3), np.float32), WAVE, np.ones((31, 2)), 1e-6)
    with pytest.raises(ValueError, match="sample_spacing"):
        ChannelImage(np.ones((4, 4, 1), np.float32), WAVE, np.ones(31), 0.0)
    ci = ChannelImage(np.ones((4, 6), np.float64), WAVE, np.ones(31), 1e-6)
    assert ci.signal.dtype == np.float32 and ci.n_channels == 1 and ci.planes.shape == (1, 4, 6)


def test_expose_rate_equals_expose():
    scene = _random_image_scene()
    sensor = Sensor(prnu=1.0, dsnu=2.0, bit_depth=10)
    oi = Optics().form_image(scene)
    a = sensor.expose(oi, seed=5)
    b = sensor.expose_rate(sensor.electron_rate(oi), seed=5)
    np.testing.assert_array_equal(a.electrons, b.electrons)
    np.testing.assert_array_equal(a.digital, b.digital)
    assert a.exposure_time == b.exposure_time
    with pytest.raises(ValueError, match="rate"):
        sensor.expose_rate(np.ones(5))
    with pytest.raises(ValueError, match="rate"):
        sensor.expose_rate(-np.ones((4, 4)))
    with pytest.raises(ValueError, match="size"):
        dataclasses.replace(sensor, size=(4, 4)).expose_rate(np.ones((6, 6)), exposure_time=1.0)


# --------------------------------------------------------------------------- SVD compression


def test_low_rank_error_is_within_tolerance():
    """‖X − X_r‖_F ≤ rtol·‖X‖_F for a random smooth-spectra cube (rank 12 plus small noise)."""
    rng = np.random.default_rng(2)
    centres = rng.uniform(400, 700, 12)
    basis = np.exp(-0.5 * ((WAVE[None, :] - centres[:, None]) / rng.uniform(20, 80, 12)[:, None]) ** 2)
    cube = rng.random((40, 50, 12)) @ basis + 1e-3 * rng.random((40, 50, WAVE.size))
    scene = Scene.from_radiance((cube * 1e16).astype(np.float32), WAVE)
    x = scene.radiance.astype(np.float64)
    ranks = []
    for rtol in (1e-1, 1e-2, 1e-3, 1e-4):
        lr = scene.low_rank(rtol)
        err = np.linalg.norm(lr.radiance.astype(np.float64) - x) / np.linalg.norm(x)
        assert err <= rtol
        ranks.append(lr.rank)
        np.testing.assert_allclose(lr.basis.astype(np.float64) @ lr.basis.T, np.eye(lr.rank), atol=1e-6)
    assert ranks == sorted(ranks) and ranks[0] < ranks[-1] <= WAVE.size


def test_low_rank_exact_rank_and_rtol_zero():
    cube = _smooth_cube(rank=3)
    assert cube.low_rank(1e-4).rank == 3
    assert cube.low_rank(0.0).rank == WAVE.size
    full = cube.low_rank(0.0)
    np.testing.assert_allclose(full.radiance, cube.radiance, rtol=0, atol=1e-5 * float(cube.radiance.max()))
    # a low-rank scene is re-compressed, never grown
    img = _random_image_scene()
    assert img.low_rank(0.0).rank == 3 and img.low_rank(1e-4).rank <= 3
    assert _rel(img.low_rank(1e-6).radiance, img.radiance) <= 1e-5
    lr = charts.macbeth().low_rank(1e-3)
    assert lr.illuminant is not None and lr.fov == charts.macbeth().fov and lr.name == charts.macbeth().name


@pytest.mark.parametrize("rtol", [-1e-3, np.nan, "small", True])
def test_low_rank_bad_rtol(rtol):
    with pytest.raises(ValueError, match="rtol"):
        _smooth_cube().low_rank(rtol)


# --------------------------------------------------------------------------- Scene.from_image


@pytest.mark.parametrize("make", [
    lambda rng: rng.integers(0, 256, (20, 30, 3), dtype=np.uint8),
    lambda rng: rng.integers(0, 65536, (20, 30, 3), dtype=np.uint16),
    lambda rng: rng.integers(0, 256, (20, 30), dtype=np.uint8),
    lambda rng: rng.random((20, 30, 4)),
    lambda rng: rng.random((20, 30, 3)).astype(np.float32),
])
def test_from_image_lookup_table_equals_direct_linearisation(make):
    # An analytic-curve display (sRGB): its code tables equal the formula on v/255, v/65535.
    # (LCD-Apple's uint8 codes take ISETCam's row round(v/255·1023) instead: test_display.py.)
    img = make(np.random.default_rng(0))
    display = Display.srgb()
    want = display.linearize(read_image(img)).astype(np.float32)
    np.testing.assert_array_equal(Scene.from_image(img, display=display).coefficients, want)
    scaled = Scene.from_image(img, mean_luminance=40.0, display=display)
    later = Scene.from_image(img, display=display).with_mean_luminance(40.0)
    np.testing.assert_array_equal(scaled.coefficients, later.coefficients)
    np.testing.assert_array_equal(scaled.illuminant, later.illuminant)


# --------------------------------------------------------------------------- memory


def test_fast_capture_never_holds_the_cube():
    """Traced peak memory of a fast capture stays well below one padded spectral cube."""
    rgb = np.random.default_rng(0).integers(0, 256, (300, 400, 3), dtype=np.uint8)
    cam = Camera(noise=False)
    cam.capture(rgb)  # warm: caches, numba
    cube_bytes = 376 * 500 * WAVE.size * 4  # padded (300 + 2·38) × (400 + 2·50) × 31 float32
    tracemalloc.start()
    try:
        cam.capture(rgb)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 0.4 * cube_bytes


# --------------------------------------------------------------------------- kernels vs NumPy twins


# --------------------------------------------------------------------------- rounding clip rule


def test_clip_rounding_negatives_rule():
    rng = np.random.default_rng(8)
    planes = rng.random((3, 16, 16)).astype(np.float32)
    planes[0, 0, 0] = -0.5 * _otf.CLIP_TOLERANCE * planes[0].max()  # rounding → clipped
    planes[1, 0, 0] = -10 * _otf.CLIP_TOLERANCE * planes[1].max()  # ringing → plane left alone
    before = planes.copy()
    _otf.clip_rounding_negatives(planes)
    assert planes[0, 0, 0] == 0.0 and planes[1, 0, 0] == before[1, 0, 0]
    np.testing.assert_array_equal(planes[2], before[2])


def test_cos4_map_is_cached_and_read_only():
    a = _otf.cos4((30, 40), 1e-6, 4e-3)
    assert _otf.cos4((30, 40), 1e-6, 4e-3) is a and not a.flags.writeable


# ----------------------------------------------------------------------------- the fast path's home (issue 15)
# camsim._channel used by the camera, deprecated aliases at the old places, the lazy spectral image.

def _scene(seed: int = 3) -> Scene:
    img = np.random.default_rng(seed).random((24, 32, 3)).astype(np.float32)
    return Scene.from_image(img, fov=2.0, distance=1.2)


def test_optics_form_channel_image_is_a_deprecated_alias():
    scene, optics = _scene(), Optics(fnumber=8.0)
    qe = Sensor().qe_on(scene.wave)
    new = form_channel_image(optics, scene, qe, pad_value="mean")
    with pytest.warns(DeprecationWarning, match="form_channel_image"):
        old = optics.form_channel_image(scene, qe, pad_value="mean")
    np.testing.assert_array_equal(old.signal, new.signal)
    assert old.pad == new.pad and old.sample_spacing == new.sample_spacing
    # and both are the reference path projected on the QE (float64 here)
    e = optics.form_image(scene, pad_value="mean").irradiance.astype(np.float64)
    ref = e @ (qe * wave_bin_width(scene.wave)[:, None])
    assert np.max(np.abs(new.signal - ref)) <= 1e-5 * np.max(ref)


def test_channel_image_old_import_path_is_deprecated():
    import camsim.optical_image as oi_module

    with pytest.warns(DeprecationWarning, match="_channel"):
        cls = oi_module.ChannelImage
    assert cls is ChannelImage
    assert "ChannelImage" not in oi_module.__all__
    with pytest.raises(AttributeError):
        oi_module.NoSuchName  # noqa: B018


def test_capture_spectral_image_is_lazy_cached_and_uses_the_capture_pad(monkeypatch):
    calls = []
    original = Optics.form_image

    def counting(self, scene, **kw):
        calls.append(kw)
        return original(self, scene, **kw)

    monkeypatch.setattr(Optics, "form_image", counting)
    cam = Camera(noise=False, pad_value="reflect")
    cap = cam.capture(_scene())
    assert isinstance(cap.optical_image, ChannelImage)
    assert calls == []  # the fast path never forms the spectral cube
    a = cap.spectral_image
    assert len(calls) == 1 and calls[0]["pad_value"] == "reflect"
    assert cap.spectral_image is a and cap.spectral_optical_image() is a
    assert len(calls) == 1  # computed once
    ref = original(cam.optics, cap.scene, pad_value="reflect")
    np.testing.assert_array_equal(a.irradiance, ref.irradiance)
    # the sensor's projection of the spectral image gives the capture's channel signal
    qe = cam.sensor.qe_on(cap.scene.wave) * wave_bin_width(cap.scene.wave)[:, None]
    proj = a.irradiance.astype(np.float64) @ qe
    assert np.max(np.abs(proj - cap.optical_image.signal)) <= 1e-5 * np.max(proj)


def test_sensor_accepts_the_channel_image_from_its_new_home():
    scene = _scene()
    ci = form_channel_image(Optics(), scene, Sensor().qe_on(scene.wave))
    assert Sensor().size_for(ci) == Sensor().size_for(Optics().form_image(scene))
    assert camsim.Sensor().electron_rate(ci).shape == Sensor().size_for(ci)


def test_reference_camera_takes_the_per_wavelength_path(monkeypatch):
    calls = []
    original = Optics.form_image

    def counting(self, scene, **kw):
        calls.append(kw.get("method"))
        return original(self, scene, **kw)

    monkeypatch.setattr(Optics, "form_image", counting)
    Camera(noise=False, fast=False).capture(_scene())
    assert calls == ["per_wavelength"]


# ----------------------------------------------------------------------------- band-limited transforms
def test_band_columns_hold_every_nonzero_otf_column():
    """Past the columns `_band_columns` keeps, the effective OTF is exactly zero (f/22: the cut-off
    is inside the band); the last kept column is not all zero, so the bound is tight."""
    from camsim import _channel

    shape, spacing, wave = (96, 130), 1.3e-6, np.arange(400.0, 701.0, 10.0)
    n_c = _channel._band_columns(shape, spacing, wave, 22.0)
    assert n_c < shape[1] // 2 + 1
    g = _otf.effective_otf(shape, spacing, wave, 22.0, np.ones((3, 3, wave.size)))
    assert not np.any(g[..., n_c:]) and np.any(g[..., n_c - 1])
    assert _channel._band_columns(shape, spacing, wave, 4.0) == shape[1] // 2 + 1  # f/4: no pruning here


@pytest.mark.parametrize("pad_value", ["zero", "reflect"])
def test_band_limited_transforms_equal_the_full_ones(monkeypatch, pad_value):
    from camsim import _channel

    rgb = iio.imread(os.path.join(IMAGE_DIR, "astronaut.png"))[150:246, 180:308]
    scene = Scene.from_image(rgb, fov=2.0)  # 1.06 µm samples: the f/22 cut-off is inside the band
    optics, qe = Optics(fnumber=22.0), Sensor().qe_on(scene.wave)
    kept = []
    real = _channel._band_rfft2
    monkeypatch.setattr(_channel, "_band_rfft2", lambda p, n_c, w: kept.append(n_c / (p.shape[-1] // 2 + 1))
                        or real(p, n_c, w))
    pruned = form_channel_image(optics, scene, qe, pad_value=pad_value)
    assert kept and max(kept) < 0.75  # the band-limited transforms did run
    monkeypatch.setattr(_channel, "BAND_PRUNE_FRACTION", 0.0)  # never prune
    full = form_channel_image(optics, scene, qe, pad_value=pad_value)
    assert _rel(pruned.signal, full.signal) <= 2e-6
