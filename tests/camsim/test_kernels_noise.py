"""Noise kernels (:mod:`camsim._kernels.noise`): distributions against scipy, the read-out against its
Python twins (``reference_sensor.py``), serial against parallel."""

import math

import numba
import numpy as np
import pytest

from camsim._kernels import noise as kernels

import reference_sensor as ref



@pytest.mark.parametrize("lam", [0.7, 9.5, 10.0, 37.0, 4000.0])
def test_poisson_kernel_matches_pmf(lam):
    """Chi-square of 2·10⁵ kernel draws against the Poisson pmf (scipy), both samplers' regimes."""
    from scipy import stats

    x = kernels.poisson_field(np.full((200, 1000), lam), np.uint64(99), 0)
    lo, hi = int(stats.poisson.ppf(1e-3, lam)), int(stats.poisson.ppf(1 - 1e-3, lam))
    k = np.arange(lo, hi + 1)
    obs = np.concatenate([[np.sum(x < lo)], np.bincount((x[(x >= lo) & (x <= hi)] - lo).astype(int), minlength=k.size),
                          [np.sum(x > hi)]])
    p = np.concatenate([[stats.poisson.cdf(lo - 1, lam)], stats.poisson.pmf(k, lam), [stats.poisson.sf(hi, lam)]])
    keep = p * x.size > 5
    chi2 = np.sum((obs[keep] - p[keep] * x.size) ** 2 / (p[keep] * x.size))
    assert stats.chi2.sf(chi2, keep.sum() - 1) > 1e-3
    assert x.mean() == pytest.approx(lam, rel=5 * math.sqrt(1 / (lam * x.size)))


def _kernel_inputs(rows, cols, seed=0, levels=4096.0, dark=0.0, shot=0.0, read=0.0):
    rng = np.random.default_rng(seed)
    mean_e = rng.choice([0.0, 0.4, 3.0, 9.9, 10.0, 55.0, 900.0, 12_000.0], size=(rows, cols)) * rng.random((rows, cols))
    prnu = 1 + 0.02 * rng.standard_normal((rows, cols))
    col_gain = 1 + 0.01 * rng.standard_normal(cols)
    offset = 3.0 * rng.standard_normal((rows, cols))
    params = kernels.ReadoutParams(dark=dark, shot=bool(shot), read=read, full_well=10_000.0, volts_per_e=1.2e-4,
                                   offset=0.02, swing=1.0, levels=levels)
    return mean_e, prnu, col_gain, offset, params


def _run_kernel(mean_e, prnu, col_gain, offset, params, seed):
    e = np.empty(mean_e.shape, np.float32)
    v = np.empty(mean_e.shape, np.float32)
    d = np.zeros(mean_e.shape, np.uint16)
    kernels.readout(mean_e, prnu, col_gain, offset, params, np.uint64(seed), e, v, d)
    return e, v, d


def test_readout_kernel_noise_free_identical_to_numpy_twin():
    args = _kernel_inputs(97, 83)
    args = args[:4] + (args[4]._replace(offset=-0.005),)  # so that the lower clip is reached too
    e, v, d = _run_kernel(*args, seed=0)
    e_ref, v_ref, d_ref = ref.readout_noise_free(*args)
    np.testing.assert_array_equal(e, e_ref)
    np.testing.assert_array_equal(v, v_ref)
    np.testing.assert_array_equal(d, d_ref)
    assert d.max() == 4095 and d.min() == 0  # both clips reached


def test_readout_kernel_identical_to_python_generator_twin():
    """Same counter-based streams: Poisson counts equal exactly, floats to rounding."""
    args = _kernel_inputs(6, 9, seed=1, dark=2.5, shot=1.0, read=4.0)
    e, v, d = _run_kernel(*args, seed=2024)
    e_ref, v_ref, d_ref = ref.readout(*args, seed=2024)
    np.testing.assert_allclose(e, e_ref, rtol=1e-6, atol=1e-4)
    np.testing.assert_allclose(v, v_ref, rtol=1e-6, atol=1e-7)
    np.testing.assert_array_equal(d, d_ref)
    state = np.empty(4, np.uint64)
    kernels.seed_row(state, np.uint64(5), 3, 17)
    twin = ref.seed_row(5, 3, 17)
    assert [int(x) for x in state] == twin
    assert [int(kernels.next_u64(state)) for _ in range(5)] == [ref.next_u64(twin) for _ in range(5)]


def test_readout_kernel_statistics_match_default_rng_twin():
    """With all temporal noise on, the kernel and the default_rng twin agree in mean and variance."""
    args = _kernel_inputs(400, 500, seed=3, levels=0.0, dark=30.0, shot=1.0, read=6.0)
    mean_e = np.full((400, 500), 800.0)
    args = (mean_e,) + args[1:]
    e, v, _ = _run_kernel(*args, seed=77)
    e_np, v_np, _ = ref.readout_numpy(*args, rng=np.random.default_rng(77))
    fixed = mean_e * args[1] * args[2][None, :] + args[3]  # deterministic part
    r_k, r_n = e - fixed, e_np - fixed
    assert r_k.mean() == pytest.approx(r_n.mean(), abs=0.15)  # dark charge, 30 e⁻ each
    assert r_k.var() == pytest.approx(r_n.var(), rel=0.02)  # ≈ 800·(1+PRNU) + 30 + 36


