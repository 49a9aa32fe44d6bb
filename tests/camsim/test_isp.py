"""
ISP: colour matrix, white balance, sRGB rendering — against spectral ground truth
computed here independently and against colour-science.

Camera: Nikon 5100 spectral sensitivities measured by NPL (colour-science dataset, via
camsim.spectra). Reference XYZ of the patches are computed in this file in the
*energy* basis (Σ cmf·D65_energy·r), while camsim fits in the photon basis, so the two
routes only agree if camsim's unit bookkeeping is right.
"""

import types

import colour
import numpy as np
import pytest

from camsim import ISP, Rendering, spectra
from camsim.demosaic import mosaic
from camsim.colorimetry import (
    _matrix_cached,
    chart_xyz,
    sensor_response,
    sensor_to_xyz_matrix,
    srgb_encode,
    xyz_to_linear_srgb_matrix,
)
from camsim.white_balance import gray_world_gains, illuminant_gains, white_world_gains
from camsim.raw import Raw

WAVE = spectra.DEFAULT_WAVE
QE = spectra.camera_sensitivities("Nikon 5100 (NPL)", WAVE)
FIT_CHART = "BabelColor Average"
HELD_OUT_CHART = "ColorChecker N Ohta"
MAX_MEAN_DELTA_E = 3.0  # mean CIEDE2000 on the held-out chart (issue requirement)
MAX_NEUTRAL_CHROMA = 3.0  # CIELAB C*ab for "neutral" (issue requirement)
TOLERANCE_FLOAT32 = 2e-5  # float32 pipeline vs float64 reference, values in [0, 1]
PATCH = 8  # pixels per patch side in hand-built raws
NEUTRALS = slice(18, 24)  # last chart row: white 9.5 … black 2


# ----------------------------------------------------------------------------- helpers

def d65_photons():
    """D65 in photons, built here from colour-science's energy SPD: photons ∝ E·λ."""
    sd = colour.SDS_ILLUMINANTS["D65"]
    return np.interp(WAVE, sd.wavelengths, sd.values) * WAVE


def reference_xyz(refl, illuminant_energy):
    """XYZ (white Y = 1) in the energy basis: Σ cmf·E·r / Σ ȳ·E."""
    cmfs = colour.MSDS_CMFS["CIE 1931 2 Degree Standard Observer"]
    cmf = np.stack([np.interp(WAVE, cmfs.wavelengths, cmfs.values[:, k]) for k in range(3)], -1)
    return (refl * illuminant_energy) @ cmf / (illuminant_energy @ cmf[:, 1])


def lab(xyz, white_xyz):
    return colour.XYZ_to_Lab(xyz, colour.XYZ_to_xy(white_xyz))


def chroma(xyz, white_xyz):
    L = lab(xyz, white_xyz)
    return np.hypot(L[..., 1], L[..., 2])


def stand_in_sensor(cfa="rggb"):
    return types.SimpleNamespace(qe=QE, wave=WAVE, cfa=cfa, voltage_swing=1.0)


def make_raw(volts, cfa="rggb", *, digital=None, black=0.0, white=1.0):
    v = np.asarray(volts, np.float32)
    return Raw(electrons=v, volts=v, digital=digital, mean_electrons=v, cfa=cfa, black_level=black,
               white_level=white, exposure_time=0.01, analog_gain=1.0, sensor=stand_in_sensor(cfa or "rggb"))


def chart_raw(patch_rgb, layout, cfa="rggb"):
    """Mosaic of flat patches: ``patch_rgb[layout]`` blown up to PATCH×PATCH pixels."""
    img = np.repeat(np.repeat(patch_rgb[layout], PATCH, 0), PATCH, 1)
    return make_raw(mosaic(img, cfa), cfa)


