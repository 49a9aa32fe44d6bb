"""Mix kernel (:mod:`camsim._kernels.mix`, the factored spectral path of ``Optics.form_image``) against NumPy."""

import numpy as np
import pytest

from camsim._kernels import mix as mix_module
from camsim._kernels import twin as twin_module


@pytest.mark.parametrize("n_j, n_pix, k, threads", [(1, 5, 3, False), (4, 10_000, 31, True), (7, 4096, 2, False)])
def test_mix_kernel_equals_its_numpy_twin(monkeypatch, n_j, n_pix, k, threads):
    monkeypatch.setattr(twin_module, "parallel", lambda items, ns: threads)
    rng = np.random.default_rng(n_pix)
    planes = rng.normal(size=(n_j, n_pix)).astype(np.float32)
    mix = rng.normal(size=(n_j, k)).astype(np.float32)
    out, lo, hi = mix_module.mix_planes(planes, mix)
    ref = planes.astype(np.float64).T @ mix.astype(np.float64)
    np.testing.assert_allclose(out, ref, rtol=1e-5, atol=1e-5 * np.abs(ref).max())
    np.testing.assert_array_equal(lo, out.min(axis=0))
    np.testing.assert_array_equal(hi, out.max(axis=0))
    assert out.flags.c_contiguous and out.dtype == np.float32