def test_normal_field_serial_and_parallel_agree_exactly():
    out_s, out_p = np.empty((37, 41)), np.empty((37, 41))
    kernels._normal_field.serial(np.uint64(9), 2, out_s)
    kernels._normal_field.parallel(np.uint64(9), 2, out_p)
    np.testing.assert_array_equal(out_s, out_p)
    np.testing.assert_array_equal(kernels.normal_field(np.uint64(9), 2, 37, 41), out_s)


def test_readout_serial_and_parallel_agree_exactly():
    """Small frames are read out on the calling thread; the numbers are those of the parallel kernel."""
    rng = np.random.default_rng(6)
    shape = (61, 77)
    mean_e = rng.choice([0.0, 2.0, 9.9, 10.0, 300.0, 12_000.0], size=shape) * rng.random(shape)
    prnu = 1 + 0.01 * rng.standard_normal(shape)
    col_gain = 1 + 0.01 * rng.standard_normal(shape[1])
    offset = rng.standard_normal(shape)
    for shot, dark, read, levels in ((1.0, 3.0, 5.0, 4096.0), (0.0, 2.0, 0.0, 0.0), (0.0, 0.0, 0.0, 1024.0)):
        params = kernels.ReadoutParams(dark=dark, shot=bool(shot), read=read, full_well=10_000.0, volts_per_e=1e-4,
                                  offset=0.0, swing=1.0, levels=levels)
        outs = []
        for fn in (kernels._readout.serial, kernels._readout.parallel):
            e, v, d = np.empty(shape, np.float32), np.empty(shape, np.float32), np.zeros(shape, np.uint16)
            fn(mean_e, prnu, col_gain, offset, params, np.uint64(17), e, v, d)
            outs.append((e, v, d))
        for u, w in zip(*outs):
            np.testing.assert_array_equal(u, w)


def test_readout_accepts_broadcast_prnu_and_offset():
    """Unit PRNU and zero offset as stride-0 views (no full-size arrays) give the same frame."""
    shape = (190, 200)
    mean_e = np.random.default_rng(8).uniform(0.0, 3000.0, shape)
    params = kernels.ReadoutParams(dark=1.0, shot=True, read=4.0, full_well=10_000.0, volts_per_e=1e-4, offset=0.0,
                              swing=1.0, levels=4096.0)
    outs = []
    for prnu, offset in ((np.ones(shape), np.zeros(shape)), (np.broadcast_to(1.0, shape), np.broadcast_to(0.0, shape))):
        e, v, d = np.empty(shape, np.float32), np.empty(shape, np.float32), np.zeros(shape, np.uint16)
        kernels.readout(mean_e, prnu, np.ones(shape[1]), offset, params, np.uint64(3), e, v, d)
        outs.append((e, v, d))
    for a, b in zip(*outs):
        np.testing.assert_array_equal(a, b)


# --------------------------------------------------------------------------- exactness of the samplers

GOF_DRAWS = 1 << 28  # per distribution: a 1 % error in a mass of 1e-3 moves its count by 5.2 σ
GOF_Z = 4.5  # largest |z| of any cell of mass > 1e-3 (fixed seeds: a pass is reproducible)
NO_JIT = pytest.mark.skipif(numba.config.DISABLE_JIT, reason="2.7e8 draws need the compiled kernels")


@numba.njit(parallel=True)
def _poisson_counts(lam, rows, cols, kmax):
    """Histogram (0 … kmax, then > kmax) of rows × cols draws of the kernel's Poisson sampler."""
    counts = np.zeros((rows, kmax + 2), np.int64)
    for i in numba.prange(rows):
        st = kernels._seed(np.uint64(2024), 5, i)
        for _ in range(cols):
            k, st = kernels._poisson(st, lam)
            counts[i, min(int(k), kmax + 1)] += 1
    return counts.sum(axis=0)


@numba.njit(parallel=True)
def _normal_counts(edges, rows, cols):
    """Histogram of rows × cols draws of the kernel's normal sampler over ``edges`` (plus both outer bins)."""
    counts = np.zeros((rows, edges.size + 1), np.int64)
    for i in numba.prange(rows):
        st = kernels._seed(np.uint64(2025), 6, i)
        for _ in range(cols):
            z, st = kernels._normal(st)
            counts[i, np.searchsorted(edges, z)] += 1
    return counts.sum(axis=0)


def _assert_fits(obs, p, n, label):
    """Every cell of mass > 1e-3 within GOF_Z σ of n·p; the chi-square of cells with n·p > 20 plausible."""
    from scipy import stats

    assert obs.sum() == n
    big = p > 1e-3
    z = (obs[big] - n * p[big]) / np.sqrt(n * p[big] * (1 - p[big]))
    keep = p * n > 20
    chi2 = np.sum((obs[keep] - n * p[keep]) ** 2 / (n * p[keep]))
    print(f"\n{label}: {big.sum()} cells > 1e-3, max |z| = {np.abs(z).max():.2f}, "
          f"chi2 p-value = {stats.chi2.sf(chi2, keep.sum() - 1):.3g}")
    assert np.abs(z).max() < GOF_Z
    assert stats.chi2.sf(chi2, keep.sum() - 1) > 1e-4


