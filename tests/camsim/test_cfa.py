"""Tests for camsim.cfa: the Bayer layouts against their definition, and the mosaic ↔ channel-map round trip."""

import warnings

import numpy as np
import pytest

from camsim import Sensor
from camsim.cfa import CFA_PATTERNS, CHANNELS, cfa_indices, channel_map, check_cfa
from camsim.demosaic import demosaic, mosaic

R, G, B = 0, 1, 2
# Written out by hand from the definition (filters of the 2×2 tile read row by row; Bayer 1976, ISETCam sensorCreate).
LAYOUTS = {
    "rggb": [[R, G], [G, B]],
    "grbg": [[G, R], [B, G]],
    "gbrg": [[G, B], [R, G]],
    "bggr": [[B, G], [G, R]],
}


def test_supported_patterns_and_channel_order():
    assert sorted(CFA_PATTERNS) == sorted(LAYOUTS)
    assert CHANNELS == ("r", "g", "b")


@pytest.mark.parametrize("pattern", sorted(LAYOUTS))
def test_tile_matches_the_definition(pattern):
    np.testing.assert_array_equal(cfa_indices(pattern), LAYOUTS[pattern])
    np.testing.assert_array_equal(cfa_indices(pattern.upper()), LAYOUTS[pattern])
    # the name itself: site (i, j) carries letter 2i + j
    for i in range(2):
        for j in range(2):
            assert CHANNELS[cfa_indices(pattern)[i, j]] == pattern[2 * i + j]


def test_rggb_sites():
    t = cfa_indices("rggb")
    assert t[0, 0] == R and t[0, 1] == G and t[1, 0] == G and t[1, 1] == B
    assert cfa_indices("bggr").tolist() == [[2, 1], [1, 0]]


@pytest.mark.parametrize("pattern", sorted(LAYOUTS))
@pytest.mark.parametrize("size", [(1, 1), (2, 2), (5, 3), (4, 7)])
def test_channel_map_repeats_the_tile(pattern, size):
    chan = channel_map(pattern, size)
    assert chan.shape == size and chan.dtype == np.int8
    for (i, j), c in np.ndenumerate(chan):
        assert c == LAYOUTS[pattern][i % 2][j % 2]
    # every 2×2 block holds one R, two G and one B
    full = channel_map(pattern, (2 * size[0], 2 * size[1]))
    counts = np.bincount(full.ravel(), minlength=3)
    assert counts.tolist() == [full.size // 4, full.size // 2, full.size // 4]
    np.testing.assert_array_equal(Sensor(cfa=pattern, size=size).channel_map(), chan)


def test_monochrome_channel_map_is_zero():
    np.testing.assert_array_equal(channel_map(None, (3, 4)), np.zeros((3, 4)))
    np.testing.assert_array_equal(Sensor(cfa=None, size=(3, 4)).channel_map(), np.zeros((3, 4)))


@pytest.mark.parametrize("pattern", sorted(LAYOUTS))
def test_mosaic_and_channel_map_round_trip(pattern):
    rng = np.random.default_rng(3)
    rows, cols = 6, 9
    rgb = rng.random((rows, cols, 3)).astype(np.float32)
    chan = channel_map(pattern, (rows, cols))
    m = mosaic(rgb, pattern)
    # mosaic → channel map: each sample is the plane its site carries
    np.testing.assert_array_equal(m, np.take_along_axis(rgb, chan[..., None].astype(np.intp), axis=2)[..., 0])
    # a cube whose plane c holds c everywhere mosaics to the channel map itself
    code = np.broadcast_to(np.arange(3, dtype=np.float32), (rows, cols, 3))
    np.testing.assert_array_equal(mosaic(code, pattern), chan)
    # channel map → mosaic: scatter the samples into their planes, sample again, same mosaic
    planes = np.zeros((rows, cols, 3), np.float32)
    np.put_along_axis(planes, chan[..., None].astype(np.intp), m[..., None], axis=2)
    np.testing.assert_array_equal(mosaic(planes, pattern), m)
    # demosaic keeps each sampled channel unchanged at its site
    out = demosaic(m, pattern)
    np.testing.assert_array_equal(np.take_along_axis(out, chan[..., None].astype(np.intp), axis=2)[..., 0], m)


def test_check_cfa():
    assert check_cfa("GRBG") == "grbg"
    assert check_cfa(None, monochrome=True) is None
    with pytest.raises(TypeError, match="`cfa` must be one of"):
        check_cfa(None)
    with pytest.raises(TypeError, match="`pattern`"):
        check_cfa(5, "pattern")
    with pytest.raises(ValueError, match=r"`cfa` must be one of .* or None \(monochrome\); got 'rgbg'"):
        check_cfa("rgbg", monochrome=True)
    with pytest.raises(ValueError, match="`size`"):
        channel_map("rggb", 4)
    with pytest.raises(ValueError, match="`size rows`"):
        channel_map("rggb", (0, 4))


def test_old_homes_are_deprecated_aliases():
    import camsim.demosaic
    import camsim.sensor

    with pytest.warns(DeprecationWarning, match="camsim.cfa"):
        sites = camsim.sensor.CFA_SITES
    assert {k: np.array(v).tolist() for k, v in sites.items()} == LAYOUTS
    with pytest.warns(DeprecationWarning, match="camsim.cfa"):
        assert camsim.sensor.CHANNELS == ("r", "g", "b")
    with pytest.warns(DeprecationWarning, match="camsim.cfa"):
        assert camsim.demosaic.CFA_PATTERNS == CFA_PATTERNS
    with pytest.warns(DeprecationWarning, match="camsim.cfa"):
        np.testing.assert_array_equal(camsim.demosaic.cfa_indices("gbrg"), LAYOUTS["gbrg"])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(AttributeError):
            camsim.sensor.NOT_A_NAME  # noqa: B018
