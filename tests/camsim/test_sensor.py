"""Sensor: geometry, spectral/spatial integration, noise statistics, read-out chain, kernels vs twins.

Independent references: closed-form integrals (uniform irradiance, staircase
antiderivatives, linear ramps, step edges), the Poisson pmf, NumPy's ``default_rng``,
and the Python/NumPy twins in ``reference_sensor.py``.
"""

import dataclasses
import math

import numba
import numpy as np
import pytest

import camsim
from camsim import Noise, Sensor, spectra
from camsim.cfa import CFA_PATTERNS
from camsim._kernels import noise as kernels
from camsim.optical_image import OpticalImage

import reference_sensor as ref

TOLERANCE_EXACT = 1e-6  # float32 outputs of float64 arithmetic
TOLERANCE_INTEGRAL = 1e-9  # float64 integrals vs closed forms
F_DEFAULT = 0.004 / math.tan(math.radians(46.0))  # ISETCam default focal length, 3.8628 mm
BIN_550 = 10.0  # nm: a single wavelength sample stands for a 10 nm band (camsim.units.wave_bin_width)


def uniform_oi(value, shape=(16, 16), wave=(550.0,), spacing=2.8e-6, pad=(0, 0)):
    """Uniform irradiance photons/(s·m²·nm); ``value`` scalar or a spectrum on ``wave``."""
    spec = np.broadcast_to(np.asarray(value, dtype=np.float32), (len(wave),))
    return OpticalImage(np.broadcast_to(spec, (*shape, len(wave))).copy(), np.asarray(wave, float), spacing, pad=pad)


def mono(**kw):
    base = dict(cfa=None, wave=[550.0], qe=[0.5], size=(16, 16), noise=Noise.off())
    base.update(kw)
    return Sensor(**base)


# --------------------------------------------------------------------------- construction


def test_defaults_match_isetcam_pixel():
    s = Sensor()
    assert s.full_well == pytest.approx(10_000.0)
    assert s.pixel_area == pytest.approx(7.84e-12)
    assert s.aperture**2 == pytest.approx(5.88e-12)  # ISETCam photodiode area, FF 0.75
    assert s.cfa == "grbg" and s.n_channels == 3 and s.size is None and s.bit_depth is None
    assert s.exposure_time is None and s.auto_exposure_level == 0.95


def test_default_qe_is_npl_scaled_to_peak():
    wave = spectra.DEFAULT_WAVE
    npl = spectra.camera_sensitivities("Nikon 5100 (NPL)", wave)
    s = Sensor()
    assert s.qe.max() == pytest.approx(0.6)
    np.testing.assert_allclose(s.qe, npl * 0.6 / npl.max(), rtol=1e-12)
    m = Sensor(cfa=None)
    assert m.n_channels == 1 and m.qe.max() == pytest.approx(0.6)
    np.testing.assert_allclose(m.qe[:, 0], npl.sum(1) * 0.6 / npl.sum(1).max(), rtol=1e-12)


def test_qe_on_resamples_linearly_and_is_zero_outside():
    s = Sensor(cfa=None, wave=[500.0, 600.0], qe=[[0.2], [0.4]])
    np.testing.assert_allclose(s.qe_on([450.0, 500.0, 550.0, 600.0, 650.0])[:, 0], [0, 0.2, 0.3, 0.4, 0])


BAD = [
    (dict(pixel_pitch=0.0), "pixel_pitch"),
    (dict(pixel_pitch=-1e-6), "pixel_pitch"),
    (dict(fill_factor=0.0), "fill_factor"),
    (dict(fill_factor=1.2), "fill_factor"),
    (dict(read_noise=-1.0), "read_noise"),
    (dict(dark_current=-1.0), "dark_current"),
    (dict(dsnu=-0.1), "dsnu"),
    (dict(prnu=-0.1), "prnu"),
    (dict(column_fpn=(-1.0, 0.0)), "column_fpn"),
    (dict(column_fpn=(0.0, -0.1)), "column_fpn"),
    (dict(bit_depth=0), "bit_depth"),
    (dict(bit_depth=17), "bit_depth"),
    (dict(bit_depth=8.0), "bit_depth"),
    (dict(qe=np.ones((30, 3))), "qe"),
    (dict(qe=-np.ones((31, 3))), "qe"),
    (dict(cfa="rgbw"), "cfa"),
    (dict(exposure_time=0.0), "exposure_time"),
    (dict(exposure_time=-1.0), "exposure_time"),
    (dict(conversion_gain=0.0), "conversion_gain"),
    (dict(voltage_swing=-1.0), "voltage_swing"),
    (dict(analog_gain=0.0), "analog_gain"),
    (dict(auto_exposure_level=1.5), "auto_exposure_level"),
    (dict(size=(0, 4)), "size"),
    (dict(pattern_seed=-1), "pattern_seed"),
    (dict(noise=True), "noise"),
]


