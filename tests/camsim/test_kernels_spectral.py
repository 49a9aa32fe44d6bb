"""Spectral kernels (:mod:`camsim._kernels.spectral`, via :mod:`camsim._otf`) against NumPy twins."""

import numpy as np
import pytest

from camsim import _otf
from camsim._kernels import spectral as spectral_kernels

TOLERANCE_KERNEL = 1e-6  # float32 kernel outputs vs float64 NumPy twins (relative to the max)


def _effective_otf_numpy(shape, spacing, wave, fnumber, weights):
    """Full rfft-layout effective OTFs, float64 ``(rows, n_ch, r, cols // 2 + 1)``."""
    h = _otf.dl_otf(_otf.fft_radial_frequency(shape, spacing), wave, fnumber)  # (rows, cols_half, n_wave)
    return np.einsum("ijw,ckw->ickj", h, weights)


def _mirror_rows(g_half, rows):
    idx = np.arange(rows)
    return g_half[np.minimum(idx, rows - idx)]


@pytest.mark.parametrize("shape", [(7, 9), (8, 10), (33, 16)])
@pytest.mark.parametrize("fnumber", [2.0, 8.0])
def test_effective_otf_kernel_matches_numpy_twin(shape, fnumber):
    rng = np.random.default_rng(4)
    wave = np.array([420.0, 500.0, 560.0, 610.0, 690.0])
    weights = rng.random((3, 2, wave.size))
    spacing = 1.3e-6
    g = _otf.effective_otf(shape, spacing, wave, fnumber, weights)
    assert g.shape == (shape[0] // 2 + 1, 3, 2, shape[1] // 2 + 1) and g.dtype == np.float32
    want = _effective_otf_numpy(shape, spacing, wave, fnumber, weights)
    np.testing.assert_allclose(_mirror_rows(g, shape[0]), want, rtol=0, atol=TOLERANCE_KERNEL * want.max())
    assert _otf.effective_otf(shape, spacing, wave, fnumber, weights) is g  # cached


@pytest.mark.parametrize("kernel", [spectral_kernels.combine_spectra, spectral_kernels._combine.serial,
                                    spectral_kernels._combine.parallel])
@pytest.mark.parametrize("r, n_ch", [(3, 3), (1, 3), (4, 1)])
@pytest.mark.parametrize("accumulate", [False, True])
def test_combine_spectra_kernel_matches_numpy_twin(kernel, r, n_ch, accumulate):
    rng = np.random.default_rng(5)
    rows, cols = 9, 6
    spec = (rng.standard_normal((r, rows, cols)) + 1j * rng.standard_normal((r, rows, cols))).astype(np.complex64)
    g = rng.random((rows // 2 + 1, n_ch, r, cols)).astype(np.float32)
    out = (rng.standard_normal((n_ch, rows, cols)) + 1j * rng.standard_normal((n_ch, rows, cols))).astype(np.complex64)
    gf = _mirror_rows(g, rows).astype(np.float64)
    want = np.einsum("ickj,kij->cij", gf, spec.astype(np.complex128))
    if accumulate:
        want += out
    if kernel is spectral_kernels.combine_spectra:
        kernel(spec, g, out, accumulate)
    else:
        kernel(spec.view(np.float32), g, out.view(np.float32), accumulate)
    np.testing.assert_allclose(out, want, rtol=0, atol=TOLERANCE_KERNEL * np.abs(want).max())


def test_combine_spectra_in_place():
    rng = np.random.default_rng(6)
    spec = (rng.standard_normal((3, 8, 5)) + 1j * rng.standard_normal((3, 8, 5))).astype(np.complex64)
    g = rng.random((5, 2, 3, 5)).astype(np.float32)
    want = np.einsum("ickj,kij->cij", _mirror_rows(g, 8).astype(np.float64), spec.astype(np.complex128))
    spectral_kernels.combine_spectra(spec, g, spec[:2], False)
    np.testing.assert_allclose(spec[:2], want, rtol=0, atol=TOLERANCE_KERNEL * np.abs(want).max())
