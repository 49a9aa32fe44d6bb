"""Spectra: data come from colour-science and are resampled without distortion."""

import colour
import numpy as np
import pytest

from camsim import spectra


def test_default_grid():
    np.testing.assert_array_equal(spectra.DEFAULT_WAVE, np.arange(400, 701, 10))
    np.testing.assert_array_equal(spectra.wavelengths(400, 700, 10), spectra.DEFAULT_WAVE)


def test_cmfs_match_colour_on_tabulated_points():
    ref = colour.MSDS_CMFS["CIE 1931 2 Degree Standard Observer"]
    np.testing.assert_allclose(spectra.cmfs([450.0, 555.0, 600.0]), ref[[450, 555, 600]], rtol=1e-12)


def test_illuminants_resampled_from_colour():
    d65 = colour.SDS_ILLUMINANTS["D65"]
    np.testing.assert_allclose(spectra.illuminant("D65", [500.0, 560.0]), d65[[500, 560]], rtol=1e-12)
    a = colour.SDS_ILLUMINANTS["A"]
    np.testing.assert_allclose(spectra.illuminant("A", [455.0]), a[[455]], rtol=1e-12)


def test_blackbody_matches_planck_law():
    """Against colour-science's planck_law; it uses the CIE radiation constant
    c2 = 1.4388e-2 m·K rather than CODATA hc/k = 1.438777e-2, hence ~1e-4 differences."""
    lam = np.array([450e-9, 500e-9, 650e-9])
    expected = np.ravel(colour.colorimetry.planck_law(lam, 5000.0)) * 1e-9
    np.testing.assert_allclose(spectra.blackbody(5000.0, lam * 1e9), expected, rtol=2e-4)


def test_equal_photons_is_flat_in_photons():
    p = spectra.illuminant("equal_photons", photons=True)
    assert np.ptp(p / p[0]) < 1e-12


def test_colorchecker_and_sensors_shapes():
    refl, names = spectra.colorchecker("ColorChecker N Ohta")
    assert refl.shape == (24, 31) and names[0] == "dark skin" and names[18] == "white 9.5 (.05 D)"
    assert spectra.camera_sensitivities().shape == (31, 3)
    assert spectra.display_primaries().shape == (31, 3)


@pytest.mark.parametrize("fn", [spectra.illuminant, spectra.colorchecker, spectra.display_primaries, spectra.camera_sensitivities])
def test_unknown_name_lists_valid_ones(fn):
    with pytest.raises(ValueError, match="must be one of"):
        fn("nope")
