"""
Benchmark — where a numba parallel region pays (camsim.threads.PARALLEL_MIN_NS)
===============================================================================

For the cheapest per-pixel kernel (ISP ``normalise``, ~1 ns/pixel), a mid-cost one
(bilinear demosaic) and the most expensive (noise read-out, exact Poisson), the serial
and the parallel variant are timed at several sizes, on the machine as it is and with a
spinning process holding one core (``busy_core``). Parallel pays where its median is
below the serial one with the core busy; :data:`camsim.threads.PARALLEL_MIN_NS` is the
serial work (size × ns/pixel) at which that happens.

Run: ``.venv/bin/python -m benchmarks.bench_threshold``
"""

from __future__ import annotations

import numpy as np

from benchmarks._harness import busy_core, load_average, median_time
from camsim._kernels import demosaic as kd
from camsim._kernels import isp as ki
from camsim._kernels import noise as kn

SIDES = (256, 512, 1024, 1448, 2048)


def _cases(side):
    rng = np.random.default_rng(0)
    data = rng.random(side * side, dtype=np.float32)
    out = np.empty_like(data)
    peaks = np.empty(8, np.float32)
    bad = np.empty(8, np.bool_)
    mosaic = rng.random((side, side), dtype=np.float32)
    pad = kd.pad_mirror(mosaic, 1)
    cfa = np.array([[1, 0], [2, 1]], np.int8)  # channel index of the 2×2 tile (GRBG)
    dm = np.empty((side, side, 3), np.float32)
    mean_e = rng.uniform(50, 5000, (side, side))
    params = kn.ReadoutParams(dark=0.0, shot=True, read=3.0, full_well=10_000.0, volts_per_e=1e-4, offset=0.0,
                              swing=1.0, levels=4096.0)
    one, zero, cg = np.broadcast_to(1.0, mean_e.shape), np.broadcast_to(0.0, mean_e.shape), np.ones(side)
    e, v, d = np.empty(mean_e.shape, np.float32), np.empty(mean_e.shape, np.float32), np.empty(mean_e.shape, np.uint16)
    return {
        "normalise": (lambda: ki._normalise.serial(data, np.float32(0.1), np.float32(0.8), out, peaks[:1], bad[:1]),
                      lambda: ki._normalise.parallel(data, np.float32(0.1), np.float32(0.8), out, peaks, bad)),
        "bilinear": (lambda: kd._bilinear.serial(pad, cfa, dm), lambda: kd._bilinear.parallel(pad, cfa, dm)),
        "readout": (lambda: kn._readout.serial(mean_e, one, cg, zero, params, np.uint64(1), e, v, d),
                    lambda: kn._readout.parallel(mean_e, one, cg, zero, params, np.uint64(1), e, v, d)),
    }


def main() -> None:
    print(f"load average at start: {load_average()}")
    print("| kernel | pixels | serial | parallel | parallel, core busy | serial, core busy |")
    print("|---|---:|---:|---:|---:|---:|")
    for side in SIDES:
        cases = _cases(side)
        for name, (ser, par) in cases.items():
            ts, tp = median_time(ser, repeat=7), median_time(par, repeat=7)
            with busy_core():
                tpb, tsb = median_time(par, repeat=7), median_time(ser, repeat=7)
            print(f"| {name} | {side * side:,} | {ts * 1e3:.2f} ms | {tp * 1e3:.2f} ms | {tpb * 1e3:.2f} ms "
                  f"| {tsb * 1e3:.2f} ms |", flush=True)
    print(f"load average at end: {load_average()}")


if __name__ == "__main__":
    main()
