"""Units: constants and radiometric conversions against scipy.constants and colour-science."""

import colour
import numpy as np
import pytest
from scipy import constants

from camsim import colorimetry, spectra, units

WAVE = spectra.DEFAULT_WAVE


def test_photon_energy_at_555nm_is_hc_over_lambda():
    assert units.photon_energy([555.0])[0] == pytest.approx(constants.h * constants.c / 555e-9, rel=1e-15)


def test_energy_photons_round_trip():
    e = np.random.default_rng(0).random((7, 5, WAVE.size)) * 1e-3
    back = units.photons_to_energy(units.energy_to_photons(e, WAVE), WAVE)
    np.testing.assert_allclose(back, e, rtol=1e-12)


def test_one_joule_at_550nm_photon_count():
    """ISETCam reference: 1 J at 550 nm is 2.7687e18 photons."""
    assert units.energy_to_photons([1.0], [550.0])[0] == pytest.approx(2.7687e18, rel=1e-4)


def test_luminance_of_d65_matches_colour_science_Y():
    """683·Σ E·V·Δλ equals colour-science's absolute Y (Integration method, k = 683)."""
    d65 = spectra.illuminant("D65", WAVE)
    sd = colour.SpectralDistribution(dict(zip(WAVE, d65)))
    xyz_ref = colour.sd_to_XYZ(sd, k=683, method="Integration", shape=colour.SpectralShape(400, 700, 10))
    assert colorimetry.luminance_from_energy(d65, WAVE) == pytest.approx(xyz_ref[1], rel=1e-9)
    np.testing.assert_allclose(colorimetry.xyz_from_energy(d65, WAVE), xyz_ref, rtol=1e-9)


def test_luminance_from_photons_equals_energy_path():
    e = np.random.default_rng(1).random(WAVE.size)
    assert colorimetry.luminance_from_photons(units.energy_to_photons(e, WAVE), WAVE) == pytest.approx(
        colorimetry.luminance_from_energy(e, WAVE), rel=1e-12)


def test_wave_bin_width_uniform_and_single():
    np.testing.assert_array_equal(units.wave_bin_width(WAVE), np.full(WAVE.size, 10.0))
    assert units.wave_bin_width([550.0])[0] == 10.0


@pytest.mark.parametrize("bad", [[], [[400, 500]], [500, 400], [0, 10], [np.nan]])
def test_bad_wave_raises(bad):
    with pytest.raises(ValueError, match="wave"):
        units.photon_energy(bad)


@pytest.mark.parametrize("module, name, home", [
    ("units", "luminance_from_energy", "colorimetry"), ("units", "xyz_from_photons", "colorimetry"),
    ("isp", "sensor_to_xyz_matrix", "colorimetry"), ("isp", "srgb_encode", "colorimetry"),
    ("isp", "gray_world_gains", "white_balance"), ("isp", "illuminant_gains", "white_balance"),
])
def test_moved_names_resolve_with_a_deprecation_warning(module, name, home):
    import importlib

    old, new = importlib.import_module(f"camsim.{module}"), importlib.import_module(f"camsim.{home}")
    with pytest.warns(DeprecationWarning, match=f"camsim.{home}.{name}"):
        assert getattr(old, name) is getattr(new, name)
    with pytest.raises(AttributeError):
        getattr(old, "no_such_name")