def centres(img):
    """Value at the centre of each patch (bilinear demosaic is exact there)."""
    return img[PATCH // 2::PATCH, PATCH // 2::PATCH].reshape(-1, 3)


def chart_responses(chart, illuminant_photons):
    refl, _ = spectra.colorchecker(chart, WAVE)
    return (refl * illuminant_photons) @ QE, refl


# ----------------------------------------------------------------------------- colour matrix

@pytest.mark.parametrize("preserve_white", [False, True])
def test_matrix_held_out_delta_e(preserve_white):
    """Fit on BabelColor Average, evaluate on the independently measured Ohta set (D65)."""
    m = sensor_to_xyz_matrix(QE, WAVE, illuminant="D65", chart=FIT_CHART, preserve_white=preserve_white)
    il = d65_photons()
    s, refl = chart_responses(HELD_OUT_CHART, il)
    s = s / (il @ QE).max()  # the matrix's input scale: white's brightest channel = 1
    sd = colour.SDS_ILLUMINANTS["D65"]
    d65_energy = np.interp(WAVE, sd.wavelengths, sd.values)
    truth = reference_xyz(refl, d65_energy)
    white = reference_xyz(np.ones(WAVE.size), d65_energy)
    de = colour.delta_E(lab(truth, white), lab(s @ m, white), method="CIE 2000")
    print(f"\nheld-out ΔE2000 (preserve_white={preserve_white}): mean {de.mean():.3f}, max {de.max():.3f}")
    assert de.mean() <= MAX_MEAN_DELTA_E


def test_matrix_is_the_isetcam_least_squares_fit_up_to_scale():
    """Unconstrained M equals MATLAB's S\\X on raw responses (ISETCam imageSensorTransform), rescaled."""
    il = d65_photons()
    s, refl = chart_responses(FIT_CHART, il)
    cmf_q = spectra.cmfs(WAVE) / WAVE[:, None]  # photon basis ∝ cmf·hc/λ
    x = (refl * il) @ cmf_q
    raw_fit = np.linalg.lstsq(s, x, rcond=None)[0]
    scale = (il @ QE).max() / (il @ cmf_q[:, 1])
    np.testing.assert_allclose(sensor_to_xyz_matrix(QE, WAVE), raw_fit * scale, rtol=1e-9)


def test_white_preserving_fit_maps_white_exactly():
    m = sensor_to_xyz_matrix(QE, WAVE, preserve_white=True)
    white_rgb = d65_photons() @ QE
    np.testing.assert_allclose((white_rgb / white_rgb.max()) @ m, chart_xyz(WAVE), rtol=1e-12)
    assert chart_xyz(WAVE)[1] == 1.0


def test_non_uniform_wavelength_grid_integrates_like_a_uniform_one():
    """Sums are weighted by Δλ (as the sensor integrates): a grid that is 2.5 nm below 550 nm
    and 10 nm above gives CIE A's tabulated white point (colour-science) and the same matrix."""
    fine = np.concatenate([np.arange(400.0, 550.0, 2.5), np.arange(550.0, 701.0, 10.0)])
    white_a = colour.xy_to_XYZ(colour.CCS_ILLUMINANTS["CIE 1931 2 Degree Standard Observer"]["A"])
    np.testing.assert_allclose(chart_xyz(fine, illuminant="A"), white_a, atol=5e-3)
    qe_fine = spectra.camera_sensitivities("Nikon 5100 (NPL)", fine)
    m_fine, m = sensor_to_xyz_matrix(qe_fine, fine), sensor_to_xyz_matrix(QE, WAVE)
    assert np.abs(m_fine - m).max() <= 1e-2 * np.abs(m).max()


def test_matrix_ignores_absolute_scale_of_qe_and_illuminant():
    a = sensor_to_xyz_matrix(QE, WAVE, illuminant=d65_photons())
    b = sensor_to_xyz_matrix(QE * 0.37, WAVE, illuminant=d65_photons() * 1e15)
    np.testing.assert_allclose(a, b, rtol=1e-10)
    np.testing.assert_allclose(a, sensor_to_xyz_matrix(QE, WAVE, illuminant="D65"), rtol=1e-9)


def test_matrix_is_cached_per_sensor():
    isp = ISP()
    isp.matrix(QE, WAVE)
    hits = _matrix_cached.cache_info().hits
    m = isp.matrix(QE.copy(), WAVE.copy())
    assert _matrix_cached.cache_info().hits == hits + 1
    assert not m.flags.writeable


# ----------------------------------------------------------------------------- white balance

def test_illuminant_correction_neutralises_greys_under_a():
    """Chart under CIE A, white_balance='illuminant' (A): neutral patches have C* ≤ 3 vs the D65 white."""
    il_a = spectra.illuminant("A", WAVE, photons=True)
    s, _ = chart_responses(FIT_CHART, il_a)
    raw = chart_raw(0.9 * s / s.max(), np.arange(24).reshape(4, 6))
    out = ISP(white_balance="illuminant", scene_illuminant="A", exposure_normalisation="none").render(raw)
    xyz = centres(out.xyz)
    c = chroma(xyz / xyz[18, 1], chart_xyz(WAVE))[NEUTRALS]
    print(f"\nC*ab of neutrals under A after illuminant correction: {np.round(c, 2)}")
    assert np.all(c[:4] <= MAX_NEUTRAL_CHROMA)
    uncorrected = ISP(exposure_normalisation="none").render(raw)
    assert chroma(centres(uncorrected.xyz)[18] / centres(uncorrected.xyz)[18, 1], chart_xyz(WAVE)) > 20


def test_illuminant_gains_are_von_kries_ratios():
    g = illuminant_gains(QE, WAVE, "A")
    w_a = sensor_response(QE, WAVE, illuminant="A")
    w_d65 = sensor_response(QE, WAVE, illuminant="D65")
    assert g[1] == 1.0
    np.testing.assert_allclose(w_a * g / (w_a * g)[1], w_d65 / w_d65[1], rtol=1e-12)
    np.testing.assert_allclose(illuminant_gains(QE, WAVE, "D65"), 1.0, rtol=1e-12)


def test_gray_world_on_neutral_dominated_scene():
    """90 % grey patches, 10 % colour, under A: gray world leaves the greys near neutral."""
    rng = np.random.default_rng(3)
    layout = np.where(rng.random((8, 8)) < 0.9, rng.integers(18, 24, (8, 8)), rng.integers(0, 18, (8, 8)))
    s, _ = chart_responses(FIT_CHART, spectra.illuminant("A", WAVE, photons=True))
    out = ISP(white_balance="gray_world").render(chart_raw(0.9 * s / s.max(), layout, "grbg"))
    xyz = centres(out.xyz)
    c = chroma(xyz / out.xyz[..., 1].max(), chart_xyz(WAVE))[layout.ravel() >= 18]
    print(f"\ngray world, greys under A: mean C* {c.mean():.2f}, max {c.max():.2f}; gains {out.gains}")
    assert c.max() <= MAX_NEUTRAL_CHROMA


def test_gray_world_gains_make_means_proportional_to_white():
    rgb = np.random.default_rng(0).random((6, 7, 3)) * [0.3, 0.8, 0.5]
    white = np.array([0.7, 1.3, 0.9])
    g = gray_world_gains(rgb, white)
    np.testing.assert_allclose((rgb * g).mean(axis=(0, 1)) / white, (rgb * g).mean(axis=(0, 1))[1] / white[1])
    np.testing.assert_array_equal(gray_world_gains(np.zeros((2, 2, 3)), white), 1.0)


def test_white_world_finds_a_perfect_white():
    """A perfect diffuser next to darker greys under A: white world ≈ the illuminant gains."""
    w_a = sensor_response(QE, WAVE, illuminant="A")
    rgb = np.concatenate([np.broadcast_to(w_a, (10, 10, 3)), np.broadcast_to(0.3 * w_a, (10, 10, 3))]) / w_a.max()
    g = white_world_gains(rgb, sensor_response(QE, WAVE, illuminant="D65"))
    np.testing.assert_allclose(g, illuminant_gains(QE, WAVE, "A"), rtol=1e-12)


def test_fixed_gains_are_applied_in_sensor_space():
    s, _ = chart_responses(FIT_CHART, d65_photons())
    raw = chart_raw(0.5 * s / s.max(), np.arange(24).reshape(4, 6))
    plain = ISP(exposure_normalisation="none").render(raw)
    gained = ISP(white_balance=(1.5, 1.0, 0.5), exposure_normalisation="none").render(raw)
    np.testing.assert_allclose(gained.xyz, np.maximum((plain.sensor_rgb * [1.5, 1.0, 0.5]) @ plain.matrix, 0),
                               atol=1e-6)


# ----------------------------------------------------------------------------- display encoding

def test_srgb_encoding_matches_colour_science():
    x = np.concatenate([np.linspace(0, 1, 2001), [0.0031308, 0.0031309, 1e-6]])
    np.testing.assert_allclose(srgb_encode(x), colour.cctf_encoding(x, function="sRGB"), rtol=0, atol=1e-6)
    assert srgb_encode(np.float32([0.5])).dtype == np.float32
    np.testing.assert_allclose(srgb_encode([-0.1, 1.2]), [0.0, 1.0], atol=1e-15)  # clipped first


def test_xyz_to_srgb_matrix_matches_colour_science_and_iec():
    iec = np.array([[3.2406, -1.5372, -0.4986], [-0.9689, 1.8758, 0.0415], [0.0557, -0.2040, 1.0570]])
    np.testing.assert_allclose(xyz_to_linear_srgb_matrix(), iec.T, atol=1e-12)  # IEC 61966-2-1 values
    xyz = np.random.default_rng(1).random((20, 3))
    np.testing.assert_allclose(xyz @ xyz_to_linear_srgb_matrix(),
                               colour.XYZ_to_RGB(xyz, "sRGB", chromatic_adaptation_transform=None), atol=1e-12)
    white = chart_xyz(WAVE, illuminant="A")
    np.testing.assert_allclose(
        xyz @ xyz_to_linear_srgb_matrix(white),
        colour.XYZ_to_RGB(xyz, "sRGB", illuminant=colour.XYZ_to_xy(white), chromatic_adaptation_transform="Bradford"),
        atol=1e-12)
    # The white maps to display white, up to the 4-decimal rounding of the IEC matrix.
    np.testing.assert_allclose(white @ xyz_to_linear_srgb_matrix(white), [1.0, 1.0, 1.0], atol=5e-4)


# ----------------------------------------------------------------------------- end to end

def _macbeth_raw_d65(level=0.9, cfa="gbrg"):
    il = d65_photons()
    s, refl = chart_responses(FIT_CHART, il)
    s = level * s / (il @ QE).max()  # a perfect white would sit at `level` in its brightest channel
    return chart_raw(s, np.arange(24).reshape(4, 6), cfa), s, refl


def test_end_to_end_equals_independent_pipeline():
    """
    Patch centres of the rendered sRGB equal colour-science's XYZ → sRGB (Bradford from the
    calibration white, then cctf_encoding) applied to the known patch RGB through the fitted
    matrix. Tolerance: float32 arithmetic (~1e-7 relative) through a 3×3 matrix, two 3×3
    transforms and the transfer curve (slope ≤ 12.92), so 2e-5 absolute.
    """
    raw, s, _ = _macbeth_raw_d65()
    isp = ISP(exposure_normalisation="none")
    out = isp.render(raw)
    m = sensor_to_xyz_matrix(QE, WAVE, preserve_white=True)
    rgb_lin = colour.XYZ_to_RGB(np.maximum(s @ m, 0), "sRGB", illuminant=colour.XYZ_to_xy(chart_xyz(WAVE)),
                                chromatic_adaptation_transform="Bradford")
    expected = colour.cctf_encoding(np.clip(rgb_lin, 0, 1), function="sRGB")
    np.testing.assert_allclose(centres(out.image), expected, rtol=0, atol=TOLERANCE_FLOAT32)
    np.testing.assert_allclose(centres(out.sensor_rgb), s, rtol=0, atol=1e-6)
    assert isinstance(out, Rendering) and out.image.dtype == np.float32 and out.image.shape == (32, 48, 3)
    assert out.image.min() >= 0 and out.image.max() <= 1


def test_end_to_end_colorimetric_accuracy():
    """Against spectral ground truth: mean ΔE2000 of the rendered patches ≤ 3, greys neutral."""
    raw, s, refl = _macbeth_raw_d65(level=0.9)
    out = ISP(exposure_normalisation="none").render(raw)
    sd = colour.SDS_ILLUMINANTS["D65"]
    e = np.interp(WAVE, sd.wavelengths, sd.values)
    truth = 0.9 * reference_xyz(refl, e)  # white at 0.9 of saturation → Y = 0.9
    white = reference_xyz(np.ones(WAVE.size), e)
    de = colour.delta_E(lab(truth, white), lab(centres(out.xyz), white), method="CIE 2000")
    print(f"\nend-to-end ΔE2000 (fit chart, D65): mean {de.mean():.3f}, max {de.max():.3f}")
    assert de.mean() <= MAX_MEAN_DELTA_E
    assert de[NEUTRALS].max() <= 1.5  # greys (white preserved exactly by the fit) stay close


def test_isetcam_exposure_normalisation_analog_and_digital():
    raw, _, _ = _macbeth_raw_d65(level=0.6)
    out = ISP().render(raw)  # analog: max(linear) = max(V)/swing
    assert out.linear.max() == pytest.approx(raw.volts.max(), rel=1e-5)
    dn = np.round(64 + raw.volts * (1023 - 64)).astype(np.uint16)
    digital = Raw(electrons=raw.electrons, volts=raw.volts, digital=dn, mean_electrons=raw.mean_electrons,
                  cfa=raw.cfa, black_level=64.0, white_level=1023.0, exposure_time=0.01, analog_gain=1.0,
                  sensor=raw.sensor)
    out_d = ISP().render(digital)
    assert out_d.linear.max() == pytest.approx(1.0, rel=1e-6)
    np.testing.assert_allclose(out_d.sensor_rgb, out.sensor_rgb, atol=1 / 959)  # black-subtracted, ÷(white−black)


def test_malvar_render_agrees_in_flat_patches():
    raw, _, _ = _macbeth_raw_d65()
    # Absolute exposure: with "isetcam", Malvar's overshoot at patch edges would change the max.
    a = ISP(demosaic="bilinear", exposure_normalisation="none").render(raw)
    b = ISP(demosaic="malvar", exposure_normalisation="none").render(raw)
    np.testing.assert_allclose(centres(a.image), centres(b.image), atol=1e-5)


def test_monochrome_raw_renders_grey():
    v = np.random.default_rng(2).random((6, 8)).astype(np.float32) * 0.8
    out = ISP().render(make_raw(v, cfa=None))
    np.testing.assert_array_equal(out.image[..., 0], out.image[..., 2])
    np.testing.assert_allclose(out.linear[..., 1], v, atol=1e-7)
    assert out.matrix is None
    np.testing.assert_allclose(out.xyz[..., 1], v, atol=1e-4)  # sRGB grey → Y = linear value


# ----------------------------------------------------------------------------- bad input

@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(demosaic="vng"), "`demosaic` must be one of"),
        (dict(white_balance="auto"), "`white_balance` must be one of"),
        (dict(white_balance=(1.0, 0.0, 1.0)), "`white_balance` gains must be 3 finite values > 0"),
        (dict(white_balance=(1.0, 1.0)), "`white_balance` gains"),
        (dict(white_balance=(1.0, np.nan, 1.0)), "`white_balance` gains"),
        (dict(white_balance="illuminant"), "`scene_illuminant` is required"),
        (dict(white_balance="illuminant", scene_illuminant="tungsten lamp"), "`scene_illuminant` must be"),
        (dict(calibration_illuminant=[-1.0, 1.0]), "`calibration_illuminant` must be"),
        (dict(chart="Macbeth 1976"), "`chart` must be one of"),
        (dict(exposure_normalisation="auto"), "`exposure_normalisation` must be one of"),
    ],
)
def test_isp_rejects_bad_parameters(kwargs, match):
    with pytest.raises(ValueError, match=match):
        ISP(**kwargs)


