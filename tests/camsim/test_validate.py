"""camsim._validate: wrong types raise TypeError, wrong values ValueError, messages name the parameter."""

import numpy as np
import pytest

import camsim
from camsim import _validate as check


@pytest.mark.parametrize("bad", ["1.0", None, True, [1.0], object()])
def test_number_rejects_wrong_types_with_type_error(bad):
    with pytest.raises(TypeError, match="`x` must be a number"):
        check.number("x", bad, "m", low=0)


@pytest.mark.parametrize("bad", [0.0, -1.0, float("nan"), float("inf")])
def test_positive_rejects_wrong_values_with_value_error(bad):
    with pytest.raises(ValueError, match=r"`x` must be finite and in \(0, inf\) m") as info:
        check.positive("x", bad, "m")
    assert not isinstance(info.value, TypeError)


def test_number_accepts_numpy_scalars_and_keeps_bounds():
    assert check.number("x", np.float32(0.5), low=0, high=1) == 0.5
    assert check.number("x", np.array(2.0)) == 2.0
    with pytest.raises(ValueError, match=r"\(0, 1\)"):
        check.number("x", 1.0, low=0, high=1, low_open=True, high_open=True)


def test_integer_and_seed():
    assert check.integer("n", np.int64(3), low=1) == 3
    with pytest.raises(TypeError, match="`n` must be an integer"):
        check.integer("n", 3.0, low=1)
    with pytest.raises(ValueError, match=r"\[1, 16\]"):
        check.integer("n", 17, low=1, high=16)
    with pytest.raises(ValueError, match="2\\*\\*64"):
        check.seed("seed", -1)
    with pytest.raises(TypeError):
        check.seed("seed", "7")


def test_type_errors_are_also_value_errors_for_older_callers():
    assert issubclass(check.ArgumentTypeError, TypeError)
    assert issubclass(check.ArgumentTypeError, ValueError)


def test_illuminant_photons_resolves_names_and_spectra():
    wave = camsim.spectra.DEFAULT_WAVE
    d65 = check.illuminant_photons("D65", wave)
    np.testing.assert_array_equal(check.illuminant_photons(d65, wave), d65)
    with pytest.raises(ValueError, match="`light` must be one of"):
        check.illuminant_photons("nope", wave, "light")
    with pytest.raises(ValueError, match="not all zero"):
        check.illuminant_photons(np.zeros(wave.size), wave)
    assert check.illuminant_photons(np.zeros(wave.size), wave, nonzero=False).sum() == 0


@pytest.mark.parametrize("make", [
    lambda: camsim.Sensor(pixel_pitch="2e-6"),
    lambda: camsim.Sensor(bit_depth=10.0),
    lambda: camsim.Sensor(noise="on"),
    lambda: camsim.Sensor(pattern_seed=1.5),
    lambda: camsim.Optics(fnumber="4"),
    lambda: camsim.charts.macbeth(patch_size=4.0),
])
def test_public_constructors_raise_type_error_for_wrong_types(make):
    with pytest.raises(TypeError):
        make()


# --------------------------------------------------------------------------- the illuminant resolver


def test_illuminant_photons_takes_a_colour_spectral_distribution():
    """Independent reference: colour-science's tabulated D65 (5 nm) at the grid, × λ/(h·c) (scipy constants)."""
    import colour
    from scipy.constants import c, h

    wave = camsim.spectra.DEFAULT_WAVE
    sd = colour.SDS_ILLUMINANTS["D65"]
    want = np.array([sd[w] for w in wave]) * wave * 1e-9 / (h * c)  # photons/s per W, per nm
    got = check.illuminant_photons(sd, wave, "light")
    np.testing.assert_allclose(got, want, rtol=1e-12)
    np.testing.assert_allclose(got, check.illuminant_photons("D65", wave), rtol=1e-12)  # same as the name
    # off the table's grid: linear interpolation between its samples
    mid = np.array([402.5, 600.0])
    lin = np.array([(sd[400.0] + sd[405.0]) / 2, sd[600.0]]) * mid * 1e-9 / (h * c)
    np.testing.assert_allclose(check.illuminant_photons(sd, mid), lin, rtol=1e-12)


@pytest.mark.parametrize("bad", [None, {"D65": 1.0}, object(), True, ["a", "b"]])
def test_illuminant_resolvers_reject_wrong_types_with_type_error(bad):
    wave = camsim.spectra.DEFAULT_WAVE
    with pytest.raises(TypeError, match="`light`"):
        check.illuminant_photons(bad, wave, "light")
    if bad is not None:
        with pytest.raises(TypeError, match="`light`"):
            check.illuminant_spectrum(bad, "light")


def test_illuminant_resolvers_reject_wrong_values_naming_the_parameter():
    wave = camsim.spectra.DEFAULT_WAVE
    with pytest.raises(ValueError, match="`light` spectrum has 3 samples but `wave` has 31"):
        check.illuminant_photons([1.0, 2.0, 3.0], wave, "light")
    with pytest.raises(ValueError, match="`light` spectrum must be finite"):
        check.illuminant_photons(np.full(wave.size, -1.0), wave, "light")
    with pytest.raises(ValueError, match="`light` must be an illuminant name or a 1-D photon spectrum"):
        check.illuminant_spectrum([0.0, 0.0], "light")
    assert check.illuminant_spectrum(None, allow_none=True) is None
    assert check.illuminant_spectrum("A") == "A" and check.illuminant_spectrum(np.ones(3)) == (1.0, 1.0, 1.0)
    with pytest.raises(ValueError, match=r"`x` must be one of .*; got 'candle'") as info:
        check.illuminant_name("x", "candle")
    assert "spectrum" not in str(info.value)


def test_every_illuminant_parameter_uses_the_resolver():
    """ISP fields, ISP.render(scene_light=...), Scene.with_illuminant and Camera.scene_light: same types, same errors."""
    import colour

    with pytest.raises(TypeError, match="`calibration_illuminant`"):
        camsim.ISP(calibration_illuminant={"D65": 1.0})
    with pytest.raises(TypeError, match="`scene_illuminant`"):
        camsim.ISP(white_balance="illuminant", scene_illuminant=colour.SDS_ILLUMINANTS["A"])
    with pytest.raises(ValueError, match="`scene_illuminant` must be one of"):
        camsim.ISP(white_balance="illuminant", scene_illuminant="candle")
    with pytest.raises(TypeError, match="`scene_light`"):
        camsim.Camera(scene_light=5)
    with pytest.raises(ValueError, match="`scene_light` must be one of"):
        camsim.Camera(scene_light="candle")
    scene = camsim.charts.macbeth(patch_size=4)
    by_name = scene.with_illuminant("A")
    np.testing.assert_allclose(scene.with_illuminant(colour.SDS_ILLUMINANTS["A"]).radiance, by_name.radiance,
                               rtol=1e-5)
    with pytest.raises(TypeError, match="`illuminant`"):
        scene.with_illuminant(None)
    with pytest.raises(ValueError, match="`illuminant` spectrum has 2 samples"):
        scene.with_illuminant([1.0, 1.0])
