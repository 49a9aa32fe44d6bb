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