def test_render_rejects_bad_raws():
    good = np.full((4, 4), 0.5, np.float32)
    with pytest.raises(ValueError, match="`raw.cfa` must be one of"):
        ISP().render(make_raw(good, cfa="rgbw"))
    with pytest.raises(ValueError, match="at least 2×2"):
        ISP().render(make_raw(good[:1]))
    with pytest.raises(ValueError, match="finite"):
        ISP().render(make_raw(np.where(np.eye(4, dtype=bool), np.nan, good)))
    with pytest.raises(ValueError, match="`raw.white_level`"):
        ISP().render(make_raw(good, black=1.0, white=1.0))
    bad_qe = make_raw(good)
    object.__setattr__(bad_qe, "sensor", types.SimpleNamespace(qe=QE[:-1], wave=WAVE, cfa="rggb"))
    with pytest.raises(ValueError, match=r"`qe` must have shape \(n_wave, 3\)"):
        ISP().render(bad_qe)
    object.__setattr__(bad_qe, "sensor", None)
    with pytest.raises(ValueError, match="`raw.sensor` must provide"):
        ISP().render(bad_qe)
    with pytest.raises(ValueError, match="`scene_illuminant` spectrum has 3 samples"):
        ISP(white_balance="illuminant", scene_illuminant=[1.0, 1.0, 1.0]).render(make_raw(good))


