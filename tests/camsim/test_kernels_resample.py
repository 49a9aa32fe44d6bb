"""Area-resampling kernels (:mod:`camsim._kernels.resample`) against dense BLAS twins (``reference_sensor.py``)."""

import numpy as np
import pytest

from camsim import Sensor
from camsim._kernels import resample as resample_kernels

import reference_sensor as ref


@pytest.mark.parametrize("shape_in, spacing, shape_out, pitch, aperture", [
    ((50, 70), 0.5e-6, (9, 12), 2.8e-6, 2.4e-6),
    ((7, 5), 6e-6, (16, 13), 2.8e-6, 2.8e-6),
    ((31, 33), 1.1e-6, (40, 40), 1.0e-6, 0.5e-6),  # sensor larger than the image
])
def test_area_resample_kernel_matches_dense_blas_twin(shape_in, spacing, shape_out, pitch, aperture):
    img = np.random.default_rng(2).random(shape_in)
    rs, rw = resample_kernels.overlap_band(shape_in[0], spacing, shape_out[0], pitch, aperture)
    cs, cw = resample_kernels.overlap_band(shape_in[1], spacing, shape_out[1], pitch, aperture)
    got = resample_kernels.area_resample(img, rs, rw, cs, cw)
    want = ref.area_resample(img, spacing, shape_out, pitch, aperture)
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12 * np.abs(want).max())
    np.testing.assert_allclose(resample_kernels.band_to_dense(rs, rw, shape_in[0]),
                               ref.overlap_matrix(shape_in[0], spacing, shape_out[0], pitch, aperture), atol=1e-20)


def _cfa_parallel(planes, tile, rs, rw, cs, cw):
    out = np.empty((rw.shape[0], cw.shape[0]))
    resample_kernels._area_resample_cfa.parallel(planes, tile, rs, rw, cs, cw, out)
    return out


@pytest.mark.parametrize("kernel", [resample_kernels.area_resample_cfa, _cfa_parallel])
@pytest.mark.parametrize("cfa", ["grbg", "rggb", "bggr", None])
@pytest.mark.parametrize("shape_in, spacing, shape_out, pitch, aperture", [
    ((40, 52), 1.0e-6, (14, 18), 2.8e-6, 2.4e-6),
    ((23, 31), 2.0e-6, (30, 40), 1.1e-6, 1.1e-6),  # output wider than the input: zero weights
    ((64, 64), 0.7e-6, (3, 5), 25e-6, 20e-6),
])
def test_area_resample_cfa_matches_masked_dense_twin(kernel, cfa, shape_in, spacing, shape_out, pitch, aperture):
    rng = np.random.default_rng(7)
    n_ch = 1 if cfa is None else 3
    planes = rng.random((n_ch,) + shape_in).astype(np.float32)
    rs, rw = resample_kernels.overlap_band(shape_in[0], spacing, shape_out[0], pitch, aperture)
    cs, cw = resample_kernels.overlap_band(shape_in[1], spacing, shape_out[1], pitch, aperture)
    chan = Sensor(cfa=cfa, size=shape_out).channel_map()
    tile = chan[:2, :2] if cfa is not None else chan[:1, :1]
    got = kernel(planes, np.ascontiguousarray(tile), rs, rw, cs, cw)
    want = np.zeros(shape_out)
    for c in range(n_ch):
        full = ref.area_resample(planes[c].astype(np.float64), spacing, shape_out, pitch, aperture)
        want[chan == c] = full[chan == c]
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12 * max(want.max(), 1e-300))
