"""srgan.tasks: shapes for every task and mode, seeds, no border artefacts, and the
physics each camera task must show (measured on the photos bundled in installed wheels)."""

import numpy as np
import pytest

from srgan.resample import bicubic_image
from srgan.sources import embedded_sources
from srgan.tasks import get_task, register_task, task_names, TASKS

CAMERA_TASKS = ("sr_color", "sr_pixel", "sr_deblur")


def _srgb_to_linear(v):
    v = np.asarray(v, np.float64)
    return np.where(v <= 0.04045, v / 12.92, ((v + 0.055) / 1.055) ** 2.4)


@pytest.mark.parametrize("name", ["sr", *CAMERA_TASKS])
def test_shapes_both_modes_and_uniform_border(name):
    task = get_task(name, scale=2, lr_size=16)
    img = np.full((48, 64, 3), 0.5, np.float32)
    lr, hr = task.pair(img, seed=1)
    assert lr.shape == (16, 16, 3) and hr.shape == (32, 32, 3) and lr.dtype == hr.dtype == np.float32
    lr2, hr2 = task.patch_pair(img, 8, 20, seed=1)
    assert lr2.shape == (16, 16, 3) and hr2.shape == (32, 32, 3)
    for x in (lr, lr2):
        assert 0 <= x.min() and x.max() <= 1
        # no dark frame from zero padding: the outer band matches the interior within 2 %
        interior = x[4:-4, 4:-4].mean(axis=(0, 1))
        for band in (x[:2].mean(axis=(0, 1)), x[-2:].mean(axis=(0, 1)), x[:, :2].mean(axis=(0, 1)), x[:, -2:].mean(axis=(0, 1))):
            np.testing.assert_allclose(band, interior, rtol=0.02)


def test_seeds_and_registry():
    task = get_task("sr_color", scale=2, lr_size=16)
    img = np.random.default_rng(0).random((40, 40, 3)).astype(np.float32)
    a, b, c = task.pair(img, seed=5)[0], task.pair(img, seed=5)[0], task.pair(img, seed=6)[0]
    np.testing.assert_array_equal(a, b)
    assert np.abs(a - c).max() > 1e-3
    assert set(CAMERA_TASKS) | {"sr"} <= set(task_names())
    t = register_task("sr_test_f8", "deblur", changes={"fnumber": 8.0}, replace=True)
    try:
        assert t.camera().optics.fnumber == 8.0 and t.camera().pad_value == "reflect"
        with pytest.raises(ValueError, match="already registered"):
            register_task("sr_test_f8", "deblur")
    finally:
        TASKS.pop("sr_test_f8")
    with pytest.raises(ValueError, match="scale"):
        get_task("sr", scale=3)
    with pytest.raises(ValueError, match="top"):
        get_task("sr").patch_pair(np.zeros((130, 130, 3)), 5, 0)


@pytest.fixture(scope="module")
def photos():
    srcs = embedded_sources()
    if len(srcs) < 3:
        pytest.skip("needs scikit-image / matplotlib sample photos")
    return [s.load() for s in srcs]


@pytest.fixture(scope="module")
def pairs(photos):
    return {name: [get_task(name).pair(p, seed=i) for i, p in enumerate(photos)] for name in ("sr", "sr_color", "sr_deblur")}


def test_sr_color_is_warmer(pairs):
    """Neutral regions (HR chroma < 0.06) have a higher R/B in the LR than in the HR (tungsten light, D65 processing)."""
    lr_rb, hr_rb = [], []
    for lr, hr in pairs["sr_color"]:
        hd = bicubic_image(hr, lr.shape[:2])
        neutral = (np.ptp(hd, axis=2) < 0.06) & (hd.mean(axis=2) > 0.15)
        if neutral.sum() >= 5:
            lr_rb.append(lr[neutral, 0].mean() / lr[neutral, 2].mean())
            hr_rb.append(hd[neutral, 0].mean() / hd[neutral, 2].mean())
    assert len(lr_rb) >= 2
    assert np.all(np.array(lr_rb) > 1.2 * np.array(hr_rb)), (lr_rb, hr_rb)


