"""
Benchmark — S-CIELAB filtering by FFT vs separable convolution
==============================================================

Times :func:`camsim.metrics.scielab.scielab_filter_xyz` with ``method="fft"`` (ours, the
default) and ``method="separable"`` (baseline) on random XYZ images of 256² and 1024²
pixels at 64 samples/degree (63-sample, 1° filters), in one process: one warm-up call,
then the median of ``REPEATS`` runs. Prints both times and their ratio, and checks that
the two methods agree. The faster one is
:data:`camsim.metrics.scielab.DEFAULT_FILTER_METHOD`.

Run: ``.venv/bin/python -m benchmarks.bench_scielab``
"""

from __future__ import annotations

import numpy as np

from benchmarks._harness import Row, median_time, print_rows
from camsim.metrics.scielab import DEFAULT_FILTER_METHOD, scielab_filter_xyz, scielab_filters

__all__ = ["REPEATS", "SAMPLES_PER_DEGREE", "SIZES", "rows", "main"]

REPEATS = 7
SAMPLES_PER_DEGREE = 64.0  # samples/degree
SIZES = (256, 1024)  # image side, pixels


def rows() -> list[Row]:
    """One :class:`Row` per image size: FFT (ours) vs separable convolution (baseline)."""
    rng = np.random.default_rng(0)
    filters = scielab_filters(SAMPLES_PER_DEGREE)
    out = []
    for n in SIZES:
        xyz = rng.uniform(0.0, 100.0, (n, n, 3))
        fft = scielab_filter_xyz(xyz, filters, method="fft")
        sep = scielab_filter_xyz(xyz, filters, method="separable")
        diff = float(np.abs(fft - sep).max())
        t_fft = median_time(lambda: scielab_filter_xyz(xyz, filters, method="fft"), repeat=REPEATS)
        t_sep = median_time(lambda: scielab_filter_xyz(xyz, filters, method="separable"), repeat=REPEATS)
        out.append(
            Row(
                benchmark="scielab_filter",
                case=f"{n}x{n}, {SAMPLES_PER_DEGREE:g} spd, support {filters.support}",
                ours_s=t_fft,
                baseline_s=t_sep,
                baseline="separable",
                extra=f"fft; max |fft - separable| {diff:.1e}",
            )
        )
    return out


def main() -> None:
    results = rows()
    print(f"S-CIELAB filtering (3 opponent planes), median of {REPEATS} runs after a warm-up")
    print_rows(results)
    for r in results:
        print(f"  {r.case}: fft {r.ours_s:.4f} s, separable {r.baseline_s:.4f} s, separable/fft = {r.ratio:.2f}")
    print(f"default method: {DEFAULT_FILTER_METHOD}")


if __name__ == "__main__":
    main()
