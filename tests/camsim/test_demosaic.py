"""Demosaic: kernels against colour-demosaicing, against NumPy twins, and exact cases."""

import warnings

import numpy as np
import pytest

from camsim.cfa import cfa_indices
from camsim.demosaic import demosaic, mosaic
from camsim._kernels import demosaic as kernels


PATTERNS = ("RGGB", "GRBG", "GBRG", "BGGR")
METHODS = ("bilinear", "malvar", "menon")
TOLERANCE_COLOUR_DEMOSAICING = 1e-5  # float32 kernel vs float64 scipy convolutions
BORDER = 2  # colour-demosaicing repeats the edge sample (scipy "reflect"); we mirror (ISETCam)
BORDER_MENON = 0  # its Menon (2007) mirrors each stage and zero-pads the classifier, as we do
RNG = np.random.default_rng(20040517)


def _colour_demosaicing(method):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # it imports the deprecated scipy.ndimage.filters
        import colour_demosaicing as cd
    return {"bilinear": cd.demosaicing_CFA_Bayer_bilinear, "malvar": cd.demosaicing_CFA_Bayer_Malvar2004,
            "menon": cd.demosaicing_CFA_Bayer_Menon2007}[method]


@pytest.mark.parametrize("pattern", PATTERNS)
@pytest.mark.parametrize("method", METHODS)
def test_matches_colour_demosaicing_away_from_border(pattern, method):
    """colour-demosaicing 0.2.x (Losson 2010 bilinear; Malvar 2004; Menon 2007) on a random mosaic."""
    m = RNG.random((38, 53)).astype(np.float32)
    ours = demosaic(m, pattern, method)
    theirs = _colour_demosaicing(method)(m.astype(np.float64), pattern)
    diff = np.abs(ours - theirs)[BORDER:-BORDER, BORDER:-BORDER]
    print(f"\n{method:8s} {pattern}: max |ours − colour_demosaicing| (interior) = {diff.max():.3g}")
    assert diff.max() <= TOLERANCE_COLOUR_DEMOSAICING


@pytest.mark.parametrize("pattern", PATTERNS)
@pytest.mark.parametrize("refine", [True, False])
def test_menon_matches_colour_demosaicing_everywhere(pattern, refine):
    """colour-demosaicing 0.2.7 ``demosaicing_CFA_Bayer_Menon2007(..., refining_step=refine)``.

    Its stages convolve with ``mode="mirror"`` and its classifier with ``mode="constant"``,
    the boundaries our kernel uses, so no border is excluded (``BORDER_MENON``); odd and
    even sizes.
    """
    for shape in [(64, 80), (181, 183)]:
        m = RNG.random(shape).astype(np.float32)
        ours = kernels.menon(m, cfa_indices(pattern), refine)
        theirs = _colour_demosaicing("menon")(m.astype(np.float64), pattern, refining_step=refine)
        diff = np.abs(ours - theirs)
        if BORDER_MENON:
            diff = diff[BORDER_MENON:-BORDER_MENON, BORDER_MENON:-BORDER_MENON]
        print(f"\nmenon {pattern} {shape} refine={refine}: max |ours − colour_demosaicing| = {diff.max():.3g}")
        assert diff.max() <= TOLERANCE_COLOUR_DEMOSAICING


@pytest.mark.parametrize("pattern", PATTERNS)
@pytest.mark.parametrize("axis", [0, 1])
def test_menon_reproduces_grey_stripes_exactly(pattern, axis):
    """A grey image constant along one axis: the classifier picks that axis, where every
    estimate is exact (bilinear and Malvar blur such stripes)."""
    profile = RNG.random(24)
    grey = np.repeat(profile[:, None] if axis == 0 else profile[None, :], 24, axis=1 - axis)
    out = demosaic(grey, pattern, "menon")
    np.testing.assert_allclose(out, np.repeat(grey[..., None], 3, 2), rtol=0, atol=1e-6)
    assert np.abs(demosaic(grey, pattern, "bilinear") - grey[..., None]).max() > 0.05


@pytest.mark.parametrize("pattern", PATTERNS)
@pytest.mark.parametrize("method", METHODS)
def test_constant_is_reproduced_exactly(pattern, method):
    """Every filter's weights sum to 1 per channel (Menon: every colour difference is 0),
    so a flat field is exact, borders included."""
    out = demosaic(np.full((10, 14), 0.375, np.float32), pattern, method)
    np.testing.assert_allclose(out, 0.375, rtol=0, atol=1e-7)


@pytest.mark.parametrize("pattern", PATTERNS)
def test_bilinear_reproduces_linear_ramps_in_the_interior(pattern):
    """Bilinear interpolation is exact for any plane a + b·i + c·j (each channel its own plane)."""
    i, j = np.mgrid[0:20, 0:24].astype(np.float64)
    planes = np.stack([0.1 + 0.01 * i + 0.02 * j, 0.5 - 0.015 * i + 0.005 * j, 0.3 + 0.003 * i - 0.01 * j], -1)
    out = demosaic(mosaic(planes, pattern), pattern, "bilinear")
    np.testing.assert_allclose(out[1:-1, 1:-1], planes[1:-1, 1:-1], rtol=0, atol=1e-6)


@pytest.mark.parametrize("pattern", PATTERNS)
def test_malvar_reproduces_grey_ramps(pattern):
    """Malvar's gradient correction vanishes for a grey linear ramp (R = G = B plane)."""
    i, j = np.mgrid[0:20, 0:24].astype(np.float64)
    grey = 0.2 + 0.01 * i + 0.02 * j
    out = demosaic(grey, pattern, "malvar")
    np.testing.assert_allclose(out[2:-2, 2:-2], np.repeat(grey[2:-2, 2:-2, None], 3, 2), rtol=0, atol=1e-6)


def test_accepts_integer_input_and_returns_float32():
    out = demosaic(np.arange(16, dtype=np.uint16).reshape(4, 4), "grbg")
    assert out.dtype == np.float32 and out.shape == (4, 4, 3)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(mosaic=np.zeros((4, 4)), cfa="rgbg"), "`cfa` must be one of"),
        (dict(mosaic=np.zeros((4, 4)), cfa=None), "`cfa` must be one of"),
        (dict(mosaic=np.zeros((4, 4)), cfa="rggb", method="vng"), "`method` must be one of"),
        (dict(mosaic=np.zeros((4, 4, 1)), cfa="rggb"), r"`mosaic` must have shape \(rows, cols\)"),
        (dict(mosaic=np.zeros((1, 4)), cfa="rggb"), "at least 2×2"),
        (dict(mosaic=np.array([[0.0, np.nan], [0.0, 0.0]]), cfa="rggb"), "finite"),
        (dict(mosaic=np.full((2, 2), np.inf), cfa="rggb"), "finite"),
        (dict(mosaic=np.zeros((2, 2), bool), cfa="rggb"), "numeric"),
        (dict(mosaic=np.full((2, 2), 1e39), cfa="rggb"), "finite"),
    ],
)
def test_demosaic_rejects_bad_input(kwargs, match):
    with pytest.raises(ValueError, match=match):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # float64 → float32 overflow
            demosaic(**kwargs)


def test_mosaic_rejects_bad_input():
    with pytest.raises(ValueError, match="3 channels"):
        mosaic(np.zeros((4, 4, 4)), "rggb")
    with pytest.raises(ValueError, match=r"`rgb` must have shape"):
        mosaic(np.zeros((4, 4)), "rggb")
    with pytest.raises(ValueError, match="`cfa`"):
        mosaic(np.zeros((4, 4, 3)), "xyz")
