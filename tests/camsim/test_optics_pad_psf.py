"""``pad='psf'`` (issue 16, item 5): the pad radius that holds all but 1e-4 of the
polychromatic PSF energy.

The radius is checked against the Airy pattern's encircled energy integrated
numerically here from the intensity [2J₁(v)/v]² (scipy.integrate.quad), not against the
closed form the code uses; the image with it against one with a much larger pad.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from scipy.integrate import quad
from scipy.special import j1

import camsim
from camsim import Camera, Optics, Scene, charts
from camsim._focal_plane import PSF_PAD_TAIL, focal_grid, psf_pad_radius


def _airy_energy_inside(radius: float, wave_nm: float, fnumber: float) -> float:
    """∫₀^v (2J₁(t)/t)² t dt / ∫₀^∞ (2J₁(t)/t)² t dt with v = π·r/(λN); the full integral is 2."""
    v = math.pi * radius / (wave_nm * 1e-9 * fnumber)
    f = lambda t: (2 * j1(t) / t) ** 2 * t if t > 0 else 0.0  # noqa: E731
    edges = np.linspace(0.0, v, int(v / math.pi) + 2)  # one oscillation per piece
    return sum(quad(f, a, b, limit=200, epsabs=1e-14)[0] for a, b in zip(edges[:-1], edges[1:])) / 2.0


@pytest.mark.parametrize("wave_nm, fnumber", [(550.0, 2.8), (700.0, 22.0)])
def test_monochromatic_radius_holds_all_but_the_tail(wave_nm, fnumber):
    from camsim import _otf

    r = _otf.airy_energy_radius(np.array([wave_nm]), np.array([1.0]), fnumber, PSF_PAD_TAIL)
    assert 1.0 - _airy_energy_inside(r, wave_nm, fnumber) == pytest.approx(PSF_PAD_TAIL, rel=1e-5)
    # the Airy tail falls as 2λN/(π²r): r ≈ 2026·λN
    assert r / (wave_nm * 1e-9 * fnumber) == pytest.approx(2 / (math.pi ** 2 * PSF_PAD_TAIL), rel=2e-3)


def test_polychromatic_radius_weights_by_the_mean_spectral_irradiance():
    wave = np.array([450.0, 550.0, 650.0])
    scene = Scene(np.ones((8, 8, 3), np.float32), np.diag([1.0, 2.0, 3.0]).astype(np.float32), wave, 10.0, 1.2)
    optics = Optics(fnumber=4.0, transmittance=(wave, [0.5, 1.0, 0.8]))
    r = psf_pad_radius(optics, scene)
    w = np.array([1.0, 2.0, 3.0]) * np.array([0.5, 1.0, 0.8])  # radiance × transmittance (the rest is common)
    outside = sum(wi * (1 - _airy_energy_inside(r, lam, 4.0)) for wi, lam in zip(w, wave)) / w.sum()
    assert outside == pytest.approx(PSF_PAD_TAIL, rel=1e-5)
    d, spacing, pr, pc = focal_grid(optics, scene, "psf")
    assert pr == pc == math.ceil(r / spacing)


def _rel(a, b):
    return float((np.abs(a.astype(np.float64) - b).max(axis=(0, 1)) / np.abs(b).max(axis=(0, 1))).max())


def test_psf_pad_error_inside_the_scene_against_a_larger_pad():
    scene = charts.point_array(size=32, spacing=8, fov=40.0, wave=np.array([450.0, 550.0, 650.0]))
    optics = Optics(fnumber=2.8)
    img = optics.form_image(scene, pad="psf")
    n = img.pad[0]
    assert n == math.ceil(psf_pad_radius(optics, scene) / img.sample_spacing) and n > 4
    ref = optics.form_image(scene, pad=3 * n / 32, crop=True).irradiance
    got = optics.form_image(scene, pad="psf", crop=True).irradiance
    eighth = optics.form_image(scene, crop=True).irradiance
    assert _rel(got, ref) <= 1e-5  # measured 1e-6 on a 64² chart at 20° (docstring of form_image)
    assert _rel(got, ref) < _rel(eighth, ref)


def test_pad_validation_and_camera():
    scene = charts.uniform(size=8)
    for bad in ("foo", "PSF", -0.1, float("nan"), True, None):
        with pytest.raises(ValueError, match="`pad`"):
            Optics().form_image(scene, pad=bad)
        with pytest.raises(ValueError, match="`pad`"):
            Camera(pad=bad)
    with pytest.raises(ValueError, match="`pad` 'psf' needs"):
        Optics(fnumber=22.0).form_image(charts.point_array(size=256, fov=2.0), pad="psf")
    cam = Camera(pad="psf", noise=False, fast_fft=False)
    cfg = cam.config()
    assert cfg["pad"] == "psf" and json.loads(json.dumps(cfg)) == cfg
    assert "pad" not in Camera().config()  # the default keeps the configs made before `pad` existed
    assert Camera(pad=0.25).config()["pad"] == 0.25
    small = charts.point_array(size=16, spacing=8, fov=40.0)
    cap = cam.capture(small)
    n = math.ceil(psf_pad_radius(cam.optics, cap.scene) / cap.optical_image.sample_spacing)
    assert cap.optical_image.pad == (n, n)
    assert cap.spectral_image.pad == (n, n)
    assert camsim.Camera(pad="psf", fast=False, noise=False, fast_fft=False).capture(small).optical_image.pad == (n, n)