def _high_freq_fraction(img):
    g = img.mean(axis=2) - img.mean()
    w = np.hanning(g.shape[0])[:, None] * np.hanning(g.shape[1])[None, :]
    p = np.abs(np.fft.fft2(g * w)) ** 2
    f = np.hypot(*np.meshgrid(np.fft.fftfreq(g.shape[0]), np.fft.fftfreq(g.shape[1]), indexing="ij"))
    return p[f > 0.25].sum() / p.sum()


def test_sr_deblur_has_less_high_frequency_energy(pairs):
    for (lr_d, _), (lr_s, _) in zip(pairs["sr_deblur"], pairs["sr"]):
        assert _high_freq_fraction(lr_d) < 0.8 * _high_freq_fraction(lr_s)


def test_sr_pixel_camera_has_about_28_columns():
    """25 µm pixels over a 10° field at f = 4 mm: 2·f·tan(5°)/25 µm ≈ 28 columns."""
    cam = get_task("sr_pixel").camera()
    out = cam.capture(np.full((96, 128, 3), 0.5), fov=10.0, seed=0).image
    f = cam.optics.image_distance(1.2)
    predicted = 2 * f * np.tan(np.radians(5.0)) / 25e-6
    assert abs(out.shape[1] - predicted) <= 1 and 27 <= out.shape[1] <= 29


def _dl_mtf(nu, cutoff):
    s = np.clip(nu / cutoff, 0, 1)
    return 2 / np.pi * (np.arccos(s) - s * np.sqrt(1 - s * s))


def test_patch_edge_spread_matches_diffraction():
    """
    Edge 10–90 % width of a ``patches``-mode sr_deblur LR vs the analytic prediction:
    incoherent diffraction-limited MTF of a circular pupil at f/22, averaged over the
    camera's wavelengths weighted by the green QE, times the LR pixel's box (area
    resize) and the sensor pixel aperture; LSF = inverse cosine transform; ESF its
    integral. The LR pixel pitch on the sensor follows from the patch's field of view.
    """
    task = get_task("sr_deblur")
    cam = task.camera()
    n, cols = task.hr_size, 512
    img = np.full((n, cols, 3), 0.25, np.float32)
    img[:, 320:] = 0.7  # vertical edge at patch column 64 (an LR pixel boundary)
    lr, _ = task.patch_pair(img, 0, 256, seed=0)
    prof = _srgb_to_linear(lr[4:-4, :, 1]).mean(axis=0)
    lo, hi = prof[:6].mean(), prof[-6:].mean()
    e = (prof - lo) / (hi - lo)

    def crossing(level):
        i = int(np.argmax(e >= level))
        return i - 1 + (level - e[i - 1]) / (e[i] - e[i - 1])

    measured = crossing(0.9) - crossing(0.1)  # LR pixels

    fov_patch = task.fov * n / cols
    width = 2 * cam.optics.image_distance(1.2) * np.tan(np.radians(fov_patch / 2))  # m on the sensor
    p_lr = width / task.lr_size
    wave = cam.sensor.wave
    w = cam.sensor.qe[:, 1]
    nu = np.linspace(0, 1 / (wave.min() * 1e-9 * 22), 4000)  # cycles/m
    mtf = sum(wi * _dl_mtf(nu, 1 / (wl * 1e-9 * 22)) for wl, wi in zip(wave, w)) / w.sum()
    a = cam.sensor.pixel_pitch * np.sqrt(cam.sensor.fill_factor)
    mtf = mtf * np.abs(np.sinc(nu * p_lr)) * np.abs(np.sinc(nu * a))
    x = np.linspace(-6 * p_lr, 6 * p_lr, 2001)
    lsf = np.trapezoid(mtf[None, :] * np.cos(2 * np.pi * nu[None, :] * x[:, None]), nu, axis=1)
    esf = np.cumsum(lsf)
    esf = (esf - esf[0]) / (esf[-1] - esf[0])
    predicted = (np.interp(0.9, esf, x) - np.interp(0.1, esf, x)) / p_lr
    print(f"edge 10-90: measured {measured:.3f}, predicted {predicted:.3f} LR px")
    assert abs(measured / predicted - 1) < 0.25, (measured, predicted)