@pytest.mark.parametrize("kwargs, name", BAD)
def test_bad_parameters_raise_naming_the_parameter(kwargs, name):
    with pytest.raises(ValueError, match=name):
        Sensor(**kwargs)


def test_bad_exposure_arguments():
    s = mono()
    oi = uniform_oi(1e15)
    with pytest.raises(ValueError, match="exposure_time"):
        s.expose(oi, exposure_time=0.0)
    with pytest.raises(ValueError, match="seed"):
        s.expose(oi, exposure_time=1e-3, seed=-3)
    with pytest.raises(ValueError, match="auto-exposure"):
        s.expose(uniform_oi(0.0))
    with pytest.raises(ValueError, match="smaller than one pixel"):
        Sensor(pixel_pitch=25e-6).size_for(uniform_oi(1.0, shape=(8, 8), spacing=1e-6))
    with pytest.raises(ValueError, match="smaller than one pixel"):
        mono(pixel_pitch=25e-6).expose(uniform_oi(1.0, shape=(8, 8), spacing=1e-6), exposure_time=1.0)


# --------------------------------------------------------------------------- geometry


def test_size_for_25um_pixel_and_10deg_fov_is_26_columns():
    """2·f·tan(5°)/25 µm = 27.03 columns → 26: whole CFA blocks *inside* the scene (issue 14 item 8;
    ISETCam's sensorSetSizeToFOV rounds up, kept by size_rule="isetcam")."""
    cols, rows, pad = 96, 64, 12
    dx = 2 * F_DEFAULT * math.tan(math.radians(5.0)) / cols
    oi = OpticalImage(np.zeros((rows + 2 * pad, cols + 2 * pad, 1), np.float32), [550.0], dx, pad=(pad, pad))
    assert 2 * F_DEFAULT * math.tan(math.radians(5.0)) / 25e-6 == pytest.approx(27.03, abs=0.01)
    assert Sensor(pixel_pitch=25e-6).size_for(oi) == (18, 26)  # 18.02 rows → 18
    assert Sensor(pixel_pitch=25e-6, cfa=None).size_for(oi) == (18, 27)
    assert Sensor(pixel_pitch=2.8e-6).size_for(oi) == (160, 240)  # 160.9 → 160, 241.4 → 240


def test_sensor_size_none_is_resolved_on_raw():
    oi = uniform_oi(1e15, shape=(40, 40), spacing=1e-6, wave=spectra.DEFAULT_WAVE)
    raw = Sensor(pixel_pitch=4e-6, noise=Noise.off()).expose(oi, exposure_time=1e-3)
    assert raw.electrons.shape == (10, 10) and raw.sensor.size == (10, 10)


# --------------------------------------------------------------------------- signal


@pytest.mark.parametrize("pitch, ff", [(1e-6, 1.0), (2.8e-6, 0.75), (25e-6, 0.4)])
def test_uniform_irradiance_electrons_closed_form(pitch, ff):
    """e = T·pitch²·FF·Δλ·Σ_λ E·QE_c per CFA channel (ISETCam sensorCompute, §4.3 step 2)."""
    wave = spectra.DEFAULT_WAVE
    spec = spectra.illuminant("D65", wave, photons=True)
    spec = (spec / spec.max() * 3e17).astype(np.float32)  # photons/(s·m²·nm)
    oi = uniform_oi(spec, shape=(24, 24), wave=wave, spacing=pitch)
    t = 2e-3
    s = Sensor(pixel_pitch=pitch, fill_factor=ff, size=(24, 24), noise=Noise.off(), voltage_swing=1e6)
    raw = s.expose(oi, exposure_time=t)
    expected = t * pitch**2 * ff * 10.0 * (spec.astype(np.float64) @ s.qe)  # (3,) r, g, b
    chan = s.channel_map()
    np.testing.assert_allclose(raw.electrons, expected[chan], rtol=TOLERANCE_EXACT)
    np.testing.assert_allclose(raw.mean_electrons, expected[chan], rtol=TOLERANCE_EXACT)
    assert chan[0, 0] == 1 and chan[0, 1] == 0 and chan[1, 0] == 2  # grbg


def test_electrons_scale_with_pitch_squared_times_fill_factor():
    oi_e = 1e17
    ref_e = None
    for pitch, ff in [(1e-6, 1.0), (1.5e-6, 0.75), (3e-6, 0.5), (25e-6, 0.9)]:
        oi = uniform_oi(oi_e, shape=(8, 8), spacing=pitch)
        e = mono(pixel_pitch=pitch, fill_factor=ff, size=(8, 8), voltage_swing=1e9).expose(
            oi, exposure_time=1e-3).electrons.astype(float)
        per_area = e / (pitch**2 * ff)
        ref_e = per_area if ref_e is None else ref_e
        np.testing.assert_allclose(per_area, ref_e, rtol=TOLERANCE_EXACT)


