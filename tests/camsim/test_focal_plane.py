"""The focal-plane grid (:mod:`camsim._focal_plane`): fast FFT lengths by padding (``fast_fft``)."""

import numpy as np
import pytest

import camsim
from camsim import Camera, Optics, Scene, charts
from camsim._focal_plane import fast_pad
from camsim.io import default_images, read_image


def _smooth(m: int) -> bool:
    """m has no prime factor above 11 (trial division, independent of scipy)."""
    for p in (2, 3, 5, 7, 11):
        while m % p == 0:
            m //= p
    return m == 1


@pytest.mark.parametrize("n", [1, 2, 13, 64, 99, 375, 500, 511, 1023, 1999])
def test_fast_pad_is_the_smallest_pad_with_a_smooth_length(n):
    for pad in (0, 1, 7, round(n / 8), n // 2):
        p = fast_pad(n, pad)
        assert p >= pad and _smooth(n + 2 * p)
        assert not any(_smooth(n + 2 * q) for q in range(pad, p))  # none smaller
        assert n + 2 * p <= 1.25 * (n + 2 * pad) + 2  # odd lengths: odd smooth numbers are sparser


def test_growth_of_one_eighth_padding():
    """1/8 padding (the default) grows the padded length by 1.6 % on average, never more than 12 %
    from 256 samples up (measured over every size 256 … 8192: 11.9 %)."""
    growth = [(n + 2 * fast_pad(n, int(n / 8 + 0.5))) / (n + 2 * int(n / 8 + 0.5)) for n in range(256, 8193)]
    assert max(growth) <= 1.12 and np.mean(growth) <= 1.02


def test_study_sizes():
    assert (375 + 2 * fast_pad(375, 47), 500 + 2 * fast_pad(500, 63)) == (495, 630)  # 469×626 = 7·67 × 2·313
    assert fast_pad(512, 64) == 64  # 640 is already fast: the default camera's 512² grid is unchanged


def _area(oi, rows, cols):
    pr, pc = oi.pad
    return oi.irradiance[pr:pr + rows, pc:pc + cols].astype(np.float64)


@pytest.fixture(scope="module")
def photo():
    img = read_image(default_images()[2])[:211, :313]  # 211 and 313 prime: padded 265×391 = 5·53 × 17·23
    return Scene.from_image(img, fov=10.0)


@pytest.mark.parametrize("fnumber", [4.0, 22.0])
@pytest.mark.parametrize("which", ["photo", "points"])
def test_fast_grid_wraps_less_light_than_the_exact_grid(photo, fnumber, which):
    """Zero padding: against a 1/2 pad (the reference with almost no wrap-around), the scene area of
    the fast grid is no further off than that of ISETCam's exact 1/8 grid, in every wavelength plane."""
    scene = photo if which == "photo" else charts.point_array(size=101, spacing=20, fov=10.0)
    optics = Optics(fnumber=fnumber)
    exact = optics.form_image(scene)
    fast = optics.form_image(scene, fast_fft=True)
    ref = optics.form_image(scene, pad=0.5)
    rows, cols = scene.rows, scene.cols
    (pr, pc), (fr, fc) = exact.pad, fast.pad
    assert (fr, fc) == (fast_pad(rows, pr), fast_pad(cols, pc)) and fr >= pr and fc >= pc
    assert _smooth(rows + 2 * fr) and _smooth(cols + 2 * fc)
    a, b, c = (_area(x, rows, cols) for x in (exact, fast, ref))
    peak = c.max(axis=(0, 1))
    err_exact = np.abs(a - c).max(axis=(0, 1)) / peak
    err_fast = np.abs(b - c).max(axis=(0, 1)) / peak
    assert np.all(err_fast <= err_exact + 2e-6)
    assert np.all(np.abs(b - a).max(axis=(0, 1)) / peak <= err_exact + 2e-6)  # the change is the wrap-around


def test_camera_uses_fast_grid_and_both_paths_agree(photo):
    cam = Camera(noise=False)
    assert cam.fast_fft and cam.config()["fast_fft"] is True
    assert not camsim.presets.isetcam().fast_fft  # ISETCam's grid for parity
    cap = cam.capture(photo)
    pr, pc = cap.optical_image.pad
    assert _smooth(photo.rows + 2 * pr) and _smooth(photo.cols + 2 * pc)
    assert cap.spectral_image.pad == (pr, pc)  # the lazy spectral image is on the capture's grid
    ref = Camera(noise=False, fast=False).capture(photo)  # per-wavelength path, same grid
    assert ref.optical_image.pad == (pr, pc)
    np.testing.assert_allclose(cap.raw.mean_electrons, ref.raw.mean_electrons, rtol=2e-5,
                               atol=2e-5 * ref.raw.mean_electrons.max())
    exact = Camera(noise=False, fast_fft=False).capture(photo)
    assert exact.raw.mean_electrons.shape == cap.raw.mean_electrons.shape  # same sensor, only the pad grew


@pytest.mark.parametrize("bad", ["yes", 1, None])
def test_fast_fft_must_be_a_bool(photo, bad):
    with pytest.raises(ValueError, match="`fast_fft`"):
        Camera(fast_fft=bad)
    with pytest.raises(ValueError, match="`fast_fft`"):
        Optics().form_image(photo, fast_fft=bad)
