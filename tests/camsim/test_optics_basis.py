"""The spectral optical image on the scene's basis (issue 16, item 4).

:meth:`camsim.Optics.form_image` with ``method='basis'`` (the default for low-rank
scenes) against the per-wavelength reference path (``method='per_wavelength'``), and
against an independent float64 NumPy/SciPy computation written here (thin lens,
Goodman's circular-pupil OTF, cos⁴ fall-off, zero padding, complex ``fft2``).
Relative error = max|fast − ref| / max|ref| per wavelength plane.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import scipy.fft as sfft

from camsim import Optics, Scene, charts, io

TOLERANCE = 1e-4  # issue 16: exact to 1e-4 of each plane's maximum


def _plane_rel(a: np.ndarray, b: np.ndarray) -> float:
    return float((np.abs(a.astype(np.float64) - b).max(axis=(0, 1)) / np.abs(b).max(axis=(0, 1))).max())


def _photo() -> Scene:
    return Scene.from_image(io.default_images()[0])


@pytest.mark.parametrize("fnumber", [2.8, 8.0, 22.0])
@pytest.mark.parametrize("make", [charts.point_array, charts.slanted_edge, _photo], ids=["points", "edge", "photo"])
def test_basis_path_equals_the_per_wavelength_path(make, fnumber):
    scene = make()
    assert scene.is_low_rank
    optics = Optics(fnumber=fnumber)
    fast = optics.form_image(scene)  # default: the basis path for a low-rank scene
    ref = optics.form_image(scene, method="per_wavelength")
    assert fast.irradiance.shape == ref.irradiance.shape and fast.pad == ref.pad
    assert fast.sample_spacing == ref.sample_spacing
    assert _plane_rel(fast.irradiance, ref.irradiance) <= TOLERANCE


@pytest.mark.parametrize("pad_value", ["zero", "mean", "border", "reflect"])
def test_basis_path_pad_values_and_crop(pad_value):
    img = np.random.default_rng(7).random((40, 56, 3)).astype(np.float32)
    scene = Scene.from_image(img, fov=1.0)
    optics = Optics(fnumber=4.0)
    for crop in (False, True):
        a = optics.form_image(scene, pad_value=pad_value, crop=crop, method="basis", wave_chunk=5)
        b = optics.form_image(scene, pad_value=pad_value, crop=crop, method="per_wavelength")
        assert a.pad == b.pad
        assert _plane_rel(a.irradiance, b.irradiance) <= TOLERANCE


def _independent_irradiance(scene: Scene, optics: Optics, pad: int) -> np.ndarray:
    """Float64 reference: radiance cube × π·T/(1 + 4N²(1+|m|)²) × cos⁴, zero pad, fft2 × OTF, crop."""
    f, s, n = optics.focal_length, scene.distance, optics.fnumber
    d = f * s / (s - f)
    m = d / s
    spacing = 2 * d * math.tan(math.radians(scene.fov) / 2) / scene.cols
    rows, cols = scene.rows, scene.cols
    y = (np.arange(rows) + 0.5 - rows / 2) * spacing
    x = (np.arange(cols) + 0.5 - cols / 2) * spacing
    cos4 = (d * d / (d * d + y[:, None] ** 2 + x[None, :] ** 2)) ** 2
    rad = scene.coefficients.astype(np.float64) @ scene.basis.astype(np.float64)
    e = rad * (np.pi / (1 + 4 * n * n * (1 + m) ** 2)) * cos4[:, :, None]
    e = np.pad(e, ((pad, pad), (pad, pad), (0, 0)))
    fy = sfft.fftfreq(e.shape[0], spacing)[:, None] * 1e-3
    fx = sfft.fftfreq(e.shape[1], spacing)[None, :] * 1e-3
    out = np.empty_like(e)
    for i, lam in enumerate(scene.wave):
        sn = np.hypot(fy, fx) * lam * 1e-6 * n
        sc = np.minimum(sn, 1.0)
        otf = np.where(sn < 1, 2 / np.pi * (np.arccos(sc) - sc * np.sqrt(1 - sc * sc)), 0.0)
        out[:, :, i] = np.real(sfft.ifft2(sfft.fft2(e[:, :, i]) * otf))
    return out


def test_basis_path_matches_an_independent_float64_computation():
    img = np.random.default_rng(1).random((32, 32, 3))
    scene = Scene.from_image(img, fov=0.5)
    optics = Optics(fnumber=8.0)
    got = optics.form_image(scene, method="basis")
    ref = _independent_irradiance(scene, optics, got.pad[0])
    assert got.pad == (4, 4)
    assert _plane_rel(got.irradiance, ref) <= TOLERANCE


def test_method_validation_and_full_cubes():
    scene = charts.point_array(size=16, spacing=8)
    with pytest.raises(ValueError, match="`method`"):
        Optics().form_image(scene, method="svd")
    cube = scene.materialized()
    with pytest.raises(ValueError, match="`method`"):
        Optics().form_image(cube, method="basis")
    # a full cube takes the reference path under 'auto': the very same numbers
    np.testing.assert_array_equal(Optics().form_image(cube).irradiance,
                                  Optics().form_image(cube, method="per_wavelength").irradiance)


@pytest.mark.parametrize("shape", [(1, 1), (2, 3), (9, 8), (10, 7), (64, 65)])
def test_otf_stack_on_half_the_rows_is_goodmans_otf(shape):
    from camsim import _otf

    wave, fnumber, spacing = np.array([420.0, 555.0, 690.0]), 5.6, 1.5e-6
    half = _otf.otf_stack(shape, spacing, wave, fnumber)
    spec = np.ones((wave.size, shape[0], shape[1] // 2 + 1), np.complex64)
    _otf.multiply_by_otf_stack(spec, half)
    fy = sfft.fftfreq(shape[0], spacing)[:, None] * 1e-3
    fx = sfft.rfftfreq(shape[1], spacing)[None, :] * 1e-3
    for i, lam in enumerate(wave):
        sn = np.minimum(np.hypot(fy, fx) * lam * 1e-6 * fnumber, 1.0)
        goodman = 2 / np.pi * (np.arccos(sn) - sn * np.sqrt(1 - sn * sn))  # Goodman (2017) eq. 7-35
        np.testing.assert_allclose(spec[i].real, goodman, atol=1e-6)
        assert not np.any(spec[i].imag)


@pytest.mark.parametrize("shape, n_c", [((16, 16), 3), ((15, 22), 12), ((8, 9), 5), ((7, 10), 1)])
def test_band_irfft2_equals_irfft2_of_the_zero_filled_spectrum(shape, n_c):
    from camsim import _otf

    rng = np.random.default_rng(5)
    full = np.zeros((2, shape[0], shape[1] // 2 + 1), np.complex128)
    full[:, :, :n_c] = rng.normal(size=(2, shape[0], n_c)) + 1j * rng.normal(size=(2, shape[0], n_c))
    ref = np.fft.irfftn(full, s=shape, axes=(-2, -1))  # numpy's pocketfft twin, float64
    got = _otf.band_irfft2(full[:, :, :n_c].astype(np.complex64), shape, workers=1)
    assert got.dtype == np.float32
    np.testing.assert_allclose(got, ref, atol=1e-5 * np.abs(ref).max())
    assert _otf.band_columns(np.zeros((1, 3, 4), np.float32)) == 1
    h = np.zeros((2, 3, 6), np.float32)
    h[1, 2, 3] = 0.5
    assert _otf.band_columns(h) == 4


@pytest.mark.parametrize("shape, spacing, fnumber", [((64, 65), 1.5e-6, 22.0), ((33, 20), 0.3e-6, 4.0),
                                                     ((40, 40), 5e-6, 2.8)])
def test_otf_stack_is_the_reference_otf_grid_bit_for_bit(shape, spacing, fnumber):
    from camsim import _otf

    wave = np.arange(400.0, 701.0, 10.0)
    half = _otf.otf_stack(shape, spacing, wave, fnumber)
    ref = _otf.otf_grid(_otf.fft_radial_frequency(shape, spacing), wave, fnumber)  # the per-wavelength path's
    np.testing.assert_array_equal(half, ref[:, : shape[0] // 2 + 1])


def _factored_calls(monkeypatch):
    from camsim import optics as optics_module

    used = []
    original = optics_module._form_factored

    def spy(*args, **kwargs):
        out = original(*args, **kwargs)
        used.append(out is not None)
        return out

    monkeypatch.setattr(optics_module, "_form_factored", spy)
    return used


@pytest.mark.parametrize("make, fnumber", [
    (lambda: charts.point_array(), 2.8),
    (lambda: charts.point_array(size=256, spacing=32, fov=40.0), 8.0),
    (lambda: charts.slanted_edge(fov=40.0), 4.0),
    (lambda: Scene.from_image(io.default_images()[0], fov=30.0), 2.8),
])
def test_factored_otf_path_is_used_where_smooth_and_equals_the_reference(monkeypatch, make, fnumber):
    used = _factored_calls(monkeypatch)
    scene, optics = make(), Optics(fnumber=fnumber)
    for crop in (False, True):
        fast = optics.form_image(scene, crop=crop)
        ref = optics.form_image(scene, crop=crop, method="per_wavelength")
        assert _plane_rel(fast.irradiance, ref.irradiance) <= TOLERANCE
    assert used == [True, True]


def test_factored_otf_is_not_used_where_the_cut_off_is_inside_the_grid(monkeypatch):
    from camsim import _otf

    used = _factored_calls(monkeypatch)
    Optics(fnumber=8.0).form_image(_photo())  # 320² at 10°: 700 nm cut-off 179 cycles/mm < Nyquist 236
    assert used == []
    assert _otf.otf_factors((400, 400), 2.1e-6, np.arange(400.0, 701.0, 10.0), 8.0) is None


def test_otf_factor_error_bound_holds_on_the_full_grid():
    """tau bounds the ℓ¹ norm of the error kernel IFFT(H − Σ_j P_j V_j), computed here on the
    whole fft2 grid from Goodman's OTF with numpy."""
    from camsim import _otf

    shape, spacing, fnumber = (48, 37), 4e-6, 2.8
    wave = np.arange(400.0, 701.0, 10.0)
    planes, v, tau = _otf.otf_factors(shape, spacing, wave, fnumber)
    fy = np.fft.fftfreq(shape[0], spacing)[:, None] * 1e-3
    fx = np.fft.fftfreq(shape[1], spacing)[None, :] * 1e-3
    rows_full = np.r_[np.arange(shape[0] // 2 + 1), shape[0] - np.arange(shape[0] // 2 + 1, shape[0])]
    cols_full = np.abs(np.fft.fftfreq(shape[1], 1.0 / shape[1])).astype(int)
    for n_j in (1, 2, 3, 5):
        for i in (0, 15, 30):
            sn = np.minimum(np.hypot(fy, fx) * wave[i] * 1e-6 * fnumber, 1.0)
            h = 2 / np.pi * (np.arccos(sn) - sn * np.sqrt(1 - sn * sn))
            approx = np.tensordot(v[:n_j, i], planes[:n_j].astype(np.float64), axes=1)[rows_full][:, cols_full]
            kernel = np.real(np.fft.ifft2(h - approx))
            assert np.abs(kernel).sum() <= tau[n_j - 1, i] * (1 + 1e-3) + 1e-6