@pytest.mark.parametrize("cfa", ["rggb", "grbg", "gbrg", "bggr"])
def test_cfa_sites_carry_their_channel(cfa):
    qe = np.array([[0.1, 0.2, 0.3]])  # r, g, b at 550 nm
    s = Sensor(cfa=cfa, wave=[550.0], qe=qe, size=(4, 6), noise=Noise.off())
    e = s.expose(uniform_oi(1e17, shape=(4, 6)), exposure_time=1e-3).electrons
    letters = {"r": 0.1, "g": 0.2, "b": 0.3}
    unit = e[0, 0] / letters[cfa[0]]
    tile = np.array([[letters[cfa[0]], letters[cfa[1]]], [letters[cfa[2]], letters[cfa[3]]]])
    np.testing.assert_allclose(e, unit * np.tile(tile, (2, 3)), rtol=TOLERANCE_EXACT)


def test_qe_is_resampled_to_the_optical_image_wave():
    """Sensor on 400:10:700, OI at one wavelength 555 nm: QE interpolated at 555 nm."""
    s = Sensor(cfa=None, size=(4, 4), noise=Noise.off(), pixel_pitch=2e-6, fill_factor=1.0)
    qe555 = np.interp(555.0, s.wave, s.qe[:, 0])
    e = s.expose(uniform_oi(1e17, shape=(4, 4), wave=(555.0,), spacing=2e-6), exposure_time=1e-3).electrons
    np.testing.assert_allclose(e, 1e17 * BIN_550 * qe555 * 4e-12 * 1e-3, rtol=TOLERANCE_EXACT)


# --------------------------------------------------------------------------- area integration


def _staircase_antiderivative(values, spacing):
    """F(x) = ∫_{left edge}^{x} f, f piecewise constant on centred cells; exact by linear interpolation."""
    n = values.size
    edges = (np.arange(n + 1) - n / 2.0) * spacing
    cum = np.concatenate([[0.0], np.cumsum(values * spacing)])
    return lambda x: np.interp(x, edges, cum)


@pytest.mark.parametrize("spacing, pitch, ff, shape_oi, shape_px", [
    (0.37e-6, 2.8e-6, 0.75, (90, 110), (11, 13)),  # optical image finer than the pixels
    (7.0e-6, 2.8e-6, 0.75, (9, 12), (20, 26)),  # coarser (and the sensor overhangs it)
    (2.8e-6, 2.8e-6, 0.6, (10, 10), (10, 10)),  # equal
])
def test_area_integration_equals_staircase_integral(spacing, pitch, ff, shape_oi, shape_px):
    """Separable f(y)·g(x): pixel value = ∫ over the aperture, by closed-form antiderivatives."""
    rng = np.random.default_rng(1)
    fy = 1e16 * (1 + rng.random(shape_oi[0]))
    gx = 1 + np.arange(shape_oi[1]) * 0.5  # a ramp
    img = (fy[:, None] * gx[None, :]).astype(np.float32)
    oi = OpticalImage(img[..., None], [550.0], spacing)
    s = mono(pixel_pitch=pitch, fill_factor=ff, size=shape_px, qe=[1.0])
    rate = s.electron_rate(oi)
    a = s.aperture
    # float32 storage rounds f⊗g by ≤ 6e-8 relative, well inside the tolerance
    Fy = _staircase_antiderivative(fy, spacing)
    Gx = _staircase_antiderivative(gx, spacing)
    cy = (np.arange(shape_px[0]) + 0.5 - shape_px[0] / 2) * pitch
    cx = (np.arange(shape_px[1]) + 0.5 - shape_px[1] / 2) * pitch
    iy = Fy(cy + a / 2) - Fy(cy - a / 2)
    ix = Gx(cx + a / 2) - Gx(cx - a / 2)
    expected = BIN_550 * iy[:, None] * ix[None, :]
    np.testing.assert_allclose(rate, expected, rtol=1e-6, atol=1e-6 * expected.max())


