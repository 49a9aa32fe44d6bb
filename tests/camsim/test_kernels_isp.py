"""ISP kernels (:mod:`camsim._kernels.isp`) against NumPy and the IEC 61966-2-1 formula, serial against parallel."""

import numpy as np

from camsim._kernels import isp as kisp
from camsim.colorimetry import xyz_to_linear_srgb_matrix
from camsim.isp import normalise_raw

from test_isp_twin import normalise_numpy, srgb_encode_formula

TOLERANCE_SRGB_TABLE = 2e-6  # largest error of the interpolated sRGB table (see camsim._kernels.isp)


def test_normalise_kernel_equals_numpy_exactly():
    rng = np.random.default_rng(5)
    for data in (rng.uniform(-0.1, 1.2, (37, 53)).astype(np.float32), rng.integers(0, 4096, (16, 9)).astype(np.uint16)):
        np.testing.assert_array_equal(normalise_raw(data, 64.0 if data.dtype == np.uint16 else 0.01, 4095.0 if
                                                    data.dtype == np.uint16 else 0.98),
                                      normalise_numpy(data, 64.0 if data.dtype == np.uint16 else 0.01, 4095.0 if
                                                      data.dtype == np.uint16 else 0.98))


def test_srgb_table_error_below_tolerance():
    """Every float32 in a dense sweep, plus both sides of the linear-segment threshold."""
    lin = np.concatenate([np.linspace(0, 1, 2_000_003, dtype=np.float32),
                          np.linspace(0.0025, 0.0040, 200_001, dtype=np.float32),
                          np.float32([0.0031308, np.nextafter(np.float32(0.0031308), 1), 1e-7, 1.0])])
    out = np.empty((lin.size, 3), np.float32)
    xyz = np.tile(lin[:, None], (1, 3)).astype(np.float32)
    kisp.finish_pass(xyz, np.eye(3, dtype=np.float32), np.float32(1.0), kisp.srgb_table(), np.empty_like(out), out)
    err = np.abs(out[:, 0].astype(np.float64) - srgb_encode_formula(lin))
    assert err.max() < TOLERANCE_SRGB_TABLE
    assert err.max() <= 0.5 / 65535  # issue 16: half a 16-bit code against the IEC 61966-2-1 formula
    assert out[-1, 0] == 1.0 and out[0, 0] == 0.0


def test_isp_kernels_serial_and_parallel_agree_exactly():
    """Small images run on one thread (camsim.threads.parallel); the split never changes a value."""
    rng = np.random.default_rng(4)
    n = 3 * (1 << 15) + 5
    rgb = rng.uniform(-0.05, 1.2, (n, 3)).astype(np.float32)
    a = rng.uniform(-0.3, 1.0, (3, 3)).astype(np.float32)
    s = xyz_to_linear_srgb_matrix().astype(np.float32)
    assert kisp._blocks(n, "finish_pass") == 1  # below PARALLEL_MIN_NS: the calling thread
    blocks = 7  # uneven split, whatever the thread count
    xyz_s, xyz_p = np.empty_like(rgb), np.empty_like(rgb)
    pk_s, pk_p = np.empty(1, np.float32), np.empty(blocks, np.float32)
    kisp._colour.serial(rgb, a, s, xyz_s, pk_s)
    kisp._colour.parallel(rgb, a, s, xyz_p, pk_p)
    np.testing.assert_array_equal(xyz_s, xyz_p)
    assert pk_s.max() == pk_p.max()
    outs = []
    for fn, nb_ in ((kisp._finish.serial, 1), (kisp._finish.parallel, blocks)):
        x, lin, img = xyz_s.copy(), np.empty_like(rgb), np.empty_like(rgb)
        fn(x, s, np.float32(0.7), kisp.srgb_table(), lin, img, nb_)
        outs.append((x, lin, img))
    for u, v in zip(*outs):
        np.testing.assert_array_equal(u, v)
    data = rng.uniform(-0.1, 1.1, n).astype(np.float32)
    res = []
    for fn, nb_ in ((kisp._normalise.serial, 1), (kisp._normalise.parallel, blocks)):
        out, peaks, bad = np.empty_like(data), np.empty(nb_, np.float32), np.empty(nb_, np.bool_)
        fn(data, np.float32(0.02), np.float32(0.9), out, peaks, bad)
        res.append((out, peaks.max(), bad.any()))
    np.testing.assert_array_equal(res[0][0], res[1][0])
    assert res[0][1:] == res[1][1:]
