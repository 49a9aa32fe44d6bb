"""
Issue 14 item 7: a table of bad inputs across the public API and the CLI.

Each API row is a call, the exception type it must raise and a substring naming the
parameter (or option) the user got wrong; each CLI row is an argv that must exit with
status 2 and print exactly one line on stderr naming the option, no traceback.
Nothing here may be accepted silently.
"""

import numpy as np
import pytest

import camsim
from camsim import ISP, Camera, Display, Noise, Optics, Scene, Sensor, charts, metrics, spectra, units
from camsim.cli import main

GREY = np.full((8, 10, 3), 0.5)
W = spectra.DEFAULT_WAVE
E = (ValueError,)
T = (TypeError,)
VT = (ValueError, TypeError)


def _raw():
    return Camera(noise=False).capture(np.full((40, 50, 3), 0.5)).raw


def _cap():
    return Camera.preset("pixel", noise=False).capture(np.full((40, 50, 3), 0.5))


API = [
    # -------------------------------------------------------------- Optics
    ("optics-fnumber-neg", lambda: Optics(fnumber=-1), E, "fnumber"),
    ("optics-fnumber-zero", lambda: Optics(fnumber=0), E, "fnumber"),
    ("optics-fnumber-nan", lambda: Optics(fnumber=float("nan")), E, "fnumber"),
    ("optics-fnumber-inf", lambda: Optics(fnumber=float("inf")), E, "fnumber"),
    ("optics-fnumber-str", lambda: Optics(fnumber="f/4"), VT, "fnumber"),
    ("optics-focal-neg", lambda: Optics(focal_length=-4e-3), E, "focal_length"),
    ("optics-focal-zero", lambda: Optics(focal_length=0.0), E, "focal_length"),
    ("optics-aperture-neg", lambda: Optics(fnumber=4, aperture_diameter=-1e-3), E, "aperture_diameter"),
    ("optics-three-given", lambda: Optics(fnumber=4, focal_length=4e-3, aperture_diameter=2e-3), E, "aperture_diameter"),
    ("optics-transmittance-neg", lambda: Optics(transmittance=-0.5), E, "transmittance"),
    ("optics-transmittance-big", lambda: Optics(transmittance=1.5), E, "transmittance"),
    ("optics-relillum-str", lambda: Optics(relative_illumination="yes"), VT, "relative_illumination"),
    ("optics-mtf-freq-nan", lambda: Optics().mtf([np.nan], [550.0]), E, "freq"),
    ("optics-mtf-wave-neg", lambda: Optics().mtf([1.0], [-550.0]), E, "wave"),
    ("optics-image-distance", lambda: Optics().image_distance(1e-3), E, "scene_distance"),
    ("optics-form-not-scene", lambda: Optics().form_image(GREY), E, "scene"),
    ("optics-form-pad-neg", lambda: Optics().form_image(charts.uniform(size=8), pad=-1), E, "pad"),
    ("optics-form-padvalue", lambda: Optics().form_image(charts.uniform(size=8), pad_value="wrap"), E, "pad_value"),
    ("optics-form-workers", lambda: Optics().form_image(charts.uniform(size=8), workers=0), E, "workers"),
    ("optics-form-crop", lambda: Optics().form_image(charts.uniform(size=8), crop="no"), E, "crop"),
    # -------------------------------------------------------------- Sensor
    ("sensor-pitch-neg", lambda: Sensor(pixel_pitch=-1e-6), E, "pixel_pitch"),
    ("sensor-pitch-zero", lambda: Sensor(pixel_pitch=0), E, "pixel_pitch"),
    ("sensor-pitch-nan", lambda: Sensor(pixel_pitch=float("nan")), E, "pixel_pitch"),
    ("sensor-fill-zero", lambda: Sensor(fill_factor=0), E, "fill_factor"),
    ("sensor-fill-big", lambda: Sensor(fill_factor=1.5), E, "fill_factor"),
    ("sensor-size-neg", lambda: Sensor(size=(-2, 4)), E, "size"),
    ("sensor-size-tuple3", lambda: Sensor(size=(2, 4, 6)), E, "size"),
    ("sensor-size-float", lambda: Sensor(size=(2.5, 4)), VT, "size"),
    ("sensor-size-rule", lambda: Sensor(size_rule="fit"), E, "size_rule"),
    ("sensor-cfa", lambda: Sensor(cfa="rgbw"), E, "cfa"),
    ("sensor-qe-shape", lambda: Sensor(qe=np.ones((5, 3))), E, "qe"),
    ("sensor-qe-neg", lambda: Sensor(qe=-np.ones((W.size, 3))), E, "qe"),
    ("sensor-wave-desc", lambda: Sensor(wave=W[::-1]), E, "wave"),
    ("sensor-conv-gain", lambda: Sensor(conversion_gain=0), E, "conversion_gain"),
    ("sensor-swing", lambda: Sensor(voltage_swing=-1), E, "voltage_swing"),
    ("sensor-dark-neg", lambda: Sensor(dark_current=-1), E, "dark_current"),
    ("sensor-read-neg", lambda: Sensor(read_noise=-1), E, "read_noise"),
    ("sensor-exposure-neg", lambda: Sensor(exposure_time=-1.0), E, "exposure_time"),
    ("sensor-exposure-str", lambda: Sensor(exposure_time="long"), VT, "exposure_time"),
    ("sensor-ae-level", lambda: Sensor(auto_exposure_level=2.0), E, "auto_exposure_level"),
    ("sensor-noise-type", lambda: Sensor(noise="off"), VT, "noise"),
    ("sensor-bitdepth", lambda: Sensor(bit_depth=0), E, "bit_depth"),
    ("sensor-expose-not-oi", lambda: Sensor().electron_rate(GREY), E, "optical_image"),
    ("sensor-expose-rate-seed", lambda: Sensor(size=(4, 4)).expose_rate(np.ones((4, 4)), exposure_time=1e-3, seed=-1), E, "seed"),
    ("sensor-expose-rate-t", lambda: Sensor(size=(4, 4)).expose_rate(np.ones((4, 4)), exposure_time=0.0), E, "exposure_time"),
    ("noise-type", lambda: Noise(photon_shot="yes"), VT, "photon_shot"),
    # -------------------------------------------------------------- ISP
    ("isp-demosaic", lambda: ISP(demosaic="magic"), E, "demosaic"),
    ("isp-wb", lambda: ISP(white_balance="auto-ish"), E, "white_balance"),
    ("isp-wb-tuple", lambda: ISP(white_balance=(1.0, -1.0, 1.0)), E, "white_balance"),
    ("isp-calib", lambda: ISP(calibration_illuminant="Z99"), E, "calibration_illuminant"),
    ("isp-chart", lambda: ISP(chart="no chart"), E, "chart"),
    ("isp-render-ndarray", lambda: ISP().render(np.zeros((4, 4))), T, "`raw` must be a camsim.Raw"),
    ("isp-render-none", lambda: ISP().render(None), T, "`raw` must be a camsim.Raw"),
    ("isp-render-scene-light", lambda: ISP(fit_scene_light=True).render(_raw(), scene_light=np.ones(3)), E, "scene_light"),
    # -------------------------------------------------------------- Camera
    ("camera-optics-type", lambda: Camera(optics="f/4"), VT, "optics"),
    ("camera-sensor-type", lambda: Camera(sensor=None), VT, "sensor"),
    ("camera-isp-type", lambda: Camera(isp=3), VT, "isp"),
    ("camera-bias-big", lambda: Camera(exposure_bias=50), E, "exposure_bias"),
    ("camera-bias-str", lambda: Camera(exposure_bias="one"), E, "exposure_bias"),
    ("camera-seed-neg", lambda: Camera(seed=-1), E, "seed"),
    ("camera-seed-float", lambda: Camera(seed=1.5), E, "seed"),
    ("camera-light", lambda: Camera(scene_light="candle"), E, "scene_light"),
    ("camera-fast", lambda: Camera(fast="yes"), E, "fast"),
    ("camera-pad", lambda: Camera(pad_value="wrap"), E, "pad_value"),
    ("camera-fnumber", lambda: Camera(fnumber=-2), E, "fnumber"),
    ("camera-pitch", lambda: Camera(pixel_pitch=0), E, "pixel_pitch"),
    ("camera-exposure-str", lambda: Camera(exposure_time="long"), E, "exposure_time"),
    ("camera-exposure-neg", lambda: Camera(exposure_time=-1.0), E, "exposure_time"),
    ("camera-exposure-dark-full", lambda: Camera(exposure_time=1e9).capture(GREY), E, "exposure_time"),
    ("camera-noise", lambda: Camera(noise="off"), E, "noise"),
    ("camera-preset-name", lambda: Camera.preset("sepia"), E, "name"),
    ("camera-preset-change", lambda: Camera.preset("pixel", fnumber=0), E, "fnumber"),
    ("camera-replace-unknown", lambda: Camera().replace(colour="red"), T, "colour"),
    ("camera-capture-fov", lambda: Camera().capture(GREY, fov=200), E, "fov"),
    ("camera-capture-fov-neg", lambda: Camera().capture(GREY, fov=-1), E, "fov"),
    ("camera-capture-distance", lambda: Camera().capture(GREY, distance=0), E, "distance"),
    ("camera-capture-lum", lambda: Camera().capture(GREY, mean_luminance=-5), E, "mean_luminance"),
    ("camera-capture-seed", lambda: Camera().capture(GREY, seed=-4), E, "seed"),
    ("camera-capture-display", lambda: Camera().capture(GREY, display="crt"), E, "display"),
    ("camera-capture-image-range", lambda: Camera().capture(GREY * 3), E, "image"),
    ("camera-capture-image-nan", lambda: Camera().capture(GREY * np.nan), E, "image"),
    ("camera-capture-image-shape", lambda: Camera().capture(np.zeros((4, 4, 5))), E, "image"),
    ("camera-capture-image-int", lambda: Camera().capture(np.zeros((4, 4, 3), np.int32)), E, "image"),
    ("camera-capture-image-empty", lambda: Camera().capture(np.zeros((0, 4, 3))), E, "image"),
    ("camera-capture-missing", lambda: Camera().capture("/nonexistent/x.png"), E, "image"),
    ("camera-capture-type", lambda: Camera().capture(object()), VT, "image"),
    # -------------------------------------------------------------- Capture.save
    ("save-suffix", lambda: _cap().save("/tmp/x.xyz"), E, "path"),
    ("save-nosuffix", lambda: _cap().save("/tmp/x"), E, "path"),
    ("save-jpg-16", lambda: _cap().save("/tmp/x.jpg", bit_depth=16), E, "bit_depth"),
    ("save-bitdepth-12", lambda: _cap().save("/tmp/x.png", bit_depth=12), E, "bit_depth"),
    ("save-bitdepth-str", lambda: _cap().save("/tmp/x.png", bit_depth="16"), T, "bit_depth"),
    ("save-quality-png", lambda: _cap().save("/tmp/x.png", quality=90), E, "quality"),
    ("save-quality-range", lambda: _cap().save("/tmp/x.jpg", quality=0), E, "quality"),
    ("save-linear-str", lambda: _cap().save("/tmp/x.png", linear="yes"), T, "linear"),
    ("save-path-type", lambda: _cap().save(42), T, "path"),
    # -------------------------------------------------------------- io
    ("io-write-nan", lambda: camsim.io.write_image("/tmp/x.png", np.full((2, 2, 3), np.nan)), E, "image"),
    ("io-write-shape", lambda: camsim.io.write_image("/tmp/x.png", np.zeros((2, 2, 5))), E, "image"),
    ("io-write-alpha-jpg", lambda: camsim.io.write_image("/tmp/x.jpg", np.zeros((2, 2, 4))), E, "alpha"),
    ("io-write-suffix", lambda: camsim.io.write_image("/tmp/x.gif", np.zeros((2, 2, 3))), E, "path"),
    ("io-write-jpeg16", lambda: camsim.io.write_image("/tmp/x.jpeg", np.zeros((2, 2, 3)), bit_depth=16), E, "bit_depth"),
    ("io-read-missing", lambda: camsim.io.read_image("/nonexistent.png"), E, "image"),
    ("io-read-float-range", lambda: camsim.io.read_image(np.full((2, 2), 2.0)), E, "image"),
    # -------------------------------------------------------------- Scene
    ("scene-fromimage-wave", lambda: Scene.from_image(GREY, wave=[550]), E, "wave"),
    ("scene-fromimage-wave-neg", lambda: Scene.from_image(GREY, wave=[-1.0, 0.0]), E, "wave"),
    ("scene-fromimage-fov", lambda: Scene.from_image(GREY, fov=180), E, "fov"),
    ("scene-fromimage-distance", lambda: Scene.from_image(GREY, distance=-1), E, "distance"),
    ("scene-fromimage-display", lambda: Scene.from_image(GREY, display=3), VT, "display"),
    ("scene-fromimage-display-name", lambda: Scene.from_image(GREY, display="crt"), E, "display"),
    ("scene-fromimage-lum", lambda: Scene.from_image(GREY, mean_luminance=0), E, "mean_luminance"),
    ("scene-fromimage-name", lambda: Scene.from_image(GREY, name=5), E, "name"),
    ("scene-fromradiance-shape", lambda: Scene.from_radiance(np.ones((4, 4))), E, "radiance"),
    ("scene-fromradiance-neg", lambda: Scene.from_radiance(-np.ones((4, 4, W.size))), E, "radiance"),
    ("scene-fromradiance-wave", lambda: Scene.from_radiance(np.ones((4, 4, 3)), wave=[400.0, 500.0]), E, "wave"),
    ("scene-illuminant", lambda: Scene.from_radiance(np.ones((4, 4, W.size)), illuminant=np.ones(3)), E, "illuminant"),
    ("scene-with-illuminant", lambda: charts.uniform(size=4).with_illuminant("candle"), E, "illuminant"),
    ("scene-with-lum", lambda: charts.uniform(size=4).with_mean_luminance(-1), E, "luminance"),
    ("scene-project", lambda: charts.uniform(size=4).project(np.ones(3)), E, "weights"),
    # -------------------------------------------------------------- Display
    ("display-named", lambda: Display.named("crt"), E, "name"),
    ("display-primaries", lambda: Display(np.ones((3, 3)), W), E, "primaries"),
    ("display-transfer", lambda: Display(np.ones((W.size, 3)), W, transfer="log"), E, "transfer"),
    ("display-dpi", lambda: Display(np.ones((W.size, 3)), W, dpi=0), E, "dpi"),
    ("display-viewing", lambda: Display(np.ones((W.size, 3)), W, viewing_distance=-1), E, "viewing_distance"),
    # -------------------------------------------------------------- charts
    ("chart-macbeth-patch", lambda: charts.macbeth(patch_size=0), E, "patch_size"),
    ("chart-macbeth-refl", lambda: charts.macbeth(reflectances="nope"), E, "reflectances"),
    ("chart-macbeth-illum", lambda: charts.macbeth(illuminant="Z1"), E, "illuminant"),
    ("chart-edge-size", lambda: charts.slanted_edge(size=0), E, "size"),
    ("chart-edge-contrast", lambda: charts.slanted_edge(contrast=2), E, "contrast"),
    ("chart-sweep-size", lambda: charts.sweep_frequency(size=-3), E, "size"),
    ("chart-points-spacing", lambda: charts.point_array(spacing=0), E, "spacing"),
    ("chart-grid-thickness", lambda: charts.grid_lines(thickness=0), E, "thickness"),
    ("chart-uniform-refl", lambda: charts.uniform(reflectance=-0.1), E, "reflectance"),
    ("chart-uniform-size", lambda: charts.uniform(size=0), E, "size"),
    ("chart-deadleaves-r", lambda: charts.dead_leaves(r_min=0), E, "r_min"),
    ("chart-deadleaves-rmax", lambda: charts.dead_leaves(r_min=10, r_max=5), E, "r_max"),
    ("chart-deadleaves-seed", lambda: charts.dead_leaves(seed=-1), E, "seed"),
    ("chart-fov", lambda: charts.uniform(fov=0), E, "fov"),
    ("chart-lum", lambda: charts.uniform(mean_luminance=-1), E, "mean_luminance"),
    # -------------------------------------------------------------- spectra / units
    ("spectra-wavelengths-step", lambda: spectra.wavelengths(400, 700, 0), E, "step"),
    ("spectra-wavelengths-order", lambda: spectra.wavelengths(700, 400, 10), E, "stop"),
    ("spectra-illuminant", lambda: spectra.illuminant("Z9"), E, "name"),
    ("spectra-blackbody-neg", lambda: spectra.blackbody(-10), E, "temperature"),
    ("spectra-colorchecker", lambda: spectra.colorchecker("nope"), E, "name"),
    ("spectra-display", lambda: spectra.display_primaries("nope"), E, "name"),
    ("spectra-camera", lambda: spectra.camera_sensitivities("nope"), E, "name"),
    ("spectra-resample-len", lambda: spectra.resample(np.ones(3), W), E, "values"),
    ("units-check-wave-empty", lambda: units.check_wave([]), E, "wave"),
    ("units-check-wave-nan", lambda: units.check_wave([400.0, np.nan]), E, "wave"),
    ("units-e2p-shape", lambda: units.energy_to_photons(np.ones(3), W), E, "wave"),
    # -------------------------------------------------------------- resize
    ("resize-size-zero", lambda: camsim.resize_area(np.ones((4, 4)), (0, 2)), E, "size"),
    ("resize-size-type", lambda: camsim.resize_area(np.ones((4, 4)), 2), VT, "size"),
    ("resize-image-nd", lambda: camsim.resize_area(np.ones(4), (2, 2)), E, "image"),
    ("crop-image-nd", lambda: camsim.center_crop_square(np.ones(4)), E, "image"),
    # -------------------------------------------------------------- metrics
    ("psnr-shape", lambda: metrics.psnr(np.ones((4, 4)), np.ones((4, 5))), E, "shape"),
    ("psnr-range", lambda: metrics.psnr(np.ones((4, 4)), np.ones((4, 4)), data_range=0), E, "data_range"),
    ("ssim-shape", lambda: metrics.ssim(np.ones((8, 8)), np.ones((8, 9))), E, "shape"),
    ("deltae-method", lambda: metrics.delta_e(np.ones(3), np.ones(3), method="nope"), E, "method"),
    ("mtf50-level", lambda: metrics.mtf50([0, 1], [1, 0], level=2), E, "level"),
    ("sfr-oversample", lambda: metrics.sfr(np.ones((20, 20)), oversample=0), E, "oversample"),
    ("spd-display", lambda: metrics.samples_per_degree_display(-1, 0.5), E, "dpi"),
    ("spd-fov", lambda: metrics.samples_per_degree_fov(0, 10), E, "n_samples"),
    ("threads-zero", lambda: camsim.set_threads(0), E, "n"),
]