def test_area_integration_of_a_linear_ramp_is_analytic():
    """FF = 1 and 7 samples per pixel: ∫ (a + b·x) over each pixel = pitch²·(a + b·x_centre)."""
    pitch, n = 2.8e-6, 7
    spacing = pitch / n
    cols_px, rows_px = 12, 6
    x = (np.arange(cols_px * n) + 0.5 - cols_px * n / 2) * spacing  # sample centres
    a0, b0 = 2e16, 1e21  # photons/(s·m²·nm) and per m
    img = np.broadcast_to((a0 + b0 * x), (rows_px * n, cols_px * n)).astype(np.float64)
    oi = OpticalImage(img.astype(np.float32)[..., None], [550.0], spacing)
    s = mono(pixel_pitch=pitch, fill_factor=1.0, size=(rows_px, cols_px), qe=[1.0])
    xc = (np.arange(cols_px) + 0.5 - cols_px / 2) * pitch
    expected = BIN_550 * pitch**2 * (a0 + b0 * xc)
    np.testing.assert_allclose(s.electron_rate(oi), np.broadcast_to(expected, (rows_px, cols_px)), rtol=1e-6)


def test_area_integration_of_a_step_edge_coarse_oi():
    """OI coarser than the pixels (Δ = 8.4 µm, pitch 2.8 µm, FF 0.5); edge on a cell boundary at x = 0."""
    spacing, pitch, ff = 8.4e-6, 2.8e-6, 0.5
    e1, e2 = 1e16, 5e16
    img = np.full((6, 8), e1, np.float32)
    img[:, 4:] = e2  # x >= 0
    oi = OpticalImage(img[..., None], [550.0], spacing)
    s = mono(pixel_pitch=pitch, fill_factor=ff, size=(6, 21), qe=[1.0])
    a = s.aperture
    cx = (np.arange(21) + 0.5 - 21 / 2) * pitch
    left = np.clip(np.minimum(cx + a / 2, 0.0) - (cx - a / 2), 0, a)
    expected = BIN_550 * a * (e1 * left + e2 * (a - left))
    np.testing.assert_allclose(s.electron_rate(oi), np.broadcast_to(expected, (6, 21)), rtol=1e-6)


# --------------------------------------------------------------------------- auto-exposure


def test_auto_exposure_puts_brightest_pixel_at_target():
    rng = np.random.default_rng(3)
    img = (rng.random((32, 32, 1)) * 1e17).astype(np.float32)
    oi = OpticalImage(img, [550.0], 2.8e-6)
    s = mono(size=(32, 32))
    raw = s.expose(oi)
    assert raw.mean_electrons.max() == pytest.approx(0.95 * s.full_well, rel=1e-6)
    assert raw.volts.max() == pytest.approx(0.95 * s.voltage_swing, rel=0.01)
    assert raw.exposure_time == pytest.approx(s.auto_exposure(oi), rel=1e-12)


def test_auto_exposure_removes_the_fnumber_dependence():
    """Irradiance ∝ N⁻² (f/2 … f/22 emulated by scaling): auto-exposed electrons are unchanged."""
    rng = np.random.default_rng(4)
    base = (0.2 + rng.random((16, 16, 3))).astype(np.float64) * 1e18
    wave = np.array([450.0, 550.0, 650.0])
    s = Sensor(wave=wave, qe=np.eye(3) * 0.5, size=(16, 16), noise=Noise.off())
    results = []
    for n in (2.0, 4.0, 8.0, 22.0):
        oi = OpticalImage((base / n**2).astype(np.float32), wave, 2.8e-6)
        raw = s.expose(oi)
        results.append(raw.electrons)
    for e in results[1:]:
        np.testing.assert_allclose(e, results[0], rtol=0.01)


def test_explicit_exposure_overrides_sensor_and_auto():
    oi = uniform_oi(1e16)
    s = mono(exposure_time=2e-3)
    assert s.expose(oi).exposure_time == 2e-3
    assert s.expose(oi, exposure_time=5e-3).exposure_time == 5e-3


# --------------------------------------------------------------------------- noise statistics


def test_shot_noise_is_poisson_at_mean_3():
    """10⁶ pixels at 3 e⁻ through expose: variance = mean, P(0) = e⁻³ (a Gaussian would fail both)."""
    s = mono(size=(1000, 1000), qe=[1.0], fill_factor=1.0, pixel_pitch=1e-6, noise=Noise.only("photon_shot"))
    e_per_photon = BIN_550 * 1e-12 * 1e-3  # electrons per unit irradiance for T = 1 ms
    oi = OpticalImage(np.full((1000, 1000, 1), 3.0 / e_per_photon, np.float32), [550.0], 1e-6)
    raw = s.expose(oi, exposure_time=1e-3, seed=11)
    e = raw.electrons.astype(np.float64)
    assert raw.mean_electrons.mean() == pytest.approx(3.0, rel=1e-6)
    assert np.all(e == np.round(e))  # integer charge
    assert e.mean() == pytest.approx(3.0, rel=0.01)
    assert e.var() == pytest.approx(e.mean(), rel=0.03)
    assert np.mean(e == 0) == pytest.approx(math.exp(-3.0), rel=0.02)