def test_pure_functions_reject_bad_input():
    with pytest.raises(ValueError, match="`qe` must have shape"):
        sensor_to_xyz_matrix(QE[:, :2], WAVE)
    with pytest.raises(ValueError, match="`illuminant` must be one of"):
        sensor_to_xyz_matrix(QE, WAVE, illuminant="D66")
    with pytest.raises(ValueError, match="`chart`"):
        sensor_to_xyz_matrix(QE, WAVE, chart=np.ones((2, WAVE.size)))
    with pytest.raises(ValueError, match="`white_rgb`"):
        gray_world_gains(np.ones((2, 2, 3)), [1.0, 0.0, 1.0])
    with pytest.raises(ValueError, match="`white_xyz`"):
        xyz_to_linear_srgb_matrix([1.0, 0.0, 1.0])


def test_spectra_given_as_arrays_equal_named_ones():
    """Illuminants may be photon spectra on the sensor grid instead of names."""
    d65, a = (spectra.illuminant(n, WAVE, photons=True) for n in ("D65", "A"))
    np.testing.assert_allclose(ISP(calibration_illuminant=d65).matrix(QE, WAVE), ISP().matrix(QE, WAVE), rtol=1e-12)
    s, _ = chart_responses(FIT_CHART, a)
    raw = chart_raw(0.9 * s / s.max(), np.arange(24).reshape(4, 6))
    by_name = ISP(white_balance="illuminant", scene_illuminant="A").render(raw)
    by_array = ISP(white_balance="illuminant", scene_illuminant=a * 3e12).render(raw)
    np.testing.assert_allclose(by_array.gains, by_name.gains, rtol=1e-12)
    np.testing.assert_allclose(by_array.image, by_name.image, atol=1e-6)