@pytest.mark.parametrize("call, exc, needle", [r[1:] for r in API], ids=[r[0] for r in API])
def test_api_rejects_bad_input(call, exc, needle):
    with pytest.raises(exc) as info:
        call()
    assert needle in str(info.value), f"message does not name {needle!r}: {info.value}"


def _image(tmp_path):
    import imageio.v3 as iio

    p = tmp_path / "x.png"
    iio.imwrite(p, np.full((30, 40, 3), 128, np.uint8))
    return str(p)


CLI = [
    # (id, argv with {img}/{tmp} placeholders, substring of the one error line)
    ("no-command", [], "command"),
    ("unknown-command", ["bogus"], "invalid choice"),
    ("no-inputs", ["simulate", "--preset", "pixel", "--out", "{tmp}/o"], "inputs"),
    ("no-out", ["simulate", "{img}", "--preset", "pixel"], "--out"),
    ("no-camera", ["simulate", "{img}", "--out", "{tmp}/o"], "--preset"),
    ("preset-unknown", ["simulate", "{img}", "--preset", "sepia", "--out", "{tmp}/o"], "preset"),
    ("missing-input", ["simulate", "{tmp}/none.png", "--preset", "pixel", "--out", "{tmp}/o"], "no such file"),
    ("empty-folder", ["simulate", "{tmp}/empty", "--preset", "pixel", "--out", "{tmp}/o"], "no images"),
    ("fnumber-neg", ["simulate", "{img}", "--fnumber", "-2", "--out", "{tmp}/o"], "--fnumber"),
    ("fnumber-text", ["simulate", "{img}", "--fnumber", "four", "--out", "{tmp}/o"], "--fnumber"),
    ("fnumber-nan", ["simulate", "{img}", "--fnumber", "nan", "--out", "{tmp}/o"], "--fnumber"),
    ("fnumber-inf", ["simulate", "{img}", "--fnumber", "inf", "--out", "{tmp}/o"], "--fnumber"),
    ("aperture-zero", ["simulate", "{img}", "--preset", "pixel", "--aperture", "0", "--out", "{tmp}/o"], "--aperture"),
    ("focal-neg", ["simulate", "{img}", "--preset", "pixel", "--focal-length", "-1", "--out", "{tmp}/o"], "--focal-length"),
    ("pitch-zero", ["simulate", "{img}", "--preset", "pixel", "--pixel-pitch", "0", "--out", "{tmp}/o"], "--pixel-pitch"),
    ("pitch-tiny", ["simulate", "{img}", "--preset", "pixel", "--pixel-pitch", "1e-9", "--max-memory", "16", "--out", "{tmp}/o"], "--pixel-pitch"),
    ("fov-179", ["simulate", "{img}", "--preset", "pixel", "--fov", "179", "--max-memory", "16", "--out", "{tmp}/o"], "--fov"),
    ("fov-180", ["simulate", "{img}", "--preset", "pixel", "--fov", "180", "--out", "{tmp}/o"], "--fov"),
    ("fov-neg", ["simulate", "{img}", "--preset", "pixel", "--fov", "-5", "--out", "{tmp}/o"], "--fov"),
    ("distance-zero", ["simulate", "{img}", "--preset", "pixel", "--distance", "0", "--out", "{tmp}/o"], "--distance"),
    ("distance-inside-lens", ["simulate", "{img}", "--preset", "pixel", "--distance", "1e-4", "--out", "{tmp}/o"], "--distance"),
    ("size-zero", ["simulate", "{img}", "--preset", "pixel", "--size", "0", "--out", "{tmp}/o"], "--size"),
    ("size-huge", ["simulate", "{img}", "--preset", "pixel", "--size", "100000", "--max-memory", "16", "--out", "{tmp}/o"], "--size"),
    ("size-text", ["simulate", "{img}", "--preset", "pixel", "--size", "big", "--out", "{tmp}/o"], "--size"),
    ("bitdepth-12", ["simulate", "{img}", "--preset", "pixel", "--bit-depth", "12", "--out", "{tmp}/o"], "--bit-depth"),
    ("seed-neg", ["simulate", "{img}", "--preset", "pixel", "--seed", "-1", "--out", "{tmp}/o"], "--seed"),
    ("seed-huge", ["simulate", "{img}", "--preset", "pixel", "--seed", str(2**70), "--out", "{tmp}/o"], "--seed"),
    ("jobs-zero", ["simulate", "{img}", "--preset", "pixel", "--jobs", "0", "--out", "{tmp}/o"], "--jobs"),
    ("noise-maybe", ["simulate", "{img}", "--preset", "pixel", "--noise", "maybe", "--out", "{tmp}/o"], "--noise"),
    ("exposure-zero", ["simulate", "{img}", "--preset", "pixel", "--exposure-time", "0", "--out", "{tmp}/o"], "--exposure-time"),
    ("exposure-huge", ["simulate", "{img}", "--preset", "pixel", "--exposure-time", "1e9", "--out", "{tmp}/o"], "--exposure-time"),
    ("bias-huge", ["simulate", "{img}", "--preset", "pixel", "--exposure-bias", "99", "--out", "{tmp}/o"], "exposure_bias"),
    ("max-memory-neg", ["simulate", "{img}", "--preset", "pixel", "--max-memory", "-1", "--out", "{tmp}/o"], "--max-memory"),
    ("max-memory-tiny", ["simulate", "{img}", "--preset", "pixel", "--max-memory", "1e-9", "--out", "{tmp}/o"], "--max-memory"),
    ("out-is-file", ["simulate", "{img}", "--preset", "pixel", "--out", "{img}"], "--out"),
    ("out-under-file", ["simulate", "{img}", "--preset", "pixel", "--out", "{img}/sub"], "--out"),
    ("unknown-option", ["simulate", "{img}", "--preset", "pixel", "--colour", "red", "--out", "{tmp}/o"], "--colour"),
]


@pytest.mark.parametrize("argv, needle", [r[1:] for r in CLI], ids=[r[0] for r in CLI])
def test_cli_rejects_bad_input_in_one_line(argv, needle, tmp_path, capsys):
    img = _image(tmp_path)
    (tmp_path / "empty").mkdir()
    argv = [a.replace("{img}", img).replace("{tmp}", str(tmp_path)) for a in argv]
    assert main(argv) == 2
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1, captured.err
    assert needle in lines[0] and "Traceback" not in captured.err
    assert not (tmp_path / "o").exists() or not any((tmp_path / "o").glob("*.png")), "work was done before refusing"


def test_table_size():
    assert len(API) + len(CLI) >= 150