@NO_JIT
@pytest.mark.slow
@pytest.mark.parametrize("lam", [0.3, 3.0, 9.99, 10.0, 50.0, 1000.0])
def test_poisson_sampler_fits_the_exact_pmf(lam):
    """2.7e8 draws against scipy.stats.poisson, cell by cell: table, remainder and PTRS regimes."""
    from scipy import stats

    kmax = int(stats.poisson.isf(1e-12, lam)) + 1
    obs = _poisson_counts(lam, 1 << 12, GOF_DRAWS >> 12, kmax)
    k = np.arange(kmax + 1)
    p = np.append(stats.poisson.pmf(k, lam), stats.poisson.sf(kmax, lam))
    _assert_fits(obs, p, GOF_DRAWS, f"Poisson({lam})")


@NO_JIT
@pytest.mark.slow
def test_normal_sampler_fits_the_exact_cdf():
    """2.7e8 ziggurat draws against scipy.stats.norm in bins of 0.05 σ, tails beyond ±ZIGGURAT_R included."""
    from scipy import stats

    edges = np.concatenate([np.arange(-5.0, 5.0001, 0.05), [-kernels.ZIGGURAT_R, kernels.ZIGGURAT_R]])
    edges.sort()
    obs = _normal_counts(edges, 1 << 12, GOF_DRAWS >> 12)
    p = np.diff(np.concatenate([[0.0], stats.norm.cdf(edges), [1.0]]))
    _assert_fits(obs, p, GOF_DRAWS, "normal")
    lo, hi = np.searchsorted(edges, [-kernels.ZIGGURAT_R, kernels.ZIGGURAT_R])
    tail, p_tail = obs[:lo + 1].sum() + obs[hi + 1:].sum(), 2 * stats.norm.sf(kernels.ZIGGURAT_R)
    assert abs(tail - GOF_DRAWS * p_tail) < GOF_Z * math.sqrt(GOF_DRAWS * p_tail)  # the tail sampler's share


def test_ziggurat_layers_have_equal_areas_and_close_at_zero():
    """x[i]·(f(x[i+1]) − f(x[i])) = v for every layer; the top layer ends where f = 1 (x = 0)."""
    x, f = kernels._ZIG_X, kernels._ZIG_F
    r = kernels.ZIGGURAT_R
    v = r * math.exp(-r * r / 2) + math.sqrt(math.pi / 2) * math.erfc(r / math.sqrt(2))
    areas = x[:-1] * np.diff(np.append(f[:-1], 1.0))
    np.testing.assert_allclose(areas, v, rtol=1e-12)
    assert x[-1] == 0.0 and x[-2] > 0.0
    assert math.exp(-x[-2] ** 2 / 2) + v / x[-2] == pytest.approx(1.0, abs=1e-14)


def test_poisson_tables_equal_scipy():
    """The tabulated cdfs (grid means below the PTRS threshold) and log k! against scipy."""
    from scipy import special, stats

    lam = np.arange(kernels._POISSON_CDF.shape[0]) * kernels.POISSON_TABLE_STEP
    k = np.arange(kernels.POISSON_TABLE_COUNTS)
    np.testing.assert_allclose(kernels._POISSON_CDF, stats.poisson.cdf(k[None, :], lam[:, None]), rtol=1e-14, atol=0)
    np.testing.assert_allclose(kernels._LOG_FACTORIAL, special.gammaln(np.arange(kernels.POISSON_LOG_FACTORIALS) + 1.0),
                               rtol=1e-14, atol=1e-14)
    cells = np.arange(kernels.POISSON_GUIDE_CELLS) / kernels.POISSON_GUIDE_CELLS
    for j in range(lam.size):
        want = np.minimum(np.searchsorted(stats.poisson.cdf(k, lam[j]), cells), k.size - 1)
        assert np.all(np.abs(kernels._POISSON_GUIDE[j] - want) <= 1)  # guide: where the search starts


def test_samplers_identical_to_python_twin():
    """Poisson over every regime (table, remainder, PTRS, beyond the log k! table) and the ziggurat's
    wedges and tail: the kernel and the Python twin draw the same numbers."""
    lams = [0.05, 0.3, 2.0, 3.0, 9.99, 10.0, 50.0, 1000.0, 20_000.0]
    state = np.empty(4, np.uint64)
    kernels.seed_row(state, np.uint64(8), 1, 2)
    gen = ref.Gen(8, 1, 2)
    for n in range(3000):
        lam = lams[n % len(lams)]
        assert kernels.poisson(state, lam) == gen.poisson(lam)
    np.testing.assert_array_equal(kernels.normal_field(np.uint64(3), 4, 8, 6000), ref.normal_field(3, 4, 8, 6000))