def test_read_noise_and_dark_current_statistics():
    s = mono(size=(300, 300), noise=Noise.only("read", "dark_current"), dark_current=400.0, read_noise=7.0,
             analog_offset=0.5)
    raw = s.expose(uniform_oi(0.0, shape=(300, 300)), exposure_time=0.1, seed=5)
    e = raw.electrons.astype(float)
    assert e.mean() == pytest.approx(40.0, rel=0.01)  # dark charge 400 e⁻/s · 0.1 s
    assert e.var() == pytest.approx(40.0 + 49.0, rel=0.03)  # dark shot + read
    z = kernels.normal_field(np.uint64(8), 3, 500, 400)
    assert abs(z.mean()) < 5 / math.sqrt(z.size) and z.std() == pytest.approx(1.0, abs=0.005)
    assert np.mean(z**4) == pytest.approx(3.0, abs=0.05)  # Gaussian kurtosis


def test_fixed_patterns_statistics_and_formulas():
    """DSNU and column offset are additive e⁻ patterns; PRNU and column gain multiply the signal."""
    s = mono(size=(200, 300), dsnu=20.0, prnu=2.0, column_fpn=(5.0, 0.01), voltage_swing=1e6,
             noise=Noise.only("dsnu", "prnu", "column_fpn"), pattern_seed=42)
    dark = s.expose(uniform_oi(0.0, shape=(200, 300)), exposure_time=1.0).electrons.astype(float)
    bright_oi = uniform_oi(1e17, shape=(200, 300))
    mean = s.expose(bright_oi, exposure_time=1e-2, seed=0).mean_electrons.astype(float)[0, 0]
    bright = s.expose(bright_oi, exposure_time=1e-2).electrons.astype(float)
    prnu = 1 + 0.02 * kernels.normal_field(np.uint64(42), kernels.STREAM_PRNU, 200, 300)
    dsnu = 20.0 * kernels.normal_field(np.uint64(42), kernels.STREAM_DSNU, 200, 300)
    col_off = 5.0 * kernels.normal_field(np.uint64(42), kernels.STREAM_COLUMN_OFFSET, 1, 300)
    col_gain = 1 + 0.01 * kernels.normal_field(np.uint64(42), kernels.STREAM_COLUMN_GAIN, 1, 300)
    np.testing.assert_allclose(dark, dsnu + col_off, rtol=1e-6, atol=1e-4)
    np.testing.assert_allclose(bright, mean * prnu * col_gain + dsnu + col_off, rtol=1e-6)
    assert (dark - col_off).std() == pytest.approx(20.0, rel=0.03)
    assert np.std(col_off) == pytest.approx(5.0, rel=0.25)  # 300 columns
    # the fixed patterns equal the reference generator's normals, number for number
    np.testing.assert_allclose(dsnu[:2, :5] / 20.0, ref.normal_field(42, kernels.STREAM_DSNU, 2, 5), rtol=1e-13)


# --------------------------------------------------------------------------- determinism


def _noisy_sensor(**kw):
    base = dict(size=(40, 48), dsnu=5.0, prnu=1.0, column_fpn=(2.0, 0.005), bit_depth=12, analog_offset=0.01)
    base.update(kw)
    return Sensor(**base)


def test_same_seed_same_frame_and_fixed_patterns_persist():
    oi = uniform_oi(1e16, shape=(40, 48), wave=spectra.DEFAULT_WAVE)
    s = _noisy_sensor()
    a, b = s.expose(oi, exposure_time=1e-3, seed=7), s.expose(oi, exposure_time=1e-3, seed=7)
    np.testing.assert_array_equal(a.electrons, b.electrons)
    np.testing.assert_array_equal(a.digital, b.digital)
    c = s.expose(oi, exposure_time=1e-3, seed=8)
    assert not np.array_equal(a.electrons, c.electrons)
    # fixed patterns only: identical for any frame seed; a different sensor seed changes them
    fp = dataclasses.replace(s, noise=Noise.only("dsnu", "prnu", "column_fpn"))
    np.testing.assert_array_equal(fp.expose(oi, exposure_time=1e-3, seed=1).electrons,
                                  fp.expose(oi, exposure_time=1e-3, seed=2).electrons)
    assert not np.array_equal(fp.expose(oi, exposure_time=1e-3).electrons,
                              dataclasses.replace(fp, pattern_seed=1).expose(oi, exposure_time=1e-3).electrons)
    # None draws fresh entropy and records it
    r1 = s.expose(oi, exposure_time=1e-3)
    np.testing.assert_array_equal(r1.electrons, s.expose(oi, exposure_time=1e-3, seed=r1.seed).electrons)
    g1 = s.expose(oi, exposure_time=1e-3, seed=np.random.default_rng(3))
    g2 = s.expose(oi, exposure_time=1e-3, seed=np.random.default_rng(3))
    np.testing.assert_array_equal(g1.electrons, g2.electrons)


