"""
Fast paths against the straightforward NumPy code they replaced.

* :meth:`camsim.ISP.render` now runs fused numba kernels (:mod:`camsim._kernels.isp`)
  with a table for the sRGB curve. :func:`render_numpy` below is the NumPy pipeline it
  replaced, kept as the twin: every output must agree to :data:`TOLERANCE_RENDER`.
* :meth:`camsim.Display.linearize` looks uint8/uint16 code values up in a table; it
  must give exactly the numbers of the formula on ``v / 255`` (``v / 65535``), which is
  what :func:`camsim.scene.read_image` feeds it.
* The kernels alone (serial against parallel, the normalisation, the sRGB table) are
  checked in ``test_kernels_isp.py``; the read-out kernel in ``test_kernels_noise.py``.
"""

import dataclasses
import types

import numpy as np
import pytest

from camsim import ISP, Display, spectra
from camsim.demosaic import demosaic
from camsim.colorimetry import chart_xyz, xyz_to_linear_srgb_matrix
from camsim.raw import Raw
from camsim.scene import read_image

WAVE = spectra.DEFAULT_WAVE
QE = spectra.camera_sensitivities("Nikon 5100 (NPL)", WAVE)
TOLERANCE_RENDER = 1e-5  # issue requirement: outputs within 1e-5 of the NumPy implementation


# ----------------------------------------------------------------------------- NumPy twin

def srgb_encode_formula(linear):
    """IEC 61966-2-1 encoding in float64 (the reference for the table)."""
    x = np.clip(np.asarray(linear, dtype=np.float64), 0.0, 1.0)
    return np.where(x <= 0.0031308, 12.92 * x, 1.055 * x ** (1 / 2.4) - 0.055)


def normalise_numpy(data, black, white):
    d = np.asarray(data).astype(np.float32, copy=False)
    out = (d - np.float32(black)) / np.float32(white - black)
    return np.maximum(out, np.float32(0.0))


def render_numpy(isp, raw):
    """The colour branch of ``ISP.render`` as it was before the fused kernels (NumPy, float32)."""
    x = normalise_numpy(raw.data, float(raw.black_level), float(raw.white_level))
    digital = raw.digital is not None
    qe, wave = raw.sensor.qe, raw.sensor.wave
    rgb = demosaic(x, raw.cfa, isp.demosaic)
    m = isp.matrix(qe, wave)
    g = isp.gains(rgb, qe, wave)
    xyz = rgb.reshape(-1, 3) @ (g[:, None] * m).astype(np.float32)
    np.maximum(xyz, np.float32(0.0), out=xyz)
    white_xyz = chart_xyz(wave, illuminant=isp.calibration_illuminant if isinstance(isp.calibration_illuminant, str)
                          else np.asarray(isp.calibration_illuminant))
    lin = xyz @ xyz_to_linear_srgb_matrix(white_xyz).astype(np.float32)
    peak = float(lin.max())
    if isp.exposure_normalisation == "none" or not peak > 0:
        scale = 1.0
    else:
        scale = (1.0 if digital else float(x.max())) / peak
    xyz *= np.float32(scale)
    lin *= np.float32(scale)
    np.clip(lin, 0.0, 1.0, out=lin)
    shape = rgb.shape
    image = srgb_encode_formula(lin).astype(np.float32)
    return types.SimpleNamespace(image=image.reshape(shape), linear=lin.reshape(shape), xyz=xyz.reshape(shape),
                                 sensor_rgb=rgb, gains=g, exposure_scale=scale)


# ----------------------------------------------------------------------------- raws

def random_raw(shape, cfa="grbg", *, digital_bits=None, black=0.0, seed=0):
    """A noisy, textured raw with a few saturated and a few black pixels."""
    rng = np.random.default_rng(seed)
    rows, cols = shape
    yy, xx = np.mgrid[0:rows, 0:cols]
    v = 0.35 + 0.25 * np.sin(xx / 7.0) * np.cos(yy / 11.0) + 0.05 * rng.standard_normal(shape)
    v[rng.random(shape) < 0.01] = 1.0
    v[rng.random(shape) < 0.01] = 0.0
    v = np.clip(v, 0.0, 1.0).astype(np.float32)
    sensor = types.SimpleNamespace(qe=QE, wave=WAVE, cfa=cfa)
    if digital_bits is None:
        volts = np.clip(black + v * (1.0 - black), 0, 1).astype(np.float32)
        return Raw(electrons=v, volts=volts, digital=None, mean_electrons=v, cfa=cfa, black_level=black,
                   white_level=1.0, exposure_time=0.01, analog_gain=1.0, sensor=sensor)
    top = 2**digital_bits - 1
    black_dn = round(black * top)
    dn = np.round(black_dn + v * (top - black_dn)).astype(np.uint16)
    return Raw(electrons=v, volts=v, digital=dn, mean_electrons=v, cfa=cfa, black_level=float(black_dn),
               white_level=float(top), exposure_time=0.01, analog_gain=1.0, sensor=sensor)


