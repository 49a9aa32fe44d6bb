"""
Benchmark — sensor noise kernel and area resampling
===================================================

1. The read-out kernel :func:`camsim._kernels.noise.readout` (exact Poisson shot + dark
   noise, Gaussian read noise, full-well clip, gain/offset, clip, 12-bit ADC) against
   the NumPy equivalent with ``numpy.random.default_rng`` (``poisson`` + ``normal`` +
   clip + quantise), on a 2048² frame at a bright (PTRS regime, 50–5 000 e⁻) and a
   dark (inversion regime, < 10 e⁻) signal. The kernel runs with numba's default
   thread count and with one thread; the NumPy baseline is single-threaded.
2. Area resampling of an optical-image plane onto the pixel grid: the banded numba
   kernel :func:`camsim._kernels.resample.area_resample` (what :class:`camsim.Sensor`
   uses) against the dense BLAS product ``W_r @ image @ W_c.T`` of the same weights.

All in one process: one warm-up call, then the median of ``REPEATS`` runs.

Run: ``.venv/bin/python -m benchmarks.bench_noise``
"""

from __future__ import annotations

import numba
import numpy as np

from benchmarks._harness import Row, median_time, print_rows
from camsim._kernels import noise as noise_kernels
from camsim._kernels import resample as resample_kernels

__all__ = ["REPEATS", "FRAME", "rows", "noise_rows", "resample_rows", "main"]

REPEATS = 7
FRAME = (2048, 2048)  # pixels
FULL_WELL = 10_000.0  # e⁻
READ_NOISE = 10.0  # e⁻ rms
DARK = 2.0  # e⁻ per frame
GAIN = 1e-4  # V/e⁻
SWING = 1.0  # V
BITS = 12
RESAMPLE_CASES = (  # (optical-image side, spacing m, pixel side, pitch m)
    (1024, 1.0e-6, 1024, 1.0e-6),
    (2048, 1.0e-6, 512, 4.0e-6),
    (2048, 1.0e-6, 2048, 1.0e-6),
)


def _params() -> np.ndarray:
    p = np.zeros(noise_kernels.N_PARAMS)
    p[noise_kernels.P_DARK] = DARK
    p[noise_kernels.P_SHOT] = 1.0
    p[noise_kernels.P_READ] = READ_NOISE
    p[noise_kernels.P_FULL_WELL] = FULL_WELL
    p[noise_kernels.P_VOLTS_PER_E] = GAIN
    p[noise_kernels.P_OFFSET] = 0.0
    p[noise_kernels.P_SWING] = SWING
    p[noise_kernels.P_LEVELS] = 2.0**BITS
    return p


def _numpy_readout(mean_e: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """The same chain with NumPy: Poisson(mean + dark) + N(0, read), clip, volts, clip, ADC."""
    q = np.minimum(rng.poisson(mean_e + DARK).astype(np.float64), FULL_WELL)
    s = q + READ_NOISE * rng.standard_normal(mean_e.shape)
    v = np.clip(s * GAIN, 0.0, SWING)
    return np.minimum(np.floor(v / SWING * 2.0**BITS + 0.5), 2**BITS - 1).astype(np.uint16)


def noise_rows() -> list[Row]:
    """Kernel (numba threads: default and 1) vs NumPy default_rng, bright and dark frames."""
    rng = np.random.default_rng(0)
    rows_, cols = FRAME
    n_mpix = rows_ * cols / 1e6
    ones, zeros, col_gain = np.ones(FRAME), np.zeros(FRAME), np.ones(cols)
    params = _params()
    electrons = np.empty(FRAME, np.float32)
    volts = np.empty(FRAME, np.float32)
    digital = np.empty(FRAME, np.uint16)
    out = []
    for label, mean_e in (("bright 50-5000 e-", rng.uniform(50.0, 5000.0, FRAME)),
                          ("dark 0-10 e-", rng.uniform(0.0, 10.0, FRAME))):
        def kernel():
            noise_kernels.readout(mean_e, ones, col_gain, zeros, params, np.uint64(1), electrons, volts, digital)

        baseline_rng = np.random.default_rng(1)
        t_np = median_time(lambda: _numpy_readout(mean_e, baseline_rng), repeat=REPEATS)
        threads = numba.get_num_threads()
        for n in sorted({threads, 1}, reverse=True):
            numba.set_num_threads(n)
            try:
                t_k = median_time(kernel, repeat=REPEATS)
            finally:
                numba.set_num_threads(threads)
            out.append(Row(
                benchmark="noise_readout",
                case=f"{rows_}x{cols} {label}, {n} thread{'s' if n > 1 else ''}",
                ours_s=t_k,
                baseline_s=t_np,
                baseline="numpy default_rng",
                extra=f"{n_mpix / t_k:.1f} Mpix/s vs {n_mpix / t_np:.1f} Mpix/s",
            ))
    return out


def resample_rows() -> list[Row]:
    """Banded numba area resampling vs the dense BLAS product of the same weights."""
    rng = np.random.default_rng(2)
    out = []
    for n_in, dx, n_out, pitch in RESAMPLE_CASES:
        img = rng.random((n_in, n_in))
        start, w = resample_kernels.overlap_band(n_in, dx, n_out, pitch, pitch * np.sqrt(0.75))
        dense = resample_kernels.band_to_dense(start, w, n_in)
        banded = resample_kernels.area_resample(img, start, w, start, w)
        diff = float(np.abs(banded - dense @ img @ dense.T).max() / np.abs(banded).max())
        t_band = median_time(lambda: resample_kernels.area_resample(img, start, w, start, w), repeat=REPEATS)
        t_dense = median_time(lambda: dense @ img @ dense.T, repeat=REPEATS)
        out.append(Row(
            benchmark="area_resample",
            case=f"{n_in}^2 -> {n_out}^2 (pitch/spacing {pitch / dx:g})",
            ours_s=t_band,
            baseline_s=t_dense,
            baseline="dense BLAS",
            extra=f"banded numba; rel. diff {diff:.1e}",
        ))
    return out


def rows() -> list[Row]:
    return noise_rows() + resample_rows()


def main() -> None:
    print(f"Sensor kernels, median of {REPEATS} runs after a warm-up; numba threads = {numba.get_num_threads()}")
    results = rows()
    print_rows(results)
    for r in results:
        print(f"  {r.benchmark} {r.case}: ours {r.ours_s:.4f} s, {r.baseline} {r.baseline_s:.4f} s, "
              f"ratio {r.ratio:.2f}  {r.extra}")


if __name__ == "__main__":
    main()