def test_results_do_not_depend_on_thread_count():
    oi = uniform_oi(1e16, shape=(64, 64), wave=spectra.DEFAULT_WAVE)
    s = _noisy_sensor(size=(64, 64))
    before = numba.get_num_threads()
    try:
        out = []
        for n in (1, min(2, numba.config.NUMBA_NUM_THREADS)):
            numba.set_num_threads(n)
            out.append(s.expose(oi, exposure_time=1e-3, seed=123))
    finally:
        numba.set_num_threads(before)
    np.testing.assert_array_equal(out[0].electrons, out[1].electrons)
    np.testing.assert_array_equal(out[0].digital, out[1].digital)


# --------------------------------------------------------------------------- kernel vs twins


# --------------------------------------------------------------------------- read-out chain formulas


@pytest.mark.parametrize("gain, offset, bits", [(1.0, 0.0, 10), (2.0, 0.05, 8), (0.5, -0.01, 12), (3.0, 0.1, None)])
def test_clip_gain_offset_and_quantisation_formulas(gain, offset, bits):
    """V = clip(ag·g·min(e, FW) + ao, 0, V_sw); DN = min(⌊V/(V_sw/2^b) + ½⌋, 2^b − 1)."""
    e_true = np.linspace(0.0, 15_000.0, 64)
    img = (e_true / (BIN_550 * 0.5 * 2.8e-6**2 * 0.75 * 1e-3)).astype(np.float32)
    oi = OpticalImage(np.broadcast_to(img, (4, 64))[..., None].copy(), [550.0], 2.8e-6)
    s = mono(size=(4, 64), analog_gain=gain, analog_offset=offset, bit_depth=bits)
    raw = s.expose(oi, exposure_time=1e-3)
    e_mean = raw.mean_electrons[0].astype(float)
    np.testing.assert_allclose(raw.electrons[0], np.minimum(e_mean, s.full_well), rtol=TOLERANCE_EXACT)
    assert raw.electrons.max() == pytest.approx(10_000.0)  # clipped at the full well
    volts = np.clip(gain * 1e-4 * np.minimum(e_mean, 1e4) + offset, 0, 1.0)
    np.testing.assert_allclose(raw.volts[0], volts, rtol=1e-6, atol=1e-7)
    assert raw.analog_gain == gain
    if bits is None:
        assert raw.digital is None and raw.black_level == offset and raw.white_level == 1.0
        return
    step = 1.0 / 2**bits
    dn = np.minimum(np.floor(raw.volts[0].astype(float) / step + 0.5), 2**bits - 1)
    np.testing.assert_array_equal(raw.digital[0], dn)
    assert raw.digital.dtype == np.uint16
    assert raw.white_level == 2**bits - 1 and raw.black_level == pytest.approx(offset / step)
    assert s.system_gain == pytest.approx(gain * 1e-4 * 2**bits)


def test_quantisation_step_and_black_level_of_a_dark_frame():
    s = mono(bit_depth=8, analog_offset=10 / 256)  # offset = 10 steps
    raw = s.expose(uniform_oi(0.0), exposure_time=1e-3)
    assert np.all(raw.digital == 10) and raw.black_level == pytest.approx(10.0)
    # one step of volts = V_swing / 2^bits: charges one step apart map to adjacent codes
    step_e = (1 / 256) / 1e-4  # e⁻ per DN
    img = np.array([0.0, 1.0, 2.0, 3.0]) * step_e / (BIN_550 * 0.5 * 2.8e-6**2 * 0.75 * 1e-3)
    oi = OpticalImage(np.broadcast_to(img.astype(np.float32), (2, 4))[..., None].copy(), [550.0], 2.8e-6)
    d = mono(size=(2, 4), bit_depth=8).expose(oi, exposure_time=1e-3).digital
    np.testing.assert_array_equal(d[0], [0, 1, 2, 3])


def test_raw_metadata():
    s = mono(bit_depth=10, analog_gain=1.5)
    raw = s.expose(uniform_oi(1e15), exposure_time=4e-3, seed=9)
    assert raw.cfa is None and raw.exposure_time == 4e-3 and raw.analog_gain == 1.5 and raw.seed == 9
    assert raw.sensor is s and raw.data.dtype == np.float32
    assert raw.electrons.dtype == np.float32 and raw.volts.dtype == np.float32