ISPS = {
    "default": ISP(),
    "no_wb": ISP(white_balance="none"),
    "gray_world": ISP(white_balance="gray_world"),
    "white_world": ISP(white_balance="white_world"),
    "illuminant_A": ISP(white_balance="illuminant", scene_illuminant="A"),
    "fixed_gains": ISP(white_balance=(1.8, 1.0, 0.6)),
    "absolute": ISP(exposure_normalisation="none"),
    "malvar": ISP(demosaic="malvar"),
    "calibrated_A": ISP(calibration_illuminant="A", preserve_white=False),
}


def assert_renderings_close(fast, twin):
    for name in ("image", "linear", "xyz", "sensor_rgb"):
        a, b = getattr(fast, name), getattr(twin, name)
        assert a.dtype == np.float32 and a.shape == b.shape, name
        np.testing.assert_allclose(a, b, rtol=0, atol=TOLERANCE_RENDER * max(1.0, float(np.abs(b).max())),
                                   err_msg=name)
    np.testing.assert_allclose(fast.gains, twin.gains, rtol=1e-12)
    assert fast.exposure_scale == pytest.approx(twin.exposure_scale, rel=1e-6)


# ----------------------------------------------------------------------------- tests

@pytest.mark.parametrize("isp_name", list(ISPS))
@pytest.mark.parametrize("digital_bits", [None, 10])
def test_render_matches_numpy_twin(isp_name, digital_bits):
    raw = random_raw((46, 62), cfa="grbg", digital_bits=digital_bits, black=0.02)
    isp = ISPS[isp_name]
    assert_renderings_close(isp.render(raw), render_numpy(isp, raw))


@pytest.mark.parametrize("cfa", ["rggb", "grbg", "gbrg", "bggr"])
def test_render_matches_numpy_twin_every_layout_700x700(cfa):
    """The size the issue profiles (the 1 µm presets' output), every Bayer layout."""
    raw = random_raw((700, 700), cfa=cfa, seed=3)
    assert_renderings_close(ISP(white_balance="none").render(raw), render_numpy(ISP(white_balance="none"), raw))


def test_render_of_a_black_raw_matches_twin():
    raw = random_raw((8, 8))
    raw = dataclasses.replace(raw, volts=np.zeros((8, 8), np.float32))
    out, twin = ISP().render(raw), render_numpy(ISP(), raw)
    assert out.exposure_scale == twin.exposure_scale == 1.0
    np.testing.assert_array_equal(out.image, 0.0)


@pytest.mark.parametrize("transfer", ["srgb", 2.2])
@pytest.mark.parametrize("dtype", [np.uint8, np.uint16])
def test_linearize_table_equals_formula_exactly(transfer, dtype):
    display = Display(Display.default().primaries, WAVE, transfer)
    codes = np.arange(np.iinfo(dtype).max + 1, dtype=dtype)
    image = np.random.default_rng(1).choice(codes, size=(31, 17, 3)).astype(dtype)
    np.testing.assert_array_equal(read_image(image), image / float(np.iinfo(dtype).max))
    for values in (codes, image):
        formula = display.linearize(values / float(np.iinfo(dtype).max))  # float64 formula, as read_image feeds it
        table = display.linearize(values)
        assert table.dtype == np.float64
        np.testing.assert_array_equal(table, formula)
        np.testing.assert_array_equal(display.linearize(values, dtype=np.float32), formula.astype(np.float32))


def test_linearize_float_paths_and_dtype_argument():
    display = Display.srgb()  # the IEC curve display (the default, LCD-Apple, has a measured table)
    v = np.random.default_rng(2).random((20, 30, 3))
    expected = np.where(v <= 0.04045, v / 12.92, ((v + 0.055) / 1.055) ** 2.4)  # IEC 61966-2-1 EOTF
    np.testing.assert_array_equal(display.linearize(v), expected)
    np.testing.assert_array_equal(display.linearize(v, dtype=np.float32), expected.astype(np.float32))
    v32 = v.astype(np.float32)
    out32 = display.linearize(v32, dtype=np.float32)
    assert out32.dtype == np.float32
    np.testing.assert_allclose(out32, display.linearize(v32.astype(np.float64)), rtol=1e-6, atol=1e-7)
    np.testing.assert_array_equal(display.linearize(v32), display.linearize(v32.astype(np.float64)))
    with pytest.raises(ValueError, match="`dtype` must be float64 or float32"):
        display.linearize(v, dtype=np.int32)


