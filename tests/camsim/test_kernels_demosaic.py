"""Demosaic kernels (:mod:`camsim._kernels.demosaic`) against their NumPy twins (``reference_demosaic.py``)."""

import numpy as np
import pytest

from camsim.cfa import cfa_indices
from camsim.demosaic import demosaic, mosaic
from camsim._kernels import demosaic as kernels

import reference_demosaic as ref

PATTERNS = ("RGGB", "GRBG", "GBRG", "BGGR")
METHODS = ("bilinear", "malvar", "menon")
TOLERANCE_TWIN = 2e-6  # same formulas, float32 vs float64, values in [0, 1]
TOLERANCE_TWIN_MENON = 1e-6  # eight chained float32 stages; observed ≤ 3e-7
RNG = np.random.default_rng(20040517)


@pytest.mark.parametrize("pattern", PATTERNS)
@pytest.mark.parametrize("refine", [True, False])
@pytest.mark.parametrize("shape", [(2, 2), (3, 5), (4, 4), (17, 10), (181, 183)])
def test_menon_matches_numpy_twin_everywhere(pattern, refine, shape):
    """Staged per-site numba passes equal the whole-array NumPy formulation, borders included."""
    m = RNG.random(shape).astype(np.float32)
    ours = kernels.menon(m, cfa_indices(pattern), refine)
    np.testing.assert_allclose(ours, ref.menon(m, pattern, refine), rtol=0, atol=TOLERANCE_TWIN_MENON)


@pytest.mark.parametrize("pattern", PATTERNS)
@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("shape", [(2, 2), (3, 5), (4, 4), (17, 10)])
def test_matches_numpy_twin_everywhere(pattern, method, shape):
    """Per-site numba formulas equal masked 'mirror' convolutions, borders included."""
    m = RNG.random(shape).astype(np.float32)
    ours = demosaic(m, pattern.lower(), method)
    twin = getattr(ref, method)(m, pattern)
    np.testing.assert_allclose(ours, twin, rtol=0, atol=TOLERANCE_TWIN)


@pytest.mark.parametrize("pattern", PATTERNS)
def test_mosaic_matches_twin_and_round_trips_sampled_values(pattern):
    rgb = RNG.random((9, 12, 3)).astype(np.float32)
    mos = mosaic(rgb, pattern)
    np.testing.assert_array_equal(mos, ref.mosaic(rgb, pattern).astype(np.float32))
    for method in METHODS:  # sampled channels pass through demosaicking unchanged
        out = demosaic(mos, pattern, method)
        np.testing.assert_array_equal(mosaic(out, pattern), mos)


def test_mirror_index_is_whole_sample_symmetric():
    n = 5
    got = [kernels.mirror_index(i, n) for i in range(-6, 12)]
    want = [np.pad(np.arange(n), 7, mode="reflect")[i + 7] for i in range(-6, 12)]
    assert got == want
    assert [kernels.mirror_index(i, 2) for i in (-2, -1, 2, 3)] == [0, 1, 0, 1]  # parity kept