def test_dark_level_is_dark_current_times_exposure():
    """Raw.dark_level = dark current × T × conversion gain × analog gain (V), or / ADC step (DN)."""
    oi = OpticalImage(np.zeros((8, 8, 1), np.float32), [550.0], 2.8e-6)
    base = dict(size=(8, 8), cfa=None, wave=[550.0], qe=[0.5], dark_current=40.0, analog_gain=2.0)
    raw = Sensor(**base).expose(oi, exposure_time=2.0, seed=0)
    assert raw.dark_level == pytest.approx(40.0 * 2.0 * 1e-4 * 2.0, rel=1e-12)
    raw12 = Sensor(**base, bit_depth=12).expose(oi, exposure_time=2.0, seed=0)
    assert raw12.dark_level == pytest.approx(40.0 * 2.0 * 1e-4 * 2.0 / (1.0 / 2**12), rel=1e-12)
    # the frame mean sits at that level (Poisson dark charge has mean dark_current·T)
    big = Sensor(**{**base, "size": (200, 200)}, read_noise=0.0).expose(
        OpticalImage(np.zeros((200, 200, 1), np.float32), [550.0], 2.8e-6), exposure_time=2.0, seed=1)
    assert float(big.volts.mean()) == pytest.approx(big.dark_level, rel=0.01)
    assert Sensor(**base, noise=Noise.off()).expose(oi, exposure_time=2.0).dark_level == 0.0


def test_negative_ringing_is_clamped_not_rejected():
    """Bright points on black rings below 0 in the optical image (band limit);
    the capture must still work and every pixel's electron rate be >= 0 (regression: the
    `color` preset raised "`rate` must be finite and >= 0" on BSD200 photos)."""
    import camsim

    img = np.zeros((480, 480, 3), np.float32)  # 1.4 µm samples: Nyquist near the f/4 cut-off
    img[8::16, 8::16] = 1.0  # points: the deepest ringing (an edge's is shallower than the display's black)
    cam = camsim.Camera.preset("color").replace(fast=False, noise=False)
    scene = cam.scene_from(img)
    oi = cam.form_image(scene)
    assert oi.irradiance.min() < -1e-3 * oi.irradiance.max()  # the case is exercised: real ringing
    rate = cam.sensor.electron_rate(oi)
    assert rate.min() >= 0
    cap = camsim.Camera.preset("color").capture(img, seed=1)
    assert np.isfinite(cap.image).all()


def test_one_entry_point_per_sensor_operation():
    """Module-level expose/expose_rate are deprecated aliases of the methods; auto-exposure has one public rule."""
    import camsim.sensor as sensor_module
    from camsim.optical_image import OpticalImage

    sensor = Sensor(size=(8, 8), cfa=None, wave=[550.0], qe=[0.5], noise=Noise.off())
    oi = OpticalImage(np.full((8, 8, 1), 1e17, np.float32), [550.0], 2.8e-6)
    rate = sensor.electron_rate(oi)
    assert sensor.auto_exposure(oi) == sensor.auto_exposure_for_rate(rate)
    with pytest.warns(DeprecationWarning, match="sensor.expose"):
        old = sensor_module.expose(sensor, oi, exposure_time=1e-3)
    np.testing.assert_array_equal(old.electrons, sensor.expose(oi, exposure_time=1e-3).electrons)
    with pytest.warns(DeprecationWarning, match="sensor.expose_rate"):
        old = sensor_module.expose_rate(sensor, rate, exposure_time=1e-3)
    np.testing.assert_array_equal(old.electrons, sensor.expose_rate(rate, exposure_time=1e-3).electrons)
    assert "expose" not in sensor_module.__all__ and "expose_rate" not in sensor_module.__all__


def test_pattern_seed_names_what_it_seeds_and_seed_is_deprecated():
    import inspect
    import warnings

    import camsim.camera

    s = _noisy_sensor(pattern_seed=5)
    with pytest.warns(DeprecationWarning, match="pattern_seed"):
        old = _noisy_sensor(seed=5)
    assert old.pattern_seed == 5
    with pytest.warns(DeprecationWarning, match="pattern_seed"):
        assert s.seed == 5
    oi = uniform_oi(1e16, shape=(40, 48), wave=spectra.DEFAULT_WAVE)
    np.testing.assert_array_equal(old.expose(oi, exposure_time=1e-3, seed=3).electrons,
                                  s.expose(oi, exposure_time=1e-3, seed=3).electrons)
    with pytest.raises(ValueError, match="pattern_seed"), warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        _noisy_sensor(seed=5, pattern_seed=6)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert dataclasses.replace(s, read_noise=1.0).pattern_seed == 5  # no deprecated path on replace
        cfg = camsim.Camera(sensor=s).config()["sensor"]
    assert cfg["pattern_seed"] == 5 and "seed" not in cfg
    assert "._auto_exposure" not in inspect.getsource(camsim.camera)  # Camera uses the public exposure rule


def test_size_for_is_the_array_size_of_every_exposure():
    oi = uniform_oi(1.0, shape=(8, 8), spacing=25e-6)
    assert Sensor(pixel_pitch=25e-6, size=(4, 6)).size_for(oi) == (4, 6)  # a set size wins
    assert Sensor(pixel_pitch=25e-6, cfa=None).size_for(oi) == (8, 8)  # 8 samples of one pitch each
    with pytest.raises(ValueError, match="smaller than one pixel"):
        Sensor(pixel_pitch=25e-6, size=(4, 6)).size_for(uniform_oi(1.0, shape=(8, 8), spacing=1e-6))


# --------------------------------------------------------------------------- edges: the sensor stays inside the scene
# Issue 14 item 8: the sensor never integrates beyond the scene; a uniform image stays uniform.
#
# Before the fix the ``scene`` size rule rounded to the *nearest* whole CFA block, so the
# ``pixel`` preset on a 500×375 photo (21 scene pixels tall) got 22 rows: the first and
# last half-saw the optics' zero padding and the demosaic turned that into colour stripes.

EDGE_SIZES = [(375, 500), (21, 31), (101, 77), (64, 64), (33, 45)]


@pytest.mark.parametrize("name", ["color", "pixel", "deblur"])
@pytest.mark.parametrize("shape", EDGE_SIZES)
def test_sensor_lies_inside_the_scene(name, shape):
    cam = camsim.Camera.preset(name, noise=False)
    oi = cam.form_image(cam.scene_from(np.full(shape + (3,), 0.5)))
    rows, cols = cam.sensor.size_for(oi)
    b = cam.sensor.cfa_block
    for n, pad, got in ((oi.rows, oi.pad[0], rows), (oi.cols, oi.pad[1], cols)):
        extent = (n - 2 * pad) * oi.sample_spacing  # m
        assert got % b == 0
        assert got * cam.sensor.pixel_pitch <= extent * (1 + 1e-9), "sensor wider than the scene"
        assert got * cam.sensor.pixel_pitch > extent - b * cam.sensor.pixel_pitch, "more than one block trimmed"


def test_isetcam_rule_still_rounds_up():
    """size_rule='isetcam' keeps ISETCam's 72:88 sensor, rounded up to whole blocks (parity)."""
    cam = camsim.Camera.preset("isetcam", noise=False)
    oi = cam.form_image(cam.scene_from(np.full((375, 500, 3), 0.5)))
    assert cam.sensor.size_for(oi) == (198, 242)


@pytest.mark.parametrize("cfa", sorted(CFA_PATTERNS))
@pytest.mark.parametrize("shape", [(375, 500), (21, 31), (101, 77), (33, 45)])
def test_uniform_grey_stays_uniform_through_the_pixel_preset(cfa, shape):
    """Zero padding (the default), 25 µm pixels ≫ the f/4 PSF: only the smooth cos⁴ fall-off remains."""
    cam = camsim.Camera.preset("pixel", noise=False)
    cam = cam.replace(sensor=dataclasses.replace(cam.sensor, cfa=cfa))
    im = cam.capture(np.full(shape + (3,), 0.5)).linear.astype(np.float64)
    q = im / im[im.shape[0] // 2, im.shape[1] // 2]  # relative to the centre, per channel
    assert (q.max(axis=2) - q.min(axis=2)).max() < 0.05, "colour stripes at the edges"
    assert np.abs(np.diff(q, axis=0)).max() < 0.03 and np.abs(np.diff(q, axis=1)).max() < 0.03
    assert q.min() > 0.9


@pytest.mark.parametrize("name", ["color", "deblur"])
@pytest.mark.parametrize("shape", [(21, 31), (33, 45)])
def test_uniform_grey_stays_uniform_with_the_world_extended(name, shape):
    """1 µm presets: with the scene continued beyond its edges (pad 'reflect', as srgan uses) no edge artefacts.

    With zero padding these presets darken a frame one PSF radius wide (a bright finite
    scene on black, as ISETCam): physical, not a sensor-geometry artefact.
    """
    cam = camsim.Camera.preset(name, noise=False, pad_value="reflect")
    im = cam.capture(np.full(shape + (3,), 0.5)).linear.astype(np.float64)
    q = im / im[im.shape[0] // 2, im.shape[1] // 2]
    assert (q.max(axis=2) - q.min(axis=2)).max() < 0.01
    assert np.abs(np.diff(q, axis=0)).max() < 0.01 and np.abs(np.diff(q, axis=1)).max() < 0.01
